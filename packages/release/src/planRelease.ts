import { type AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeNetworkInterfacesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  GetRoleCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  type AutoScalingGroupUndo,
  awsErrorDetails,
  DENY_ALL_TRUST_POLICY,
  decodePolicyDocument,
  type IncidentReport,
  isAwsError,
  type NetworkInterfaceUndo,
  parseIamPrincipalArn,
  type RoleUndo,
  samePolicy,
  type UserUndo,
} from '@cryptominer-defense/core';
import type { ReleaseClients } from './releaseClients';
import type { PlannedReleaseStep, ReleasePlan } from './releasePlan';

const unreadable = (error: unknown) => `could not read the current state (${awsErrorDetails(error).errorCode})`;

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

async function planNetworkInterface(ec2: EC2Client, undo: NetworkInterfaceUndo): Promise<PlannedReleaseStep> {
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
      reason: gone ? 'the network interface no longer exists' : unreadable(error),
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

async function planAutoScalingGroup(
  autoScaling: AutoScalingClient,
  undo: AutoScalingGroupUndo,
): Promise<PlannedReleaseStep> {
  const wanted = { min: undo.previousMinSize, max: undo.previousMaxSize, desired: undo.previousDesiredCapacity };
  const base = {
    change: {
      action: 'restoreAutoScalingGroupSizes',
      autoScalingGroupName: undo.autoScalingGroupName,
      minSize: wanted.min,
      maxSize: wanted.max,
      desiredCapacity: wanted.desired,
    },
    target: undo.autoScalingGroupName,
  } as const;
  const sizes = (s: typeof wanted) => `min ${s.min} / max ${s.max} / desired ${s.desired}`;
  let group: { min: number; max: number; desired: number } | null;
  try {
    const described = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [undo.autoScalingGroupName] }),
    );
    const found = described.AutoScalingGroups?.[0];
    group =
      found === undefined
        ? null
        : { min: found.MinSize ?? 0, max: found.MaxSize ?? 0, desired: found.DesiredCapacity ?? 0 };
  } catch (error) {
    return {
      ...base,
      summary: `${undo.autoScalingGroupName}: back to ${sizes(wanted)}`,
      decision: 'skip',
      reason: unreadable(error),
    };
  }
  if (group === null) {
    const summary = `${undo.autoScalingGroupName}: back to ${sizes(wanted)}`;
    return { ...base, summary, decision: 'skip', reason: 'the Auto Scaling group no longer exists' };
  }
  const summary = `${undo.autoScalingGroupName}: ${sizes(group)} → ${sizes(wanted)}`;
  if (group.min === wanted.min && group.max === wanted.max && group.desired === wanted.desired) {
    return { ...base, summary, decision: 'already-done', reason: 'the group already has its sizes from before' };
  }
  if (group.min === 0 && group.max === 0 && group.desired === 0) return { ...base, summary, decision: 'apply' };
  return {
    ...base,
    summary,
    decision: 'skip',
    reason: 'the group was resized after the response: not overwritten (resize it by hand if intended)',
  };
}

type InlinePolicyRemoval = Extract<
  PlannedReleaseStep['change'],
  { action: 'removeUserDenyPolicy' } | { action: 'removeRevokeSessionsPolicy' }
>;

/**
 * Removing an inline policy the response put on a user or a role: applied while the policy is attached,
 * already done once it is gone, skipped when the user or role is gone or cannot be read.
 */
async function planInlinePolicyRemoval(
  base: { readonly change: InlinePolicyRemoval; readonly target: string; readonly summary: string },
  principal: 'user' | 'role',
  listPolicies: () => Promise<{ PolicyNames?: string[] }>,
): Promise<PlannedReleaseStep> {
  try {
    const listed = await listPolicies();
    return (listed.PolicyNames ?? []).includes(base.change.policyName)
      ? { ...base, decision: 'apply' }
      : { ...base, decision: 'already-done', reason: 'the policy is not attached' };
  } catch (error) {
    const gone = isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException');
    return { ...base, decision: 'skip', reason: gone ? `the ${principal} no longer exists` : unreadable(error) };
  }
}

