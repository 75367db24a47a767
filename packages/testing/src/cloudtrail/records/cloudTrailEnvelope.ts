import { HarnessSetupError } from '../../errors';
import type { CloudTrailRecord, CloudTrailUserIdentity } from '../cloudTrailRecord';

/** What every record builder accepts besides its own fields. */
export interface RecordContext {
  readonly identity: CloudTrailUserIdentity;
  readonly region: string;
  /** Default: one hour ago. */
  readonly eventTime?: Date;
  /** Default: a documentation address for people, the service's name for services. */
  readonly sourceIPAddress?: string;
  /** Default: an AWS CLI user agent for people, the service's name for services. */
  readonly userAgent?: string;
}

/** CloudTrail writes whole seconds: 2026-11-26T10:00:00Z. */
export function cloudTrailTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export interface EnvelopeFields {
  readonly eventSource: string;
  readonly eventName: string;
  readonly requestParameters: Record<string, unknown> | null;
  readonly responseElements: Record<string, unknown> | null;
  readonly resources?: CloudTrailRecord['resources'];
  readonly readOnly?: boolean;
}

/** The fields every management-event record has, filled as CloudTrail fills them. */
export function cloudTrailEnvelope(context: RecordContext, fields: EnvelopeFields): CloudTrailRecord {
  const accountId = context.identity.accountId;
  if (accountId === undefined) {
    throw new HarnessSetupError('A CloudTrail record needs an identity with an accountId (its recipient account).');
  }
  const service = context.identity.invokedBy;
  const requestId = crypto.randomUUID();
  return {
    eventVersion: '1.11',
    userIdentity: context.identity,
    eventTime: cloudTrailTime(context.eventTime ?? new Date(Date.now() - 3_600_000)),
    eventSource: fields.eventSource,
    eventName: fields.eventName,
    awsRegion: context.region,
    sourceIPAddress: context.sourceIPAddress ?? service ?? '203.0.113.45',
    userAgent:
      context.userAgent ?? service ?? 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off',
    requestParameters: fields.requestParameters,
    responseElements: fields.responseElements,
    requestID: requestId,
    eventID: crypto.randomUUID(),
    readOnly: fields.readOnly ?? false,
    ...(fields.resources !== undefined && { resources: fields.resources }),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
  };
}
