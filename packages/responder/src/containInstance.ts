import {
  type EvidenceUndo,
  heldBack,
  type MemberAccountStepName,
  type ResponseModeDecision,
  type SnapshotEvidence,
  type StepRecord,
  type StepSubject,
  skipped,
  stepRunsIn,
  stepsInPhase,
  wouldDo,
} from '@cryptominer-defense/core';
import type { MemberAccountClients } from './clients/responderClients';
import { decidedRecord } from './runAction';
import type { SecurityGroupCache } from './securityGroupCache';
import type {
  AutoScalingResult,
  disableAutoScalingGroup,
  EarlyGroupDescription,
} from './steps/disableAutoScalingGroup';
import type { InstanceFacts } from './steps/inspectInstance';
import { type IsolationResult, isolateNetworkInterfaces } from './steps/isolateNetworkInterfaces';
import type { SecurityGroupLookups } from './steps/lookUpSecurityGroupsEarly';
import { preserveEvidence } from './steps/preserveEvidence';
import { stopInstance } from './steps/stopInstance';

/** What containment did: its records, and what undo and the evidence section need. */
export interface Containment {
  readonly records: readonly StepRecord[];
  readonly isolation: IsolationResult | null;
  readonly autoScaling: AutoScalingResult | null;
  readonly evidenceUndo: EvidenceUndo | null;
  readonly snapshots: readonly SnapshotEvidence[];
  readonly hibernated: boolean;
}

export interface ContainmentPlan {
  readonly instanceId: string;
  readonly findingId: string;
  readonly accountId: string;
  /** The instance as read (null when it could not be read), with the record of that read. */
  readonly instance: InstanceFacts | null;
  readonly mode: ResponseModeDecision;
  /** Steps an earlier delivery completed: not run again (their records come from that delivery). */
  readonly completed: ReadonlySet<MemberAccountStepName>;
  readonly isolationGroupName: string;
  readonly connectionCutGroupName: string;
  readonly hibernate: boolean;
  readonly groupCache?: SecurityGroupCache;
  /** `account/region`, the scope of cached security group ids. */
  readonly scope: string;
  /** Reads started while the instance was read, from what the finding said of it (hints only). */
  readonly readsStartedEarly?: {
    readonly securityGroups: SecurityGroupLookups;
    readonly autoScalingGroup: EarlyGroupDescription | null;
  };
  readonly now: () => Date;
  /**
   * The Auto Scaling step, handed in because it is loaded on demand with the other steps that act after the role
   * is assumed (steps/loadAfterIsolationSteps.ts): a cold start does not load its commands.
   */
  readonly disableAutoScalingGroup: typeof disableAutoScalingGroup;
}

const CONTAINMENT_STEPS = stepsInPhase('containment');

const NOTHING = { isolation: null, autoScaling: null, evidenceUndo: null, snapshots: [], hibernated: false } as const;

/** What the registry's "would do" of a held-back step is told about this instance. */
function subjectOf(instance: InstanceFacts, plan: ContainmentPlan): StepSubject {
  return {
    instanceId: instance.instanceId,
    findingId: plan.findingId,
    accountId: plan.accountId,
    instance: {
      networkInterfaceIds: instance.networkInterfaces.map((eni) => eni.networkInterfaceId),
      autoScalingGroupName: instance.autoScalingGroupName,
      volumeCount: instance.volumes.length,
      hibernates: plan.hibernate && instance.hibernationConfigured,
    },
    isolationGroupName: plan.isolationGroupName,
    connectionCutGroupName: plan.connectionCutGroupName,
    launcherArn: null,
  };
}

/**
 * Contains the instance, as far as the response mode allows: isolate every ENI, and in parallel take it out
 * of its Auto Scaling group and keep the evidence (termination protection, volumes, tags, snapshots); stop
 * (or hibernate) it only after both (the group's scaling to 0/0/0 goes on meanwhile), and never while it is still in its group (a stopped in-service instance
 * is replaced and terminated, with its evidence). Isolation never waits for anything but the instance read.
 * Steps the mode holds back are recorded as skipped with what they would have done; steps an earlier
 * delivery completed are not run.
 */
