import type { CloudTrailRecord } from './cloudTrailRecord';
import { type LookupResource, lookupResourcesOf } from './lookupResourcesOf';

/** One entry of LookupEvents' `Events`, on the wire (EventTime in epoch seconds, CloudTrailEvent a JSON string). */
export interface LookupEventOnWire {
  readonly EventId: string;
  readonly EventName: string;
  readonly ReadOnly: string;
  readonly AccessKeyId?: string;
  readonly EventTime: number;
  readonly EventSource: string;
  readonly Username?: string;
  readonly Resources: readonly LookupResource[];
  readonly CloudTrailEvent: string;
}

/** The name event history shows for the caller: the user, the role session, or "root". */
export function lookupUsernameOf(record: CloudTrailRecord): string | undefined {
  const identity = record.userIdentity;
  switch (identity.type) {
    case 'IAMUser':
      return identity.userName;
    case 'AssumedRole':
    case 'FederatedUser':
      return identity.arn?.split('/').pop();
    case 'Root':
      return identity.userName ?? 'root';
    case 'AWSService':
      return identity.invokedBy;
    default:
      return identity.userName;
  }
}

export function lookupEventOf(record: CloudTrailRecord): LookupEventOnWire {
  const accessKeyId = record.userIdentity.accessKeyId;
  const username = lookupUsernameOf(record);
  return {
    EventId: record.eventID,
    EventName: record.eventName,
    ReadOnly: String(record.readOnly ?? false),
    ...(accessKeyId !== undefined && { AccessKeyId: accessKeyId }),
    EventTime: Date.parse(record.eventTime) / 1000,
    EventSource: record.eventSource,
    ...(username !== undefined && { Username: username }),
    Resources: lookupResourcesOf(record),
    CloudTrailEvent: JSON.stringify(record),
  };
}