async function planUser(iam: IAMClient, undo: UserUndo): Promise<PlannedReleaseStep[]> {
  const userName = parseIamPrincipalArn(undo.userArn)?.name ?? undo.userArn;
  const steps: PlannedReleaseStep[] = [];
  if (undo.deactivatedAccessKeyIds.length > 0) {
    let statuses: Map<string, string> | Error;
    try {
      const listed = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
      statuses = new Map(
        (listed.AccessKeyMetadata ?? []).map((key) => [key.AccessKeyId ?? '', key.Status ?? 'Unknown']),
      );
    } catch (error) {
      statuses = error instanceof Error ? error : new Error(String(error));
    }
    for (const accessKeyId of undo.deactivatedAccessKeyIds) {
      const base = {
        change: { action: 'reactivateAccessKey', userName, accessKeyId },
        target: accessKeyId,
        summary: `access key ${accessKeyId} of ${userName}: Inactive → Active`,
      } as const;
      if (statuses instanceof Error) {
        steps.push({ ...base, decision: 'skip', reason: unreadable(statuses) });
        continue;
      }
      const status = statuses.get(accessKeyId);
      if (status === undefined) steps.push({ ...base, decision: 'skip', reason: 'the key no longer exists' });
      else if (status === 'Active') steps.push({ ...base, decision: 'already-done', reason: 'the key is active' });
      else steps.push({ ...base, decision: 'apply' });
    }
  }
  if (undo.denyPolicyName !== null) {
    const policyName = undo.denyPolicyName;
    steps.push(
      await planInlinePolicyRemoval(
        {
          change: { action: 'removeUserDenyPolicy', userName, policyName },
          target: userName,
          summary: `inline policy ${policyName} of user ${userName}: removed`,
        },
        'user',
        () => iam.send(new ListUserPoliciesCommand({ UserName: userName })),
      ),
    );
  }
  return steps;
}

/** Who a trust policy lets in, in a few words: a person approving the plan must see what they restore. */
function trustedBy(policy: string): string {
  try {
    const statements = (JSON.parse(policy) as { Statement?: unknown }).Statement;
    const list = Array.isArray(statements) ? statements : [statements];
    const principals = list.flatMap((statement) => {
      if (typeof statement !== 'object' || statement === null) return [];
      const { Effect, Principal } = statement as { Effect?: unknown; Principal?: unknown };
      if (Effect !== 'Allow') return [];
      if (typeof Principal === 'string') return [Principal];
      if (typeof Principal !== 'object' || Principal === null) return [];
      return Object.values(Principal)
        .flatMap((value) => (Array.isArray(value) ? value : [value]))
        .map(String);
    });
    return principals.length === 0 ? 'allows no principal' : `allows ${principals.join(', ')}`;
  } catch {
    return 'not JSON: check it in the report';
  }
}

async function planRole(iam: IAMClient, undo: RoleUndo): Promise<PlannedReleaseStep[]> {
  const roleName = parseIamPrincipalArn(undo.roleArn)?.name ?? undo.roleArn;
  const steps: PlannedReleaseStep[] = [];
  if (undo.trustPolicyReplaced && undo.originalTrustPolicy !== null) {
    const original = undo.originalTrustPolicy;
    const base = {
      change: { action: 'restoreTrustPolicy', roleName, policyDocument: original },
      target: roleName,
      summary: `trust policy of role ${roleName}: explicit deny → the original from the report (${trustedBy(original)})`,
    } as const;
    try {
      const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      const current = decodePolicyDocument(role.Role?.AssumeRolePolicyDocument) ?? '';
      if (samePolicy(current, original)) {
        steps.push({ ...base, decision: 'already-done', reason: 'the original trust policy is in place' });
      } else if (samePolicy(current, DENY_ALL_TRUST_POLICY)) {
        steps.push({ ...base, decision: 'apply' });
      } else {
        steps.push({
          ...base,
          decision: 'skip',
          reason: 'the trust policy was changed after the freeze: not overwritten (the original is in the report)',
        });
      }
    } catch (error) {
      const gone = isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException');
      steps.push({ ...base, decision: 'skip', reason: gone ? 'the role no longer exists' : unreadable(error) });
    }
  }
  if (undo.revokeSessionsPolicyName !== null) {
    const policyName = undo.revokeSessionsPolicyName;
    steps.push(
      await planInlinePolicyRemoval(
        {
          change: { action: 'removeRevokeSessionsPolicy', roleName, policyName },
          target: roleName,
          summary: `inline policy ${policyName} of role ${roleName}: removed`,
        },
        'role',
        () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName })),
      ),
    );
  }
  return steps;
}

