import { type EC2Client, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { alreadyDone, type NetworkInterfaceUndo, type StepRecord, skipped, succeeded } from '@cryptominer-defense/core';
import { decidedRecord, runAction } from '../runAction';
import { findOrCreateIsolationGroup } from './findOrCreateIsolationGroup';
import type { InstanceFacts } from './inspectInstance';

export interface IsolationResult {
  /** One record per ENI of the instance. */
  readonly records: readonly StepRecord[];
  /** The ENIs moved, with the groups they had: what a person needs to undo it. */
  readonly undo: readonly NetworkInterfaceUndo[];
}

/**
 * Moves every ENI of the instance onto the no-rule isolation group of its VPC, with
 * ModifyNetworkInterfaceAttribute per ENI (ModifyInstanceAttribute would touch only the primary one).
 * VPCs are handled independently: a failure in one does not stop the others.
 */
export async function isolateNetworkInterfaces(
  ec2: EC2Client,
  instance: InstanceFacts,
  isolationGroupName: string,
): Promise<IsolationResult> {
  if (instance.networkInterfaces.length === 0) {
    const reason = 'the instance has no network interface to isolate';
    return {
      records: [decidedRecord({ step: 'isolateNetworkInterfaces', target: instance.instanceId }, skipped(reason))],
      undo: [],
    };
  }
  // One find-or-create per VPC, shared by that VPC's ENIs (an instance's ENIs can span VPCs only in
  // exotic setups, but each ENI's group must belong to the ENI's VPC).
  const groupsByVpc = new Map<string, Promise<string>>();
  const isolationGroupOf = (vpcId: string): Promise<string> => {
    const known = groupsByVpc.get(vpcId);
    if (known !== undefined) return known;
    const pending = findOrCreateIsolationGroup(ec2, vpcId, isolationGroupName);
    groupsByVpc.set(vpcId, pending);
    return pending;
  };

  const outcomes = await Promise.all(
    instance.networkInterfaces.map((networkInterface) =>
      runAction<NetworkInterfaceUndo | null>(
        { step: 'isolateNetworkInterfaces', target: networkInterface.networkInterfaceId },
        async () => {
          const isolationSecurityGroupId = await isolationGroupOf(networkInterface.vpcId);
          const current = networkInterface.securityGroupIds;
          if (current.length === 1 && current[0] === isolationSecurityGroupId) {
            return { result: alreadyDone('already on the isolation group only'), value: null };
          }
          await ec2.send(
            new ModifyNetworkInterfaceAttributeCommand({
              NetworkInterfaceId: networkInterface.networkInterfaceId,
              Groups: [isolationSecurityGroupId],
            }),
          );
          return {
            result: succeeded,
            value: {
              networkInterfaceId: networkInterface.networkInterfaceId,
              vpcId: networkInterface.vpcId,
              previousSecurityGroupIds: [...current],
              isolationSecurityGroupId,
            },
          };
        },
        null,
      ),
    ),
  );
  return {
    records: outcomes.map((outcome) => outcome.record),
    undo: outcomes.flatMap((outcome) => (outcome.value === null ? [] : [outcome.value])),
  };
}
