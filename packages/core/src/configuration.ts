import { DEFAULT_MAX_INSTANCES_PER_SEQUENCE } from './attackSequenceInstances';
import { DEFAULT_MAX_FOLLOWED_INSTANCES } from './attribution/followActor';
import {
  arnPatterns,
  checked,
  type Environment,
  parseBoolean,
  parseSwitch,
  parseWholeNumber,
  read,
  required,
} from './environmentReaders';
import { ConfigurationError } from './errors';
import { firstSchemaIssue } from './firstSchemaIssue';
import { DEFAULT_RESPONSE_POLICY, type ResponsePolicy, responsePolicySchema } from './responsePolicy';

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
  /**
   * `CHAT_ALERT_TOPIC_ARN`: SNS topic for the same alert as an Amazon Q Developer (AWS Chatbot) custom notification,
   * the topic a chat channel is configured with; unset → none (docs/decisions/0022).
   */
  readonly chatAlertTopicArn: string | null;
  /** `CONNECTION_CUT_SG_NAME`: the all-open group an ENI passes through so its tracked flows end, per VPC. */
  readonly connectionCutSecurityGroupName: string;
  /** `RESPONSE_POLICY` (JSON): observe / contain / full by OU, account and instance tag; default full. */
  readonly responsePolicy: ResponsePolicy;
  /** `HIBERNATE_INSTANCES` (`true`/`false`, default true): hibernate instead of stop when the instance allows it. */
  readonly hibernateInstances: boolean;
  /** `ATTACK_SEQUENCE_MAX_INSTANCES` (1-400, default 50): instances of one attack sequence contained at most. */
  readonly maxInstancesPerSequence: number;
  /** `LAUNCH_AGE_THRESHOLD_HOURS` (1-2160, default 48): older launches are workloads exploited later, nobody frozen. */
  readonly launchAgeThresholdHours: number;
  /** `DEPLOYMENT_PRINCIPALS`: comma-separated ARN patterns of CI/CD identities that launch for everyone, never frozen. */
  readonly deploymentPrincipalPatterns: readonly string[];
  /**
   * `MAX_FOLLOWED_INSTANCES` (0-1000, default 10): of the attributed person's other running instances (any region),
   * at most this many are contained; the rest are listed for a person. 0 lists them all without containing any.
   */
  readonly maxFollowedInstances: number;
  /** `PAUSE_SWITCH_CACHE_SECONDS` (0-30, default 5): how long a container trusts the pause switch it read. */
  readonly pauseSwitchCacheSeconds: number;
  /** The blast-radius cap (docs/decisions/0019): instances contained at most per hour, per account and in all. */
  readonly containmentCap: ContainmentCap;
  /** `SECURITY_HUB_UPDATES` (`on`/`off`; unset: off, the central stack sets on): tell Security Hub of each incident. */
  readonly securityHubUpdates: boolean;
}

/**
 * `CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR` (default 10) and `CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR` (default 50),
 * 1-1000 each: a finding beyond either is answered in observe mode, for a person.
 */
export interface ContainmentCap {
  readonly perAccountPerHour: number;
  readonly perOrganizationPerHour: number;
}

export const DEFAULT_CONTAINMENT_CAP: ContainmentCap = { perAccountPerHour: 10, perOrganizationPerHour: 50 };
/** One listing page (1,000 keys) holds every slot of an hour, so the free slot is known in one read. */
export const MAX_CONTAINMENT_CAP = 1000;

export const DEFAULT_RESPONDER_ROLE_NAME = 'CryptominerResponderRole';
export const DEFAULT_ISOLATION_SECURITY_GROUP_NAME = 'CryptominerIsolationGroup';
export const DEFAULT_CONNECTION_CUT_SECURITY_GROUP_NAME = 'CryptominerConnectionCutGroup';

const RESPONSE_POLICY_EXAMPLE =
  '{"default":"full","rules":[{"organizationalUnit":"ou-ab12-cd34ef56","mode":"observe"},{"account":"111122223333","mode":"contain"},{"tag":{"key":"Environment","value":"production"},"mode":"contain"}]}';

