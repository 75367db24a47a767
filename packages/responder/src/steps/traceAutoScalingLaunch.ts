import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  type Actor,
  type AttributionLink,
  AUTO_SCALING_GROUP_EVENTS,
  LAUNCH_TEMPLATE_EVENTS,
  latestChangeByPerson,
  type StepRecord,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import { decidedRecord, runAction } from '../runAction';
import { lookUpChanges } from './cloudTrailChanges';

const STEP = 'traceAutoScalingLaunch';

/** What a trace found: the person behind a service's launch, with the call that shows it. */
export interface LaunchTrace {
  readonly records: readonly StepRecord[];
  /** The person, when found; otherwise null (the service stays the actor and a person is asked). */
  readonly person: { readonly actor: Actor; readonly link: AttributionLink } | null;
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
): Promise<LaunchTrace> {
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
      runAction(
        { step: STEP, action: lookup.action, target: lookup.resourceName },
        async () => ({
          result: succeeded,
          value: await lookUpChanges(
            cloudTrail,
            { AttributeKey: 'ResourceName', AttributeValue: lookup.resourceName },
            lookup.resourceName,
            (eventName) => (lookup.events as readonly string[]).includes(eventName),
          ),
        }),
        [],
      ),
    ),
  );
  const person = latestChangeByPerson(outcomes.flatMap((outcome) => outcome.value));
  // No person found is not a failure of the look-up: the report then asks a person (the actor stays the service).
  return { records: outcomes.map((outcome) => outcome.record), person };
}
