import type { InstanceHints } from '@cryptominer-defense/core';
import { createSecurityGroupCache } from '../securityGroupCache';
import { lookUpSecurityGroupsEarly } from '../steps/lookUpSecurityGroupsEarly';
import type { MemberAccount, ResponseEngineDependencies } from './responseTypes';

/**
 * Reads that need only what the finding says of the instance, started with the role: the isolation groups of its
 * VPCs (those the cache does not know) and its Auto Scaling group. Hints only: what acts uses them only when
 * DescribeInstances confirms them.
 */
export function startReadsFromHints(
  { clients, steps }: MemberAccount,
  hints: InstanceHints,
  scope: string,
  dependencies: ResponseEngineDependencies,
) {
  const { configuration } = dependencies;
  return {
    securityGroups: lookUpSecurityGroupsEarly(clients.ec2, hints.vpcIds, {
      groupNames: [configuration.connectionCutSecurityGroupName, configuration.isolationSecurityGroupName],
      cache: dependencies.groupCache ?? createSecurityGroupCache(),
      scope,
    }),
    autoScalingGroup:
      hints.autoScalingGroupName === null
        ? null
        : steps.describeAutoScalingGroupEarly(clients.autoScaling, hints.autoScalingGroupName),
  };
}