function parseResponsePolicy(env: Environment): ResponsePolicy {
  const text = read(env, 'RESPONSE_POLICY');
  if (text === undefined) return DEFAULT_RESPONSE_POLICY;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError('RESPONSE_POLICY', `is not JSON (for example ${RESPONSE_POLICY_EXAMPLE})`, {
      cause: error,
    });
  }
  const parsed = responsePolicySchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigurationError(
      'RESPONSE_POLICY',
      `is not a valid response policy: ${firstSchemaIssue(parsed.error, '(policy)')}. Modes are observe, contain, full; rules name an organizationalUnit, an account or a tag (for example ${RESPONSE_POLICY_EXAMPLE})`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

export const DEFAULT_PAUSE_SWITCH_CACHE_SECONDS = 5;
/** A pause must reach every container within seconds (issue 16): half a minute at most. */
const MAX_PAUSE_SWITCH_CACHE_SECONDS = 30;

/** GuardDuty names at most 400 resources in a sequence (API reference, Sequence.resources). */
const MAX_SEQUENCE_RESOURCES = 400;

function parseMaxInstancesPerSequence(env: Environment): number {
  return parseWholeNumber(env, 'ATTACK_SEQUENCE_MAX_INSTANCES', {
    min: 1,
    max: MAX_SEQUENCE_RESOURCES,
    fallback: DEFAULT_MAX_INSTANCES_PER_SEQUENCE,
  });
}

function parseContainmentCap(env: Environment): ContainmentCap {
  return {
    perAccountPerHour: parseWholeNumber(env, 'CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR', {
      min: 1,
      max: MAX_CONTAINMENT_CAP,
      fallback: DEFAULT_CONTAINMENT_CAP.perAccountPerHour,
    }),
    perOrganizationPerHour: parseWholeNumber(env, 'CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR', {
      min: 1,
      max: MAX_CONTAINMENT_CAP,
      fallback: DEFAULT_CONTAINMENT_CAP.perOrganizationPerHour,
    }),
  };
}

const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
// Security group names: up to 255 characters, not starting with "sg-" (EC2 reserves it).
const SECURITY_GROUP_NAME = /^(?!sg-)[\w .:/()#,@[\]+=&;{}!$*-]{1,255}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const SNS_TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

/** A bound on one response's fan-out: a thousand containments from one finding is a person's call, not a Lambda's. */
const MAX_FOLLOWED_INSTANCES = 1000;

/** Up to CloudTrail's 90 days of event history: beyond it, no launch record is found anyway. */
const MAX_LAUNCH_AGE_THRESHOLD_HOURS = 2160;
export const DEFAULT_LAUNCH_AGE_THRESHOLD_HOURS = 48;

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
  const protectedPrincipalPatterns = arnPatterns(env, 'PROTECTED_PRINCIPALS', 'arn:aws:iam::*:role/BreakGlass*');
  const topicArn = (name: string) => {
    const value = read(env, name);
    return value === undefined
      ? null
      : checked(name, value, SNS_TOPIC_ARN, 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)');
  };
  const isolationSecurityGroupName = checked(
    'ISOLATION_SG_NAME',
    read(env, 'ISOLATION_SG_NAME') ?? DEFAULT_ISOLATION_SECURITY_GROUP_NAME,
    SECURITY_GROUP_NAME,
    'a security group name (1-255 characters, not starting with "sg-")',
  );
  const connectionCutSecurityGroupName = checked(
    'CONNECTION_CUT_SG_NAME',
    read(env, 'CONNECTION_CUT_SG_NAME') ?? DEFAULT_CONNECTION_CUT_SECURITY_GROUP_NAME,
    SECURITY_GROUP_NAME,
    'a security group name (1-255 characters, not starting with "sg-")',
  );
  if (connectionCutSecurityGroupName === isolationSecurityGroupName) {
    throw new ConfigurationError(
      'CONNECTION_CUT_SG_NAME',
      `is "${connectionCutSecurityGroupName}", the same as ISOLATION_SG_NAME: the all-open group and the no-rule group must differ`,
    );
  }
  return {
    reportBucket,
    reportKmsKeyId: read(env, 'REPORT_KMS_KEY_ID') ?? null,
    responderRoleName: checked(
      'RESPONDER_ROLE_NAME',
      read(env, 'RESPONDER_ROLE_NAME') ?? DEFAULT_RESPONDER_ROLE_NAME,
      ROLE_NAME,
      'an IAM role name (1-64 characters: letters, digits and +=,.@_-)',
    ),
    isolationSecurityGroupName,
    protectedPrincipalPatterns,
    centralRegion,
    alertTopicArn: topicArn('ALERT_TOPIC_ARN'),
    chatAlertTopicArn: topicArn('CHAT_ALERT_TOPIC_ARN'),
    connectionCutSecurityGroupName,
    responsePolicy: parseResponsePolicy(env),
    hibernateInstances: parseBoolean(env, 'HIBERNATE_INSTANCES', true),
    maxInstancesPerSequence: parseMaxInstancesPerSequence(env),
    launchAgeThresholdHours: parseWholeNumber(env, 'LAUNCH_AGE_THRESHOLD_HOURS', {
      min: 1,
      max: MAX_LAUNCH_AGE_THRESHOLD_HOURS,
      fallback: DEFAULT_LAUNCH_AGE_THRESHOLD_HOURS,
    }),
    deploymentPrincipalPatterns: arnPatterns(env, 'DEPLOYMENT_PRINCIPALS', 'arn:aws:iam::*:role/GitHubActions*'),
    maxFollowedInstances: parseWholeNumber(env, 'MAX_FOLLOWED_INSTANCES', {
      min: 0,
      max: MAX_FOLLOWED_INSTANCES,
      fallback: DEFAULT_MAX_FOLLOWED_INSTANCES,
    }),
    pauseSwitchCacheSeconds: parseWholeNumber(env, 'PAUSE_SWITCH_CACHE_SECONDS', {
      min: 0,
      max: MAX_PAUSE_SWITCH_CACHE_SECONDS,
      fallback: DEFAULT_PAUSE_SWITCH_CACHE_SECONDS,
    }),
    containmentCap: parseContainmentCap(env),
    securityHubUpdates: parseSwitch(env, 'SECURITY_HUB_UPDATES', false),
  };
}

/** Where the Lambda handler takes findings from; read once, when the handler is created. */
export interface InvocationSources {
  /** `FINDING_QUEUE_ARN`: an SQS record is handled only when its `eventSourceARN` is this queue. */
  readonly findingQueueArn: string | null;
  /**
   * `ALLOW_DIRECT_INVOCATION` (`true`/`false`, default false): a bare EventBridge event is handled, and so is an
   * SQS-shaped batch when no queue is configured. For test harnesses only: in AWS, anyone with
   * `lambda:InvokeFunction` could then hand the function a forged finding.
   */
  readonly allowDirectInvocation: boolean;
}

const SQS_QUEUE_ARN = /^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}$/;

/** Parses FINDING_QUEUE_ARN and ALLOW_DIRECT_INVOCATION; one of them must say where findings come from. */
export function parseInvocationSources(env: Environment): InvocationSources {
  const queueArn = read(env, 'FINDING_QUEUE_ARN');
  const allowDirectInvocation = parseBoolean(env, 'ALLOW_DIRECT_INVOCATION', false);
  if (queueArn === undefined && !allowDirectInvocation) {
    throw new ConfigurationError(
      'FINDING_QUEUE_ARN',
      'is required but not set: the handler accepts SQS records from that queue only (for example FINDING_QUEUE_ARN=arn:aws:sqs:us-east-1:111122223333:findings; a test harness that hands events directly sets ALLOW_DIRECT_INVOCATION=true instead)',
    );
  }
  return {
    findingQueueArn:
      queueArn === undefined
        ? null
        : checked(
            'FINDING_QUEUE_ARN',
            queueArn,
            SQS_QUEUE_ARN,
            'an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)',
          ),
    allowDirectInvocation,
  };
}
