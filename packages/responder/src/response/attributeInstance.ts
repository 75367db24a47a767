import {
  type Actor,
  type AttributionLink,
  type AttributionSettings,
  autoScalingLaunchSource,
  decideWhomToFreeze,
  describeLaunchOrigin,
  type FreezeDecision,
  type InstanceHints,
  type LaunchOrigin,
  launchOriginOf,
  launchRequestSearchOf,
  type StepRecord,
  UNKNOWN_ACTOR,
} from '@cryptominer-defense/core';
import type { InstanceFacts } from '../steps/inspectInstance';
import type { LaunchTrace } from '../steps/traceAutoScalingLaunch';
import type { InstanceFinding, MemberAccount } from './responseTypes';

/** Who launched the instance, how that was found, and whom the response freezes. */
export interface Attribution {
  readonly records: readonly StepRecord[];
  /** The person behind the launch when one was found, else the RunInstances caller. */
  readonly actor: Actor;
  readonly chain: readonly AttributionLink[];
  readonly decision: FreezeDecision;
  /** What launched the instance, in words, for the report. */
  readonly launchedBy: string;
}

/** What attribution needs besides the member account: the finding's times and the attribution settings. */
export interface AttributionFacts {
  readonly hints: Pick<InstanceHints, 'launchTime' | 'firstSeen'>;
  readonly settings: AttributionSettings;
}

const NOBODY_BEHIND: LaunchTrace = { records: [], person: null };

/** The trace behind a service's launch: the group and template for Auto Scaling, the request for the others. */
async function traceOrigin(
  { clients, steps }: MemberAccount,
  origin: LaunchOrigin,
  launchRecord: unknown,
  instance: InstanceFacts | null,
): Promise<LaunchTrace> {
  if (origin.kind === 'autoScaling') {
    const source = autoScalingLaunchSource(launchRecord);
    const groupName = source.autoScalingGroupName ?? instance?.autoScalingGroupName ?? null;
    return steps.traceAutoScalingLaunch(clients.cloudTrail, { ...source, autoScalingGroupName: groupName });
  }
  const search = launchRequestSearchOf(origin);
  return search === null ? NOBODY_BEHIND : steps.traceLaunchRequest(clients.cloudTrail, search);
}

/**
 * Who launched the instance (CloudTrail RunInstances), followed to the person behind a service (Auto Scaling,
 * CloudFormation, EC2 Fleet, Spot Fleet, a spot request), then whom to freeze (core's decideWhomToFreeze).
 */
export async function attributeInstance(
  reached: MemberAccount,
  finding: InstanceFinding,
  inspection: Promise<{ readonly instance: InstanceFacts | null }>,
  facts: AttributionFacts,
): Promise<Attribution> {
  const launched = await reached.steps.attributeLaunch(reached.clients.cloudTrail, finding.instanceId);
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
  const { instance } = await inspection;
  const origin = launchOriginOf({
    launcher: launched.actor,
    instanceTags: instance?.tags ?? null,
    spotInstanceRequestId: instance?.spotInstanceRequestId ?? null,
  });
  const traced = await traceOrigin(reached, origin, launched.launchRecord, instance);
  const decision = decideWhomToFreeze({
    launcher: launched.actor,
    origin,
    requester: traced.person?.actor ?? null,
    launchTime: facts.hints.launchTime,
    firstSeen: facts.hints.firstSeen,
    instanceId: finding.instanceId,
    settings: facts.settings,
  });
  return {
    records: [launched.record, ...traced.records],
    actor: traced.person?.actor ?? launched.actor,
    chain: traced.person === null ? launchLink : [...launchLink, traced.person.link],
    decision,
    launchedBy: describeLaunchOrigin(origin),
  };
}