export async function containInstance(clients: MemberAccountClients, plan: ContainmentPlan): Promise<Containment> {
  const { instance, instanceId, mode } = plan;
  const notContainable = whyNotContainable(instance);
  if (instance === null || notContainable !== null) {
    const reason = notContainable ?? 'the instance could not be read';
    return {
      ...NOTHING,
      records: CONTAINMENT_STEPS.filter((step) => !plan.completed.has(step)).map((step) =>
        decidedRecord({ step, target: instanceId }, skipped(reason), plan.now),
      ),
    };
  }
  const runs = (step: MemberAccountStepName) => !plan.completed.has(step) && stepRunsIn(step, mode.mode);
  const subject = subjectOf(instance, plan);
  const held = (step: MemberAccountStepName) =>
    plan.completed.has(step)
      ? []
      : [decidedRecord({ step, target: instanceId }, heldBack(mode.mode, wouldDo(step, subject) ?? ''), plan.now)];

  const isolation = runs('isolateNetworkInterfaces')
    ? isolateNetworkInterfaces(clients.ec2, instance, {
        isolationGroupName: plan.isolationGroupName,
        connectionCutGroupName: plan.connectionCutGroupName,
        scope: plan.scope,
        ...(plan.groupCache === undefined ? {} : { groupCache: plan.groupCache }),
        ...(plan.readsStartedEarly === undefined ? {} : { lookups: plan.readsStartedEarly.securityGroups }),
      })
    : Promise.resolve(null);
  const autoScaling = runs('disableAutoScalingGroup')
    ? plan.disableAutoScalingGroup(
        clients.autoScaling,
        instanceId,
        instance.autoScalingGroupName,
        plan.readsStartedEarly?.autoScalingGroup ?? undefined,
      )
    : null;
  const evidence = runs('preserveEvidence')
    ? preserveEvidence(clients.ec2, instance, { findingId: plan.findingId, at: plan.now() })
    : Promise.resolve(null);
  // The stop waits for the evidence and for the instance to be out of its group, not for the group's 0/0/0.
  const outOfGroupKnown = autoScaling === null ? Promise.resolve(null) : autoScaling.instanceStillInGroup;
  const stop = Promise.all([outOfGroupKnown, evidence]).then(async ([stillInGroupNow]) => {
    if (!runs('stopInstance')) return null;
    // Unknown (the step did not run now) counts as out of the group only when an earlier delivery completed it.
    const stillInGroup =
      stillInGroupNow === null
        ? !plan.completed.has('disableAutoScalingGroup') && instance.autoScalingGroupName !== null
        : stillInGroupNow;
    if (stillInGroup) {
      return {
        records: [
          decidedRecord(
            { step: 'stopInstance', target: instanceId },
            skipped('the instance is still in its Auto Scaling group: stopped, it would be replaced and terminated'),
            plan.now,
          ),
        ],
        hibernated: false,
      };
    }
    return stopInstance(clients.ec2, instance, { hibernate: plan.hibernate });
  });
  const [isolated, autoScaled, kept, stopped] = await Promise.all([
    isolation,
    autoScaling?.result ?? null,
    evidence,
    stop,
  ]);
  return {
    records: [
      ...(isolated?.records ?? held('isolateNetworkInterfaces')),
      ...(autoScaled?.records ?? heldAutoScaling(instance, plan, held)),
      ...(kept?.records ?? held('preserveEvidence')),
      ...(stopped?.records ?? held('stopInstance')),
    ],
    isolation: isolated,
    autoScaling: autoScaled,
    evidenceUndo: kept?.undo ?? null,
    snapshots: kept?.snapshots ?? [],
    hibernated: stopped?.hibernated ?? false,
  };
}

/** Held back, an instance in no group needs no Auto Scaling step anyway: say that instead. */
function heldAutoScaling(
  instance: InstanceFacts,
  plan: ContainmentPlan,
  held: (step: 'disableAutoScalingGroup') => StepRecord[],
): StepRecord[] {
  if (plan.completed.has('disableAutoScalingGroup')) return [];
  if (instance.autoScalingGroupName === null) {
    return [
      decidedRecord(
        { step: 'disableAutoScalingGroup' },
        skipped('the instance is not in an Auto Scaling group'),
        plan.now,
      ),
    ];
  }
  return held('disableAutoScalingGroup');
}

function whyNotContainable(instance: InstanceFacts | null): string | null {
  if (instance === null) return null;
  if (instance.state === 'terminated' || instance.state === 'shutting-down') {
    return `the instance is ${instance.state}: nothing left to contain`;
  }
  return null;
}