/**
 * The AWS CLI command a person runs to turn termination protection off
 * (`modify-instance-attribute --no-disable-api-termination`, in the incident's account and region).
 */
function terminationProtectionOffCommand(region: string, instanceId: string): string {
  return `aws ec2 modify-instance-attribute --region ${region} --instance-id ${instanceId} --no-disable-api-termination`;
}

/** The evidence the response kept: release leaves it, by design, until the case is closed. */
function evidenceKept(report: IncidentReport): string[] {
  const kept: string[] = [];
  const snapshots = report.evidence.snapshots.map((snapshot) => snapshot.snapshotId);
  if (snapshots.length > 0)
    kept.push(`Snapshots ${snapshots.join(', ')} are kept: delete them once the case is closed.`);
  const evidence = report.undo.evidence;
  if (evidence === null) return kept;
  if (evidence.terminationProtectionEnabled && evidence.previousTerminationProtection === false) {
    kept.push(`Termination protection stays on for ${evidence.instanceId} (it was off before the incident).`);
  }
  if (evidence.terminationProtectionEnabled && evidence.previousTerminationProtection === null) {
    // The read failed (a failed readPreviousTerminationProtection in the report): release cannot know whether
    // protection was off, so it changes nothing and gives the person the command.
    kept.push(
      `Termination protection stays on for ${evidence.instanceId}: its setting before the incident is unknown (reading it failed during the response). If it was off before, turn it off with: ${terminationProtectionOffCommand(report.region, evidence.instanceId)}`,
    );
  }
  if (evidence.volumesKeptOnTermination.length > 0) {
    const volumes = evidence.volumesKeptOnTermination.map((volume) => volume.volumeId).join(', ');
    kept.push(`DeleteOnTermination stays off for ${volumes} (it was on before the incident).`);
  }
  if (evidence.taggedResourceIds.length > 0) {
    kept.push(
      `The incident tags (${evidence.incidentTagKeys.join(', ')}) stay on ${evidence.taggedResourceIds.join(', ')}.`,
    );
  }
  return kept;
}

/** What release deliberately does not undo, in words a person acts on. */
function leftForPerson(report: IncidentReport): string[] {
  const left: string[] = [];
  const group = report.undo.autoScalingGroup;
  if (group?.detachedInstanceId != null) {
    left.push(
      `${group.detachedInstanceId} stays out of ${group.autoScalingGroupName}: it ran a miner (the group launches fresh instances instead).`,
    );
  }
  if (report.response.instanceStopped && report.instanceId !== null) {
    left.push(`${report.instanceId} stays stopped: start it by hand only once it is known to be clean.`);
  }
  if (report.undo.user?.loginProfileDeleted === true) {
    left.push(
      `The console password of ${report.undo.user.userArn} was deleted and cannot be restored: set a new one if needed.`,
    );
  }
  if (report.undo.role?.trustPolicyReplaced === true && report.undo.role.originalTrustPolicy === null) {
    left.push(`The original trust policy of ${report.undo.role.roleArn} was not recorded: restore it from its source.`);
  }
  left.push(...evidenceKept(report));
  return left;
}

/**
 * Reads the account's current state and decides, for everything the report's undo data says the response
 * changed, whether to undo it. Changes nothing. Clients act in the report's account and region.
 */
export async function planRelease(clients: ReleaseClients, report: IncidentReport): Promise<ReleasePlan> {
  const { undo } = report;
  const [interfaces, group, user, role] = await Promise.all([
    Promise.all(undo.networkInterfaces.map((eni) => planNetworkInterface(clients.ec2, eni))),
    undo.autoScalingGroup === null ? [] : [planAutoScalingGroup(clients.autoScaling, undo.autoScalingGroup)],
    undo.user === null ? [] : planUser(clients.iam, undo.user),
    undo.role === null ? [] : planRole(clients.iam, undo.role),
  ]);
  return {
    findingId: report.findingId,
    accountId: report.accountId,
    region: report.region,
    partition: report.partition,
    instanceId: report.instanceId,
    steps: [...interfaces, ...(await Promise.all(group)), ...user, ...role],
    leftForPerson: leftForPerson(report),
  };
}
