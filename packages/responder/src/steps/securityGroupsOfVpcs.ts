import { type EC2Client, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { isAwsError, NOTICE_ACTIONS, type StepRecord, skipped } from '@cryptominer-defense/core';
import { decidedRecord } from '../runAction';
import { createSecurityGroupCache, groupCacheKey } from '../securityGroupCache';
import { findOrCreateConnectionCutGroup } from './findOrCreateConnectionCutGroup';
import { findOrCreateIsolationGroup } from './findOrCreateIsolationGroup';
import type { GroupLookupOptions } from './findOrCreateSecurityGroup';
import type { IsolationOptions } from './isolateNetworkInterfaces';
import { NO_LOOKUPS } from './lookUpSecurityGroupsEarly';

/** One kind of the tool's groups (isolation, all-open), per VPC. */
export interface GroupOfVpc {
  /** The group's id: cached, else found (with a look-up started early, if any) or created. */
  resolve(vpcId: string): Promise<string>;
  /** Moves the ENI onto the group and answers its id; a cached id that no longer exists is found again once. */
  moveOnto(networkInterfaceId: string, vpcId: string): Promise<string>;
  /** Drops the cached id: the next resolve finds the group again. */
  forget(vpcId: string): void;
}

export interface VpcSecurityGroups {
  readonly isolation: GroupOfVpc;
  readonly connectionCut: GroupOfVpc;
  /** A skipped record per group of a candidate name passed over (someone else's, or altered): a person should know. */
  passedOverRecords(): readonly StepRecord[];
}

/** The isolation and all-open groups of the VPCs one isolation touches, through the cache shared across invocations. */
export function securityGroupsOfVpcs(ec2: EC2Client, options: IsolationOptions): VpcSecurityGroups {
  const cache = options.groupCache ?? createSecurityGroupCache();
  const scope = options.scope ?? 'local';
  const lookups = options.lookups ?? NO_LOOKUPS;
  const passedOver: StepRecord[] = [];

  function groupNamed(
    name: string,
    findOrCreate: (ec2: EC2Client, vpcId: string, name: string, options: GroupLookupOptions) => Promise<string>,
  ): GroupOfVpc {
    const keyOf = (vpcId: string) => groupCacheKey(scope, vpcId, name);
    const resolve = (vpcId: string) =>
      cache.resolve(keyOf(vpcId), () =>
        findOrCreate(ec2, vpcId, name, {
          lookedUp: lookups.take(vpcId, name),
          passedOver: (group) =>
            passedOver.push(
              decidedRecord(
                {
                  step: 'isolateNetworkInterfaces',
                  action: NOTICE_ACTIONS.isolateNetworkInterfaces,
                  target: group.groupId,
                },
                skipped(`security group ${group.name} in ${vpcId} is ${group.why}; the next of its names is used`),
              ),
            ),
        }),
      );
    const attempt = async (networkInterfaceId: string, vpcId: string) => {
      const groupId = await resolve(vpcId);
      await ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: networkInterfaceId, Groups: [groupId] }),
      );
      return groupId;
    };
    return {
      resolve,
      forget: (vpcId) => cache.evict(keyOf(vpcId)),
      async moveOnto(networkInterfaceId, vpcId) {
        try {
          return await attempt(networkInterfaceId, vpcId);
        } catch (error) {
          if (!isAwsError(error, 'InvalidGroup.NotFound')) throw error;
          cache.evict(keyOf(vpcId));
          return attempt(networkInterfaceId, vpcId);
        }
      },
    };
  }

  return {
    isolation: groupNamed(options.isolationGroupName, findOrCreateIsolationGroup),
    connectionCut: groupNamed(options.connectionCutGroupName, findOrCreateConnectionCutGroup),
    passedOverRecords: () => [...passedOver],
  };
}
