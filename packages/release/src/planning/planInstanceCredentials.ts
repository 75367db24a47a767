import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { type IAMClient, ListAttachedRolePoliciesCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import {
  type InstanceCredentialsUndo,
  instanceCredentialDenyPolicyArn,
  isDeniedInstanceTagKey,
} from '@cryptominer-defense/core';
import type { ReleaseClients } from '../releaseClients';
import type { PlannedReleaseStep } from '../releasePlan';
import { currentStateUnreadable } from './currentStateUnreadable';

/** Which denied-instance slots of the role name an instance now, and whether the deny policy is attached. */
export async function readRoleDenyState(iam: IAMClient, roleName: string, policyArn: string) {
  const [tags, attached] = await Promise.all([
    iam.send(new ListRoleTagsCommand({ RoleName: roleName })),
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })),
  ]);
  return {
    slots: new Map(
      (tags.Tags ?? []).flatMap((tag) =>
        isDeniedInstanceTagKey(tag.Key ?? '') ? [[tag.Key ?? '', tag.Value ?? '']] : [],
      ),
    ),
    policyAttached: (attached.AttachedPolicies ?? []).some((policy) => policy.PolicyArn === policyArn),
  };
}

/**
 * The role's denied-instance tag emptied while it still names the instance (another incident's value is left), and
 * the deny policy detached once no slot names any instance (other incidents on the role keep it). A report naming a
 * tag that is no slot, or a policy other than the fixed one, is refused: release removes only what the tool adds.
 */
async function planDenyRemoval(iam: IAMClient, undo: InstanceCredentialsUndo): Promise<PlannedReleaseStep[]> {
  const { roleName, deniedInstanceTagKey: tagKey, instanceArn } = undo;
  if (roleName === null || tagKey === null) return [];
  const [, partition = 'aws', , , accountId = ''] = instanceArn.split(':');
  const policyArn = instanceCredentialDenyPolicyArn(partition, accountId);
  const base = {
    target: roleName,
    summary: `${roleName}: ${tagKey} (${instanceArn}) removed; the deny policy detached once no slot is in use`,
  };
  const change = { action: 'removeInstanceCredentialDeny', roleName, tagKey, instanceArn, policyArn } as const;
  if (!isDeniedInstanceTagKey(tagKey) || (undo.denyPolicyArn !== null && undo.denyPolicyArn !== policyArn)) {
    return [{ ...base, change, decision: 'skip', reason: 'not a tag or policy the tool sets: left as it is' }];
  }
  try {
    const state = await readRoleDenyState(iam, roleName, policyArn);
    const value = state.slots.get(tagKey);
    if (value !== undefined && value !== instanceArn) {
      return [{ ...base, change, decision: 'skip', reason: `${tagKey} names ${value} now (another incident)` }];
    }
    const othersInUse = [...state.slots].some(([key, named]) => key !== tagKey && named !== instanceArn);
    if (value === undefined && (othersInUse || !state.policyAttached)) {
      return [{ ...base, change, decision: 'already-done', reason: `${tagKey} is empty` }];
    }
    return [{ ...base, change, decision: 'apply' }];
  } catch (error) {
    return [{ ...base, change, decision: 'skip', reason: currentStateUnreadable(error) }];
  }
}

/** The instance profile associated again, while the instance has none (another one is a person's choice). */
async function planProfile(ec2: EC2Client, undo: InstanceCredentialsUndo): Promise<PlannedReleaseStep[]> {
  const { instanceId, instanceProfileArn, disassociatedAssociationId } = undo;
  if (instanceProfileArn === null || disassociatedAssociationId === null) return [];
  const base = {
    change: { action: 'restoreInstanceProfile', instanceId, instanceProfileArn },
    target: instanceId,
    summary: `${instanceId}: instance profile ${instanceProfileArn} associated again`,
  } as const;
  try {
    const answer = await ec2.send(
      new DescribeIamInstanceProfileAssociationsCommand({
        Filters: [
          { Name: 'instance-id', Values: [instanceId] },
          { Name: 'state', Values: ['associating', 'associated'] },
        ],
      }),
    );
    const current = answer.IamInstanceProfileAssociations?.[0]?.IamInstanceProfile?.Arn;
    if (current === undefined) return [{ ...base, decision: 'apply' }];
    if (current === instanceProfileArn) return [{ ...base, decision: 'already-done', reason: 'it is associated' }];
    return [{ ...base, decision: 'skip', reason: `it has another profile now (${current})` }];
  } catch (error) {
    return [{ ...base, decision: 'skip', reason: currentStateUnreadable(error) }];
  }
}

/** The metadata options put back, while the endpoint is still off (someone who turned it on decided). */
async function planMetadata(ec2: EC2Client, undo: InstanceCredentialsUndo): Promise<PlannedReleaseStep[]> {
  const { instanceId, previousMetadataOptions: options } = undo;
  if (!undo.metadataDisabled || options === null) return [];
  const base = {
    change: { action: 'restoreInstanceMetadataOptions', instanceId, options },
    target: instanceId,
    summary: `${instanceId}: metadata service back on (${options.httpEndpoint ?? 'enabled'}, tokens ${options.httpTokens ?? 'unchanged'})`,
  } as const;
  try {
    const answer = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = answer.Reservations?.flatMap((reservation) => reservation.Instances ?? [])[0];
    if (instance === undefined) return [{ ...base, decision: 'skip', reason: 'the instance is gone' }];
    if (instance.MetadataOptions?.HttpEndpoint !== 'disabled') {
      return [{ ...base, decision: 'already-done', reason: 'the metadata service is on' }];
    }
    return [{ ...base, decision: 'apply' }];
  } catch (error) {
    return [{ ...base, decision: 'skip', reason: currentStateUnreadable(error) }];
  }
}

/** Everything the instance-credential step changed, planned from the account's state now. */
export async function planInstanceCredentials(
  clients: ReleaseClients,
  undo: InstanceCredentialsUndo,
): Promise<PlannedReleaseStep[]> {
  const plans = await Promise.all([
    planDenyRemoval(clients.iam, undo),
    planProfile(clients.ec2, undo),
    planMetadata(clients.ec2, undo),
  ]);
  return plans.flat();
}
