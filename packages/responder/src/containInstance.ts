import { type StepRecord, skipped } from '@cryptominer-defense/core';
import type { MemberAccountClients } from './clients/responderClients';
import { decidedRecord } from './runAction';
import { type AutoScalingResult, disableAutoScalingGroup } from './steps/disableAutoScalingGroup';
import { type InstanceFacts, inspectInstance } from './steps/inspectInstance';
import { type IsolationResult, isolateNetworkInterfaces } from './steps/isolateNetworkInterfaces';
import { stopInstance } from './steps/stopInstance';

/** What containment did: its records, and the undo information of isolation and Auto Scaling. */
export interface Containment {
  readonly records: readonly StepRecord[];
  readonly isolation: IsolationResult | null;
  readonly autoScaling: AutoScalingResult | null;
}

/**
 * Contains the instance: read it, then isolate every ENI and take it out of its Auto Scaling group in
 * parallel; stop it only after the Auto Scaling step, and never while it is still in its group (a stopped
 * in-service instance is replaced and terminated, with its evidence).
 */
export async function containInstance(
  clients: MemberAccountClients,
  instanceId: string,
  isolationGroupName: string,
): Promise<Containment> {
  const inspected = await inspectInstance(clients.ec2, instanceId);
  const instance = inspected.instance;
  const notContainable = whyNotContainable(instance);
  if (instance === null || notContainable !== null) {
    const reason = notContainable ?? 'the instance could not be read';
    return {
      records: [
        inspected.record,
        ...(['isolateNetworkInterfaces', 'disableAutoScalingGroup', 'stopInstance'] as const).map((step) =>
          decidedRecord({ step, target: instanceId }, skipped(reason)),
        ),
      ],
      isolation: null,
      autoScaling: null,
    };
  }
  const isolation = isolateNetworkInterfaces(clients.ec2, instance, isolationGroupName);
  const autoScalingThenStop = disableAutoScalingGroup(
    clients.autoScaling,
    instanceId,
    instance.autoScalingGroupName,
  ).then(async (autoScaling) => ({
    autoScaling,
    stop: autoScaling.instanceStillInGroup
      ? decidedRecord(
          { step: 'stopInstance', target: instanceId },
          skipped('the instance is still in its Auto Scaling group: stopped, it would be replaced and terminated'),
        )
      : await stopInstance(clients.ec2, instance),
  }));
  const [isolated, { autoScaling, stop }] = await Promise.all([isolation, autoScalingThenStop]);
  return {
    records: [inspected.record, ...isolated.records, ...autoScaling.records, stop],
    isolation: isolated,
    autoScaling,
  };
}

function whyNotContainable(instance: InstanceFacts | null): string | null {
  if (instance === null) return null;
  if (instance.state === 'terminated' || instance.state === 'shutting-down') {
    return `the instance is ${instance.state}: nothing left to contain`;
  }
  return null;
}
