import { ConfigurationError } from './errors';

/** The responder's configuration, the same for the Lambda and the CLI; read once at start-up. */
export interface ResponderConfiguration {
  /** `REPORT_BUCKET` (required): the central bucket incident reports go to. */
  readonly reportBucket: string;
  /** `REPORT_KMS_KEY_ID`: KMS key for SSE-KMS on reports; unset → the bucket's default encryption. */
  readonly reportKmsKeyId: string | null;
  /** `RESPONDER_ROLE_NAME`: the role assumed in member accounts. */
  readonly responderRoleName: string;
  /** `ISOLATION_SG_NAME`: the isolation security group's name, found or created per VPC. */
  readonly isolationSecurityGroupName: string;
  /** `PROTECTED_PRINCIPALS`: comma-separated ARN patterns never to freeze (`*` wildcards). */
  readonly protectedPrincipalPatterns: readonly string[];
  /** `AWS_REGION`: the central region (Organizations, STS, S3 and SNS calls go there). */
  readonly centralRegion: string;
  /** `ALERT_TOPIC_ARN`: SNS topic for a short summary of each incident; unset → no alert. */
  readonly alertTopicArn: string | null;
}

export const DEFAULT_RESPONDER_ROLE_NAME = 'CryptominerResponderRole';
export const DEFAULT_ISOLATION_SECURITY_GROUP_NAME = 'CryptominerIsolationGroup';

type Environment = Readonly<Record<string, string | undefined>>;

function read(env: Environment, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function required(env: Environment, variable: string, example: string): string {
  const value = read(env, variable);
  if (value === undefined) throw new ConfigurationError(variable, `is required but not set (for example ${example})`);
  return value;
}

function checked(variable: string, value: string, pattern: RegExp, expectation: string): string {
  if (!pattern.test(value)) throw new ConfigurationError(variable, `is "${value}", but must be ${expectation}`);
  return value;
}

const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
// Security group names: up to 255 characters, not starting with "sg-" (EC2 reserves it).
const SECURITY_GROUP_NAME = /^(?!sg-)[\w .:/()#,@[\]+=&;{}!$*-]{1,255}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ARN_PATTERN = /^arn:[^\s,]+$/;
const SNS_TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

/** Parses the configuration from the environment; throws ConfigurationError naming the variable at fault. */
export function parseConfiguration(env: Environment): ResponderConfiguration {
  const reportBucket = checked(
    'REPORT_BUCKET',
    required(env, 'REPORT_BUCKET', 'REPORT_BUCKET=my-incident-reports'),
    BUCKET_NAME,
    'an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)',
  );
  const centralRegion = checked(
    'AWS_REGION',
    required(env, 'AWS_REGION', 'AWS_REGION=us-east-1'),
    REGION,
    'an AWS region name such as us-east-1',
  );
  const protectedPrincipalPatterns = (read(env, 'PROTECTED_PRINCIPALS') ?? '')
    .split(',')
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern !== '')
    .map((pattern) =>
      checked(
        'PROTECTED_PRINCIPALS',
        pattern,
        ARN_PATTERN,
        'a comma-separated list of ARN patterns such as arn:aws:iam::*:role/BreakGlass*',
      ),
    );
  const alertTopicArn = read(env, 'ALERT_TOPIC_ARN');
  return {
    reportBucket,
    reportKmsKeyId: read(env, 'REPORT_KMS_KEY_ID') ?? null,
    responderRoleName: checked(
      'RESPONDER_ROLE_NAME',
      read(env, 'RESPONDER_ROLE_NAME') ?? DEFAULT_RESPONDER_ROLE_NAME,
      ROLE_NAME,
      'an IAM role name (1-64 characters: letters, digits and +=,.@_-)',
    ),
    isolationSecurityGroupName: checked(
      'ISOLATION_SG_NAME',
      read(env, 'ISOLATION_SG_NAME') ?? DEFAULT_ISOLATION_SECURITY_GROUP_NAME,
      SECURITY_GROUP_NAME,
      'a security group name (1-255 characters, not starting with "sg-")',
    ),
    protectedPrincipalPatterns,
    centralRegion,
    alertTopicArn:
      alertTopicArn === undefined
        ? null
        : checked(
            'ALERT_TOPIC_ARN',
            alertTopicArn,
            SNS_TOPIC_ARN,
            'an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)',
          ),
  };
}
