import {
  DescribeIamInstanceProfileAssociationsCommand,
  DisassociateIamInstanceProfileCommand,
  type EC2Client,
  ModifyInstanceMetadataOptionsCommand,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, type IAMClient } from '@aws-sdk/client-iam';
import {
  alreadyDone,
  type InstanceCredentialsUndo,
  instanceArn,
  instanceCredentialDenyPolicyArn,
  type ProtectedPrincipalOptions,
  protectedPrincipalReason,
  type StepRecord,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import { decidedRecord, runAction } from '../runAction';
import { attachDenyAll } from './attachDenyAll';
import { fillDeniedInstanceSlot } from './fillDeniedInstanceSlot';
import type { InstanceFacts } from './inspectInstance';

const STEP = 'revokeInstanceCredentials';

export interface InstanceCredentialsPlan {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly protection: ProtectedPrincipalOptions;
}

export interface InstanceCredentialsResult {
  readonly records: readonly StepRecord[];
  readonly undo: InstanceCredentialsUndo;
}

interface ProfileRole {
  readonly roleName: string;
  readonly roleArn: string;
}

/** The instance profile's role (a profile holds at most one): null when it has none. */
function readProfileRole(iam: IAMClient, instanceProfileArn: string) {
  const profileName = instanceProfileArn.split('/').at(-1) ?? '';
  return runAction<ProfileRole | null>(
    { step: STEP, action: 'readInstanceProfile', target: instanceProfileArn },
    async () => {
      const answer = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profileName }));
      const role = answer.InstanceProfile?.Roles?.[0];
      if (role?.RoleName === undefined || role.Arn === undefined) {
        return { result: alreadyDone(`${instanceProfileArn} holds no role: no credentials to deny`), value: null };
      }
      return { result: succeeded, value: { roleName: role.RoleName, roleArn: role.Arn } };
    },
    null,
  );
}

/** Names the instance in a free slot of its role and attaches the fixed deny policy, both at once. */
async function denyOnRole(iam: IAMClient, role: ProfileRole, arn: string, plan: InstanceCredentialsPlan) {
  const protectedBecause = protectedPrincipalReason(role.roleArn, plan.protection);
  if (protectedBecause !== null) {
    const reason = `${role.roleArn} is protected (${protectedBecause}): the credentials ${arn} got from it are not denied; deny them by hand if it is safe`;
    return {
      records: [decidedRecord({ step: STEP, action: 'nameInstanceInRoleTag', target: role.roleName }, skipped(reason))],
      tagKey: null,
      policyArn: null,
      attached: false,
    };
  }
  const policyArn = instanceCredentialDenyPolicyArn(plan.partition, plan.accountId);
  const [slot, policy] = await Promise.all([
    fillDeniedInstanceSlot(iam, role.roleName, arn),
    attachDenyAll(iam, STEP, { kind: 'role', name: role.roleName, policyArn }, 'attachInstanceCredentialDenyPolicy'),
  ]);
  return {
    records: [slot.record, ...policy.records],
    tagKey: slot.tagKey,
    policyArn,
    attached: policy.attachedPolicyArn !== null,
  };
}

/** The association to remove, read at once; none when the instance has no profile. */
function disassociateProfile(ec2: EC2Client, instanceId: string) {
  return runAction<string | null>(
    { step: STEP, action: 'disassociateInstanceProfile', target: instanceId },
    async () => {
      const answer = await ec2.send(
        new DescribeIamInstanceProfileAssociationsCommand({
          Filters: [
            { Name: 'instance-id', Values: [instanceId] },
            { Name: 'state', Values: ['associating', 'associated'] },
          ],
        }),
      );
      const associationId = answer.IamInstanceProfileAssociations?.[0]?.AssociationId;
      if (associationId === undefined) {
        return { result: alreadyDone('the instance has no instance profile associated'), value: null };
      }
      await ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: associationId }));
      return { result: succeeded, value: associationId };
    },
    null,
  );
}

/** The metadata service off (the endpoint only; every other option stays). */
function disableMetadata(ec2: EC2Client, instance: InstanceFacts) {
  return runAction<boolean>(
    { step: STEP, action: 'disableInstanceMetadata', target: instance.instanceId },
    async () => {
      if (instance.metadataOptions?.httpEndpoint === 'disabled') {
        return { result: alreadyDone('the metadata service is off'), value: false };
      }
      await ec2.send(
        new ModifyInstanceMetadataOptionsCommand({ InstanceId: instance.instanceId, HttpEndpoint: 'disabled' }),
      );
      return { result: succeeded, value: true };
    },
    false,
  );
}

/**
 * Kills the credentials the instance got from its instance profile, and only its own (docs/decisions/0017): its
 * role gets a denied-instance tag naming this instance and the fixed deny policy, which denies everything to requests
 * whose `ec2:SourceInstanceARN` is a denied instance, so every copy of its credentials is dead wherever it is used
 * while the role's other instances keep working. Beside that, at once: the profile is disassociated (no fresh
 * credentials) and the metadata service turned off. A protected role is left alone (for a person); the role is
 * never denied as a whole, its sessions never revoked. Everything is undo data.
 */
export async function revokeInstanceCredentials(
  ec2: EC2Client,
  iam: IAMClient,
  instance: InstanceFacts,
  plan: InstanceCredentialsPlan,
): Promise<InstanceCredentialsResult> {
  const { instanceId, instanceProfileArn } = instance;
  const arn = instanceArn(plan.partition, plan.region, plan.accountId, instanceId);
  const metadata = disableMetadata(ec2, instance);
  const disassociated = instanceProfileArn === null ? null : disassociateProfile(ec2, instanceId);
  const role = instanceProfileArn === null ? null : await readProfileRole(iam, instanceProfileArn);
  const denied = role?.value == null ? null : await denyOnRole(iam, role.value, arn, plan);
  const [metadataDisabled, association] = await Promise.all([metadata, disassociated]);
  const noProfile =
    instanceProfileArn === null
      ? [
          decidedRecord(
            { step: STEP, action: 'nameInstanceInRoleTag', target: instanceId },
            alreadyDone('the instance has no instance profile: no role credentials to deny'),
          ),
        ]
      : [];
  // A role read that worked is part of the deny; only its failure (or a profile without a role) gets a record.
  const roleRecords = role === null || (role.value !== null && role.record.status !== 'failed') ? [] : [role.record];
  return {
    records: [
      ...noProfile,
      ...roleRecords,
      ...(denied?.records ?? []),
      ...(association === null ? [] : [association.record]),
      metadataDisabled.record,
    ],
    undo: {
      instanceId,
      instanceArn: arn,
      instanceProfileArn,
      roleName: role?.value?.roleName ?? null,
      roleArn: role?.value?.roleArn ?? null,
      deniedInstanceTagKey: denied?.tagKey ?? null,
      denyPolicyArn: denied?.policyArn ?? null,
      denyPolicyAttached: denied?.attached ?? false,
      disassociatedAssociationId: association?.value ?? null,
      previousMetadataOptions: instance.metadataOptions,
      metadataDisabled: metadataDisabled.value,
    },
  };
}
