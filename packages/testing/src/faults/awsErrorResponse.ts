import type { AwsRequestIdentity } from './identifyAwsRequest';

/** The faults the proxy can answer with instead of forwarding a call. */
export type ErrorFaultKind = 'throttle' | 'serverError' | 'accessDenied';

export interface AwsErrorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface ErrorCode {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** The call a fault answers: its protocol gives the error's wire shape, its service (signing name) the code. */
export type FaultedCall = Pick<AwsRequestIdentity, 'service' | 'protocol'>;

/**
 * JSON services whose throttling error is their own, per their API references (codes and HTTP statuses as
 * the SDK's models have them). Organizations answers every operation's throttling with TooManyRequestsException;
 * CloudTrail (LookupEvents) with ThrottlingException, HTTP 429.
 */
const JSON_THROTTLING_BY_SERVICE: Readonly<Record<string, ErrorCode>> = {
  organizations: {
    status: 429,
    code: 'TooManyRequestsException',
    message: 'You have sent too many requests in too short a period of time. Try again later.',
  },
  cloudtrail: { status: 429, code: 'ThrottlingException', message: 'Rate exceeded' },
};

/** The error code each service family really returns for each fault, so the SDK classifies it as AWS would. */
function errorCodeFor(kind: ErrorFaultKind, { protocol, service }: FaultedCall): ErrorCode {
  switch (kind) {
    case 'throttle':
      if (protocol === 'ec2Query')
        return { status: 503, code: 'RequestLimitExceeded', message: 'Request limit exceeded.' };
      if (protocol === 'restXml') return { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };
      if (protocol === 'awsJson')
        return (
          JSON_THROTTLING_BY_SERVICE[service] ?? { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' }
        );
      return { status: 400, code: 'Throttling', message: 'Rate exceeded' };
    case 'serverError':
      if (protocol === 'ec2Query')
        return { status: 500, code: 'InternalError', message: 'An internal error has occurred' };
      if (protocol === 'awsJson') return { status: 500, code: 'InternalFailure', message: 'Internal failure' };
      return { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' };
    case 'accessDenied':
      if (protocol === 'ec2Query') {
        return {
          status: 403,
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation.',
        };
      }
      if (protocol === 'awsJson')
        return { status: 400, code: 'AccessDeniedException', message: 'Access denied (injected)' };
      return { status: 403, code: 'AccessDenied', message: 'Access denied (injected)' };
  }
}

/** The AWS error code the proxy answers a call with, for a fault kind and the call's protocol and service. */
export function injectedErrorCode(kind: ErrorFaultKind, call: FaultedCall): string {
  return errorCodeFor(kind, call).code;
}

/** An error response in the wire shape of the request's protocol, with the code its service uses. */
export function awsErrorResponse(kind: ErrorFaultKind, call: FaultedCall, requestId: string): AwsErrorResponse {
  const { protocol } = call;
  const { status, code, message } = errorCodeFor(kind, call);
  const common = { 'x-amzn-requestid': requestId, 'x-amz-request-id': requestId };
  switch (protocol) {
    case 'awsJson':
      return {
        status,
        headers: { ...common, 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'ec2Query':
      return {
        status,
        headers: { ...common, 'content-type': 'text/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case 'restXml':
      return {
        status,
        headers: { ...common, 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
    case 'awsQuery':
      return {
        status,
        headers: { ...common, 'content-type': 'text/xml' },
        body: `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
  }
}
