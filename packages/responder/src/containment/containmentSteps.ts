import type { StepOfPhase } from '@cryptominer-defense/core';
import { skipped } from '@cryptominer-defense/core';
import { decidedRecord } from '../runAction';
import { denyInNetworkAcls } from '../steps/denyInNetworkAcls';
import { isolateNetworkInterfaces } from '../steps/isolateNetworkInterfaces';
import { liftStopProtection, readStopProtection, type StopProtectionRead } from '../steps/liftStopProtection';
import { preserveEvidence } from '../steps/preserveEvidence';
import { stopInstance } from '../steps/stopInstance';
import type { ContainmentContext, ContainmentStep, Gate } from './containmentStep';
import { OPEN } from './containmentStep';

const STILL_IN_GROUP: Gate = {
  blocks: 'the instance is still in its Auto Scaling group: stopped, it would be replaced and terminated',
};

/** A step whose early read has a type of its own (the table holds steps of any). */
function withEarlyRead<Early>(step: ContainmentStep<Early>): ContainmentStep {
  return step;
}

const inAutoScalingGroup = ({ instance }: ContainmentContext) => instance.autoScalingGroupName !== null;

/**
 * How the engine runs each containment step of core's registry (phase `containment`), keyed like the registry: a
 * step added there without an entry here does not compile. Each starts once the steps it waits for (`after`) opened
 * or closed their gates; containInstance.ts runs them and holds back what the mode does
 * not allow.
 */
export const CONTAINMENT_STEPS: Readonly<Record<StepOfPhase<'containment'>, ContainmentStep>> = {
  isolateNetworkInterfaces: {
    calls: 'isolation',
    start: ({ clients, instance, plan }) => {
      const done = isolateNetworkInterfaces(clients.ec2, instance, {
        isolationGroupName: plan.isolationGroupName,
        connectionCutGroupName: plan.connectionCutGroupName,
        scope: plan.scope,
        ...(plan.groupCache === undefined ? {} : { groupCache: plan.groupCache }),
        ...(plan.readsStartedEarly === undefined ? {} : { lookups: plan.readsStartedEarly.securityGroups }),
      }).then((isolated) => ({ records: isolated.records, undo: { networkInterfaces: [...isolated.undo] } }));
      return { ready: done.then(() => OPEN), done };
    },
  },
  denyInNetworkAcls: {
    calls: 'isolation',
    // Beside the group swap: nothing waits for it, and it waits for the instance read only.
    start: ({ clients, instance, plan }) => {
      const shared = plan.readsInFlight === undefined ? {} : { shared: plan.readsInFlight, scope: plan.scope };
      const done = denyInNetworkAcls(clients.ec2, instance, shared).then((cut) => ({
        records: cut.records,
        undo: { networkAclEntries: [...cut.undo] },
      }));
      return { ready: done.then(() => OPEN), done };
    },
  },
  revokeInstanceCredentials: {
    calls: 'afterIsolation',
    // Beside the swap too: the stolen credentials are denied as soon as the instance is read.
    start: ({ clients, instance, plan }) => {
      const done = plan.revokeInstanceCredentials(clients.ec2, clients.iam, instance, plan).then((revoked) => ({
        records: revoked.records,
        undo: { instanceCredentials: revoked.undo },
      }));
      return { ready: done.then(() => OPEN), done };
    },
  },
  disableAutoScalingGroup: {
    calls: 'afterIsolation',
    start: ({ clients, instance, plan }) => {
      const response = plan.disableAutoScalingGroup(
        clients.autoScaling,
        instance.instanceId,
        instance.autoScalingGroupName,
        plan.readsStartedEarly?.autoScalingGroup ?? undefined,
      );
      return {
        // Dependents wait for the instance to be out of the group, not for the group's 0/0/0.
        ready: response.instanceStillInGroup.then((stillInGroup) => (stillInGroup ? STILL_IN_GROUP : OPEN)),
        done: response.result.then((result) => ({ records: result.records, undo: { autoScalingGroup: result.undo } })),
      };
    },
    nothingToDo: (context) =>
      inAutoScalingGroup(context)
        ? null
        : [
            decidedRecord(
              { step: 'disableAutoScalingGroup' },
              skipped('the instance is not in an Auto Scaling group'),
              context.plan.now,
            ),
          ],
    gateWhenNotRun: (context) => (inAutoScalingGroup(context) ? STILL_IN_GROUP : OPEN),
  },
  preserveEvidence: {
    calls: 'afterIsolation',
    start: ({ clients, instance, plan }) => {
      const done = preserveEvidence(clients.ec2, instance, { findingId: plan.findingId, at: plan.now() }).then(
        (kept) => ({
          records: kept.records,
          undo: { evidence: kept.undo },
          evidence: { snapshots: [...kept.snapshots] },
        }),
      );
      // The stop waits for the evidence to be kept or to have failed: either way, it is as kept as it will be.
      return { ready: done.then(() => OPEN), done };
    },
  },
  liftStopProtection: withEarlyRead<StopProtectionRead>({
    calls: 'afterIsolation',
    // The setting is read at once; only lifting it waits for the evidence (so the stop waits for no extra call
    // when, as usual, it is off).
    readEarly: ({ clients, instance }) => readStopProtection(clients.ec2, instance.instanceId),
    start: ({ clients, instance }, _gates, early) => {
      const done = liftStopProtection(clients.ec2, instance, early).then((lifted) => ({
        records: lifted.records,
        undo: { stopProtection: lifted.undo },
      }));
      return { ready: done.then(() => OPEN), done };
    },
  }),
  stopInstance: {
    calls: 'afterIsolation',
    start: ({ clients, instance, plan }, gates) => {
      const done = (async () => {
        const closed = gates.find((gate) => gate.blocks !== null);
        if (closed?.blocks) {
          const record = decidedRecord(
            { step: 'stopInstance', target: instance.instanceId },
            skipped(closed.blocks),
            plan.now,
          );
          return { records: [record] };
        }
        const stopped = await stopInstance(clients.ec2, instance, { hibernate: plan.hibernate });
        return { records: stopped.records, evidence: { hibernated: stopped.hibernated } };
      })();
      return { ready: done.then(() => OPEN), done };
    },
  },
};
