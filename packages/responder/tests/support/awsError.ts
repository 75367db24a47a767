/** An error shaped as the SDK v3 throws a service error: its `name` is the AWS error code. */
export function awsError(code: string, message = `${code} (simulated)`): Error {
  return Object.assign(new Error(message), {
    name: code,
    $fault: 'client' as const,
    $metadata: { httpStatusCode: 400 },
  });
}

/** The AWS error codes each service uses for "not allowed" and "slow down". */
export const ACCESS_DENIED = {
  ec2: 'UnauthorizedOperation',
  autoscaling: 'AccessDenied',
  iam: 'AccessDenied',
  cloudtrail: 'AccessDeniedException',
  lambda: 'AccessDeniedException',
  organizations: 'AccessDeniedException',
  sts: 'AccessDenied',
  s3: 'AccessDenied',
} as const;

export const THROTTLED = {
  ec2: 'RequestLimitExceeded',
  autoscaling: 'Throttling',
  iam: 'Throttling',
  cloudtrail: 'ThrottlingException',
  lambda: 'TooManyRequestsException',
  organizations: 'TooManyRequestsException',
  sts: 'Throttling',
  s3: 'SlowDown',
} as const;
