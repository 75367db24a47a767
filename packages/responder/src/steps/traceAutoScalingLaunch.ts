import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  type Actor,
  type AttributionLink,
  AUTO_SCALING_GROUP_EVENTS,
  type ConfigurationChange,
  LAUNCH_TEMPLATE_EVENTS,
  personBehindAutoScaling,
  type StepRecord,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import { decidedRecord, runAction } from '../runAction';
import { parseRecord } from './attributeLaunch';

/** A group or template has few configuration events; 10 pages of 50 is plenty. */
const MAX_PAGES = 10;
const STEP = 'traceAutoScalingLaunch';

export interface AutoScalingTrace {
  readonly records: readonly StepRecord[];
  /** The person, when found; otherwise null (the service stays the actor and a person is asked). */
  readonly person: { readonly actor: Actor; readonly link: AttributionLink } | null;
}

async function changesOf(
  cloudTrail: CloudTrailClient,
  resourceName: string,
  eventNames: readonly string[],
): Promise<ConfigurationChange[]> {
  const changes: ConfigurationChange[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await cloudTrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: resourceName }],
        MaxResults: 50,
        NextToken: nextToken,
      }),
    );
    for (const event of response.Events ?? []) {
      if (
        event.EventName !== undefined &&
        eventNames.includes(event.EventName) &&
        event.CloudTrailEvent !== undefined
      ) {
        changes.push({ record: parseRecord(event.CloudTrailEvent), resourceName });
      }
    }
    nextToken = response.NextToken;
    if (nextToken === undefined || nextToken === '') break;
  }
  return changes;
}

/**
 * Follows an Auto Scaling launch to the person (domain.md §4): Auto Scaling's service-linked role made the
 * RunInstances call, so the person is whoever created or last changed the group (CreateAutoScalingGroup,
 * UpdateAutoScalingGroup) or its launch template (CreateLaunchTemplate, CreateLaunchTemplateVersion), found
 * with CloudTrail LookupEvents by resource name in the finding's region. One look-up per resource, each its
 * own action: one failing does not lose the other's answer.
 */
export async function traceAutoScalingLaunch(
  cloudTrail: CloudTrailClient,
  source: { readonly autoScalingGroupName: string | null; readonly launchTemplateId: string | null },
): Promise<AutoScalingTrace> {
  const lookups = [
    ...(source.autoScalingGroupName === null
      ? []
      : [
          {
            action: 'lookUpGroupChanges',
            resourceName: source.autoScalingGroupName,
            events: AUTO_SCALING_GROUP_EVENTS,
          },
        ]),
    ...(source.launchTemplateId === null
      ? []
      : [
          {
            action: 'lookUpLaunchTemplateChanges',
            resourceName: source.launchTemplateId,
            events: LAUNCH_TEMPLATE_EVENTS,
          },
        ]),
  ];
  if (lookups.length === 0) {
    const reason = 'neither the Auto Scaling group nor the launch template is known: nothing to follow';
    return { records: [decidedRecord({ step: STEP }, skipped(reason))], person: null };
  }
  const outcomes = await Promise.all(
    lookups.map((lookup) =>
      runAction<ConfigurationChange[]>(
        { step: STEP, action: lookup.action, target: lookup.resourceName },
        async () => ({ result: succeeded, value: await changesOf(cloudTrail, lookup.resourceName, lookup.events) }),
        [],
      ),
    ),
  );
  const person = personBehindAutoScaling(outcomes.flatMap((outcome) => outcome.value));
  // No person found is not a failure of the look-up: the report then asks a person (the actor stays the service).
  return { records: outcomes.map((outcome) => outcome.record), person };
}
