import type { GuardDutyFinding } from './guardDutyFindingEvent';

/** The Lambda function a finding of resource type Lambda names (GuardDuty's resource.lambdaDetails). */
export interface LambdaFunctionOfFinding {
  readonly functionName: string;
  /** The function's ARN, unqualified (no version or alias): what the concurrency calls and IAM act on. */
  readonly functionArn: string;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The function named by `resource.lambdaDetails` (functionName, functionArn); null when neither names a valid
 * function. Without an ARN, one is built from the finding's partition, region and account.
 */
export function lambdaFunctionOfFinding(finding: GuardDutyFinding): LambdaFunctionOfFinding | null {
  const details = (finding.resource as { readonly lambdaDetails?: unknown }).lambdaDetails;
  if (typeof details !== 'object' || details === null) return null;
  const { functionName, functionArn } = details as { readonly functionName?: unknown; readonly functionArn?: unknown };
  const arn = text(functionArn);
  if (arn !== null && FUNCTION_ARN.test(arn)) {
    const [, , , , , , name] = arn.split(':');
    if (name !== undefined) {
      return { functionName: name, functionArn: arn.split(':').slice(0, 7).join(':') };
    }
  }
  const name = text(functionName);
  if (name === null || !FUNCTION_NAME.test(name)) return null;
  return {
    functionName: name,
    functionArn: `arn:${finding.partition}:lambda:${finding.region}:${finding.accountId}:function:${name}`,
  };
}
