import { DescribeNetworkInterfacesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { isAwsError, type NetworkInterfaceUndo } from '@cryptominer-defense/core';
import type { PlannedReleaseStep } from '../releasePlan';
import { currentStateUnreadable } from './currentStateUnreadable';

function sameMembers(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && [...left].sort().join(',') === [...right].sort().join(',');
}

/**
 * Every security group the response put an ENI on (the isolation group, and any other group the undo data
 * names, such as the all-open group of the two-move isolation): an ENI on these only is still as the response
 * left it.
 */
function responseGroupsOf(undo: NetworkInterfaceUndo): Set<string> {
  const groups = new Set<string>();
  for (const [field, value] of Object.entries(undo)) {
    if (field !== 'previousSecurityGroupIds' && /SecurityGroupId$/.test(field) && typeof value === 'string') {
      groups.add(value);
    }
  }
  return groups;
}

/**
 * The ENI's own groups. `Groups` of DescribeNetworkInterfaces is what AWS documents; the `group-id` filter is
 * asked too, per group the response or the incident involved, because it reads the ENI's own groups on every
 * implementation (the local emulator also lists the instance's launch groups in `Groups`). A group in `Groups`
 * outside those is kept: someone added it since, and the plan must see that.
 */
async function ownGroupsOf(
  ec2: EC2Client,
  networkInterfaceId: string,
  candidates: readonly string[],
): Promise<string[]> {
  const described = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [networkInterfaceId] }));
  const listed = (described.NetworkInterfaces?.[0]?.Groups ?? []).flatMap((group) => group.GroupId ?? []);
  const unique = [...new Set(candidates)];
  const onCandidate = await Promise.all(
    unique.map(async (groupId) => {
      const filtered = await ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [
            { Name: 'network-interface-id', Values: [networkInterfaceId] },
            { Name: 'group-id', Values: [groupId] },
          ],
        }),
      );
      return (filtered.NetworkInterfaces ?? []).length > 0;
    }),
  );
  return [
    ...unique.filter((_groupId, index) => onCandidate[index] === true),
    ...listed.filter((groupId) => !unique.includes(groupId)),
  ];
}

/**
 * An ENI back onto its groups from before the incident: applied while it is on the response's groups only, already
 * done when it is on its old groups, skipped when someone changed its groups since or it is gone.
 */
export async function planNetworkInterface(ec2: EC2Client, undo: NetworkInterfaceUndo): Promise<PlannedReleaseStep> {
  const previous = undo.previousSecurityGroupIds;
  const base = {
    change: {
      action: 'restoreNetworkInterfaceGroups',
      networkInterfaceId: undo.networkInterfaceId,
      securityGroupIds: previous,
    },
    target: undo.networkInterfaceId,
  } as const;
  let current: string[];
  try {
    current = await ownGroupsOf(ec2, undo.networkInterfaceId, [...previous, ...responseGroupsOf(undo)]);
  } catch (error) {
    const gone = isAwsError(error, 'InvalidNetworkInterfaceID.NotFound');
    const summary = `${undo.networkInterfaceId}: back onto ${previous.join(', ')}`;
    return {
      ...base,
      summary,
      decision: 'skip',
      reason: gone ? 'the network interface no longer exists' : currentStateUnreadable(error),
    };
  }
  const summary = `${undo.networkInterfaceId}: ${current.join(', ') || 'no group'} → ${previous.join(', ')}`;
  if (sameMembers(current, previous)) {
    return { ...base, summary, decision: 'already-done', reason: 'already on its groups from before the incident' };
  }
  const responseGroups = responseGroupsOf(undo);
  if (current.length > 0 && current.every((group) => responseGroups.has(group))) {
    return { ...base, summary, decision: 'apply' };
  }
  return {
    ...base,
    summary,
    decision: 'skip',
    reason: 'its groups were changed after the response: not overwritten (restore them by hand if intended)',
  };
}
