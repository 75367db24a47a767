import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  type Actor,
  classifyActor,
  type StepRecord,
  skipped,
  succeeded,
  UNKNOWN_ACTOR,
} from '@cryptominer-defense/core';
import { runAction } from '../runAction';

/** 50 events a page: 40 pages cover 2,000 events about one instance, far more than a real one has. */
const MAX_PAGES = 40;

/**
 * Finds who launched the instance: CloudTrail LookupEvents in the finding's region, by resource name, paged
 * until the RunInstances record appears. Throttling (2 requests per second per account and region) is
 * absorbed by the client's adaptive retry mode; if it persists, the step fails with ThrottlingException.
 */
export async function attributeLaunch(
  cloudTrail: CloudTrailClient,
  instanceId: string,
): Promise<{ readonly record: StepRecord; readonly actor: Actor; readonly launchRecord: unknown }> {
  const { record, value } = await runAction<{ readonly actor: Actor; readonly launchRecord: unknown }>(
    { step: 'attributeLaunch', target: instanceId },
    async () => {
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const response = await cloudTrail.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: instanceId }],
            MaxResults: 50,
            NextToken: nextToken,
          }),
        );
        const launch = response.Events?.find((event) => event.EventName === 'RunInstances');
        if (launch?.CloudTrailEvent !== undefined) {
          const launchRecord = parseRecord(launch.CloudTrailEvent);
          return { result: succeeded, value: { actor: classifyActor(launchRecord), launchRecord } };
        }
        nextToken = response.NextToken;
        if (nextToken === undefined || nextToken === '') break;
      }
      return {
        result: skipped(`no RunInstances record for ${instanceId} in this region's CloudTrail event history (90 days)`),
        value: { actor: UNKNOWN_ACTOR, launchRecord: null },
      };
    },
    { actor: UNKNOWN_ACTOR, launchRecord: null },
  );
  return { record, ...value };
}

export function parseRecord(cloudTrailEvent: string): unknown {
  try {
    return JSON.parse(cloudTrailEvent);
  } catch {
    // An unreadable record is an unknown actor (classifyActor's answer to anything it cannot read).
    return null;
  }
}
