import { CloudTrailApiError } from './cloudTrailApiError';
import type { CloudTrailRecord } from './cloudTrailRecord';
import { type LookupEventOnWire, lookupEventOf } from './lookupEventOf';
import type { LookupQuery } from './lookupQuery';

export interface LookupPage {
  readonly Events: readonly LookupEventOnWire[];
  readonly NextToken?: string;
}

function matches(event: LookupEventOnWire, query: LookupQuery): boolean {
  if (query.startTime !== undefined && event.EventTime < query.startTime) return false;
  if (query.endTime !== undefined && event.EventTime > query.endTime) return false;
  const attribute = query.attribute;
  if (attribute === undefined) return true;
  switch (attribute.key) {
    case 'ResourceName':
      return event.Resources.some((resource) => resource.ResourceName === attribute.value);
    case 'ResourceType':
      return event.Resources.some((resource) => resource.ResourceType === attribute.value);
    default:
      return event[attribute.key] === attribute.value;
  }
}

/** A paging token bound to the query it came from, as CloudTrail's are. */
function tokenFor(offset: number, query: LookupQuery): string {
  const { nextToken: _ignored, ...rest } = query;
  return Buffer.from(JSON.stringify({ offset, query: rest })).toString('base64url');
}

function offsetFrom(token: string, query: LookupQuery): number {
  const { nextToken: _ignored, ...rest } = query;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      offset?: unknown;
      query?: unknown;
    };
    if (typeof decoded.offset === 'number' && JSON.stringify(decoded.query) === JSON.stringify(rest)) {
      return decoded.offset;
    }
  } catch {
    // Fall through: a token that does not parse is as invalid as one from another query.
  }
  throw new CloudTrailApiError(
    'InvalidNextTokenException',
    'The NextToken is invalid or belongs to a different query.',
  );
}

/** CloudTrail event history, one list per account and region (LookupEvents never crosses either). */
export class CloudTrailEventStore {
  private readonly events = new Map<string, LookupEventOnWire[]>();

  private static key(accountId: string, region: string): string {
    return `${accountId}/${region}`;
  }

  /** Files each record under its recipientAccountId and awsRegion. */
  add(...records: CloudTrailRecord[]): void {
    for (const record of records) {
      const key = CloudTrailEventStore.key(record.recipientAccountId, record.awsRegion);
      const list = this.events.get(key) ?? [];
      list.push(lookupEventOf(record));
      // Event history answers newest first.
      list.sort((a, b) => b.EventTime - a.EventTime);
      this.events.set(key, list);
    }
  }

  clear(): void {
    this.events.clear();
  }

  lookup(accountId: string, region: string, query: LookupQuery): LookupPage {
    const all = (this.events.get(CloudTrailEventStore.key(accountId, region)) ?? []).filter((event) =>
      matches(event, query),
    );
    const offset = query.nextToken === undefined ? 0 : offsetFrom(query.nextToken, query);
    const page = all.slice(offset, offset + query.maxResults);
    const nextOffset = offset + page.length;
    return nextOffset < all.length ? { Events: page, NextToken: tokenFor(nextOffset, query) } : { Events: page };
  }
}
