import { type CloudTrailClient, type LookupAttribute, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { ConfigurationChange } from '@cryptominer-defense/core';
import { parseRecord } from './attributeLaunch';

/** A configuration has few changes, a launch request few calls: 10 pages of 50 is plenty. */
const MAX_PAGES = 10;

/** What the pages read held, and whether the event history holds more than they did (older events). */
export interface PagedChanges {
  readonly changes: ConfigurationChange[];
  /** The last page read had a next one: events older than `oldestEventTime` were not read. */
  readonly truncated: boolean;
  /** The time of the oldest event read (newest first, as CloudTrail answers); null when none was read. */
  readonly oldestEventTime: string | null;
}

/**
 * The CloudTrail records one LookupEvents attribute finds, paged, that `keep` accepts; each tagged with the
 * resource it is about (for the attribution chain). Throttling is absorbed by the client's adaptive retry.
 */
export async function lookUpChanges(...lookup: Parameters<typeof lookUpChangesPaged>): Promise<ConfigurationChange[]> {
  return (await lookUpChangesPaged(...lookup)).changes;
}

/** As lookUpChanges, saying too whether `maxPages` left older events unread. */
export async function lookUpChangesPaged(
  cloudTrail: CloudTrailClient,
  attribute: LookupAttribute,
  resourceName: string,
  keep: (eventName: string, record: unknown) => boolean,
  maxPages = MAX_PAGES,
): Promise<PagedChanges> {
  const changes: ConfigurationChange[] = [];
  let nextToken: string | undefined;
  let oldestEventTime: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const response = await cloudTrail.send(
      new LookupEventsCommand({ LookupAttributes: [attribute], MaxResults: 50, NextToken: nextToken }),
    );
    for (const event of response.Events ?? []) {
      if (event.EventTime !== undefined) oldestEventTime = event.EventTime.toISOString();
      if (event.EventName === undefined || event.CloudTrailEvent === undefined) continue;
      const record = parseRecord(event.CloudTrailEvent);
      if (keep(event.EventName, record)) changes.push({ record, resourceName });
    }
    nextToken = response.NextToken;
    if (nextToken === undefined || nextToken === '') return { changes, truncated: false, oldestEventTime };
  }
  return { changes, truncated: true, oldestEventTime };
}
