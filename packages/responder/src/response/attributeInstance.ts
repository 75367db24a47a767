import {
  type Actor,
  type AttributionLink,
  autoScalingLaunchSource,
  isAutoScalingLaunch,
  type StepRecord,
  UNKNOWN_ACTOR,
} from '@cryptominer-defense/core';
import type { InstanceFacts } from '../steps/inspectInstance';
import type { InstanceFinding, MemberAccount } from './responseTypes';

/** Who launched the instance and how that was found. */
export interface Attribution {
  readonly records: readonly StepRecord[];
  readonly actor: Actor;
  readonly chain: readonly AttributionLink[];
}

/** Who launched the instance; for an Auto Scaling launch, followed to whoever configured the group. */
export async function attributeInstance(
  { clients, steps }: MemberAccount,
  finding: InstanceFinding,
  inspection: Promise<{ readonly instance: InstanceFacts | null }>,
): Promise<Attribution> {
  const launched = await steps.attributeLaunch(clients.cloudTrail, finding.instanceId);
  const launchLink: AttributionLink[] =
    launched.actor === UNKNOWN_ACTOR
      ? []
      : [
          {
            eventName: 'RunInstances',
            eventId: launched.actor.eventId,
            eventTime: launched.actor.eventTime,
            actorArn: launched.actor.arn,
            resourceName: finding.instanceId,
          },
        ];
  if (!isAutoScalingLaunch(launched.actor)) {
    return { records: [launched.record], actor: launched.actor, chain: launchLink };
  }
  const source = autoScalingLaunchSource(launched.launchRecord);
  const groupName = source.autoScalingGroupName ?? (await inspection).instance?.autoScalingGroupName ?? null;
  const traced = await steps.traceAutoScalingLaunch(clients.cloudTrail, { ...source, autoScalingGroupName: groupName });
  return {
    records: [launched.record, ...traced.records],
    actor: traced.person?.actor ?? launched.actor,
    chain: traced.person === null ? launchLink : [...launchLink, traced.person.link],
  };
}
