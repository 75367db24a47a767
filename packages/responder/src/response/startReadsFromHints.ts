import type { InstanceHints } from '@cryptominer-defense/core';
import { afterIsolation } from '../clients/callClass';
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
  const groupName = hints.autoScalingGroupName;
  return {
    securityGroups: lookUpSecurityGroupsEarly(clients.ec2, hints.vpcIds, {
      groupNames: [configuration.connectionCutSecurityGroupName, configuration.isolationSecurityGroupName],
      cache: dependencies.groupCache ?? createSecurityGroupCache(),
      scope,
      ...(dependencies.readsInFlight === undefined ? {} : { shared: dependencies.readsInFlight }),
    }),
    autoScalingGroup:
      groupName === null
        ? null
        : // The Auto Scaling step's read: after isolation, as the step (containmentSteps.ts).
          afterIsolation(() => steps.describeAutoScalingGroupEarly(clients.autoScaling, groupName)),
  };
}
