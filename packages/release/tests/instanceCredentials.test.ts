import { DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRoleTagsCommand,
  type Tag,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { DENIED_INSTANCE_TAG_KEYS, type IncidentReport, instanceArn } from '@cryptominer-defense/core';
import {
  guardDutyFindingEvent,
  launchInstance,
  managedPolicyDocument,
  seedInstanceProfile,
} from '@cryptominer-defense/testing';
import { createPolicyEvaluator } from '@cryptominer-defense/testing/iam';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/applyRelease';
import { planRelease } from '../src/planRelease';
import type { ReleaseClients } from '../src/releaseClients';
import { type ReleaseWorld, startReleaseWorld } from './support/releaseWorld';

let world: ReleaseWorld;
const region = 'us-east-1';

beforeAll(async () => {
  world = await startReleaseWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** Two instances sharing one instance role, as a fleet has them. */
async function siblingsWithOneRole(name: string) {
  const member = world.organization.member('workload-a');
  const network = member.inRegion(region).primaryNetwork;
  const clients = await world.releaseClients(member.accountId, region);
  const launch = (suffix: string) =>
    launchInstance(clients.ec2, {
      subnetId: network.subnetIds[0],
      securityGroupIds: [network.securityGroupId],
      name: `${name}-${suffix}`,
    });
  const [target, sibling] = await Promise.all([launch('target'), launch('sibling')]);
  const profile = await seedInstanceProfile(clients.iam, clients.ec2, {
    name,
    instanceIds: [target.instanceId, sibling.instanceId],
  });
  return { member, clients, target, sibling, profile };
}

/** What the role, the two instances' profiles and metadata options are in the emulator now. */
async function credentialState(clients: ReleaseClients, roleName: string, instanceIds: readonly string[]) {
  const [tags, attached, associations, described] = await Promise.all([
    clients.iam.send(new ListRoleTagsCommand({ RoleName: roleName })),
    clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })),
    clients.ec2.send(
      new DescribeIamInstanceProfileAssociationsCommand({
        Filters: [{ Name: 'instance-id', Values: [...instanceIds] }],
      }),
    ),
    clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [...instanceIds] })),
  ]);
  const instances = described.Reservations?.flatMap((reservation) => reservation.Instances ?? []) ?? [];
  return {
    tags: Object.fromEntries((tags.Tags ?? []).map((tag) => [tag.Key, tag.Value])),
    attachedPolicyArns: (attached.AttachedPolicies ?? []).map((policy) => policy.PolicyArn).sort(),
    profileOf: Object.fromEntries(
      instanceIds.map((id) => [
        id,
        associations.IamInstanceProfileAssociations?.find((association) => association.InstanceId === id)
          ?.IamInstanceProfile?.Arn ?? null,
      ]),
    ),
    metadataOf: Object.fromEntries(
      instances.map((instance) => {
        const { State: _state, ...options } = instance.MetadataOptions ?? {};
        return [instance.InstanceId, options];
      }),
    ),
  };
}

/**
 * Whether a request signed with the credentials the instance got from its profile is allowed, by IAM's rules
 * (moto stores conditions without evaluating them): the role's policies and tags exactly as the emulator holds them.
 */
async function credentialsOfInstanceAllowed(iam: IAMClient, roleName: string, roleArn: string, arn: string) {
  const [inline, attached, tags] = await Promise.all([
    iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'application' })),
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })),
    iam.send(new ListRoleTagsCommand({ RoleName: roleName })),
  ]);
  const managed = await Promise.all(
    (attached.AttachedPolicies ?? []).map(async ({ PolicyArn, PolicyName }) => ({
      name: PolicyName ?? '',
      policy: await managedPolicyDocument(iam, PolicyArn ?? ''),
    })),
  );
  const evaluator = createPolicyEvaluator({
    policies: [],
    organization: { organizationId: world.organization.organizationId, accountIds: [arn.split(':')[4] ?? ''] },
  });
  return evaluator.evaluateRequest({
    principal: roleArn,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::application-data/config.json',
    sessionName: arn.split('/').at(-1) ?? '',
    identityPolicies: [
      { name: 'application', policy: JSON.parse(decodeURIComponent(inline.PolicyDocument ?? '')) },
      ...managed,
    ],
    context: {
      'ec2:SourceInstanceARN': arn,
      ...Object.fromEntries((tags.Tags ?? []).map((tag) => [`aws:PrincipalTag/${tag.Key}`, tag.Value ?? ''])),
    },
  });
}

async function release(clients: ReleaseClients, report: IncidentReport) {
  return applyRelease(clients, await planRelease(clients, report));
}

describe("the instance's own credentials", () => {
  it('are denied to this instance only, its profile and metadata service gone; the sibling keeps its own', async () => {
    // Prepare
    const { member, clients, target, sibling, profile } = await siblingsWithOneRole('Fleet');
    const ids = [target.instanceId, sibling.instanceId];
    const before = await credentialState(clients, profile.roleName, ids);
    const targetArn = instanceArn('aws', region, member.accountId, target.instanceId);
    const siblingArn = instanceArn('aws', region, member.accountId, sibling.instanceId);
    expect(
      (await credentialsOfInstanceAllowed(clients.iam, profile.roleName, profile.roleArn, targetArn)).allowed,
    ).toBe(true);

    // Act
    const { report } = await world.respondTo({ accountId: member.accountId, region, instanceId: target.instanceId });
    const after = await credentialState(clients, profile.roleName, ids);

    // Assess: the emulator's state.
    expect(after.tags).toEqual({ ...before.tags, [DENIED_INSTANCE_TAG_KEYS[0] ?? '']: targetArn });
    expect(after.attachedPolicyArns).toEqual(
      [...before.attachedPolicyArns, report.undo.instanceCredentials?.denyPolicyArn].sort(),
    );
    expect(after.profileOf).toEqual({ [target.instanceId]: null, [sibling.instanceId]: profile.instanceProfileArn });
    expect(after.metadataOf[target.instanceId]).toMatchObject({ HttpEndpoint: 'disabled' });
    expect(after.metadataOf[sibling.instanceId]).toEqual(before.metadataOf[sibling.instanceId]);
    const [described] = (
      await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [target.instanceId] }))
    ).Reservations?.flatMap((reservation) => reservation.Instances ?? []) ?? [undefined];
    expect(described?.State?.Name).toBe('stopped');
    // The report names the profile, the role, the tag and what release needs.
    expect(report.undo.instanceCredentials).toMatchObject({
      instanceId: target.instanceId,
      instanceArn: targetArn,
      instanceProfileArn: profile.instanceProfileArn,
      roleArn: profile.roleArn,
      deniedInstanceTagKey: DENIED_INSTANCE_TAG_KEYS[0],
      denyPolicyAttached: true,
      disassociatedAssociationId: expect.stringMatching(/^iip-assoc-/),
      metadataDisabled: true,
    });
    expect(report.steps.filter((record) => record.step === 'revokeInstanceCredentials')).toMatchObject(
      [
        'nameInstanceInRoleTag',
        'attachInstanceCredentialDenyPolicy',
        'disassociateInstanceProfile',
        'disableInstanceMetadata',
      ].map((action) => ({ action, status: 'succeeded' })),
    );
    // IAM's evaluation: every copy of the target's credentials is dead, the sibling's work.
    const targetRequest = await credentialsOfInstanceAllowed(clients.iam, profile.roleName, profile.roleArn, targetArn);
    expect(targetRequest.decision).toBe('ExplicitlyDenied');
    expect(targetRequest.statements).toEqual([expect.stringMatching(/#DenyCredentialsOfCompromisedInstances$/)]);
    const siblingRequest = await credentialsOfInstanceAllowed(
      clients.iam,
      profile.roleName,
      profile.roleArn,
      siblingArn,
    );
    expect(siblingRequest.decision).toBe('Allowed');
  });

  it('of two incidents on one role coexist: releasing one keeps the other denied; releasing both restores everything', async () => {
    // Prepare
    const { member, clients, target, sibling, profile } = await siblingsWithOneRole('Pair');
    const ids = [target.instanceId, sibling.instanceId];
    const before = await credentialState(clients, profile.roleName, ids);
    const arnOf = (instanceId: string) => instanceArn('aws', region, member.accountId, instanceId);
    const first = (await world.respondTo({ accountId: member.accountId, region, instanceId: target.instanceId }))
      .report;
    const second = (await world.respondTo({ accountId: member.accountId, region, instanceId: sibling.instanceId }))
      .report;
    const bothDenied = await credentialState(clients, profile.roleName, ids);

    // Act
    const firstReleased = await release(clients, first);
    const afterFirst = await credentialState(clients, profile.roleName, ids);
    const secondStillDenied = await credentialsOfInstanceAllowed(
      clients.iam,
      profile.roleName,
      profile.roleArn,
      arnOf(sibling.instanceId),
    );
    const secondReleased = await release(clients, second);
    const afterBoth = await credentialState(clients, profile.roleName, ids);

    // Assess
    expect(bothDenied.tags).toMatchObject({
      [DENIED_INSTANCE_TAG_KEYS[0] ?? '']: arnOf(target.instanceId),
      [DENIED_INSTANCE_TAG_KEYS[1] ?? '']: arnOf(sibling.instanceId),
    });
    expect(afterFirst.tags).toEqual({ ...before.tags, [DENIED_INSTANCE_TAG_KEYS[1] ?? '']: arnOf(sibling.instanceId) });
    expect(afterFirst.attachedPolicyArns).toEqual(bothDenied.attachedPolicyArns);
    expect(secondStillDenied.decision).toBe('ExplicitlyDenied');
    for (const records of [firstReleased, secondReleased]) {
      expect(
        records
          .filter((record) =>
            ['removeInstanceCredentialDeny', 'restoreInstanceProfile', 'restoreInstanceMetadataOptions'].includes(
              record.action,
            ),
          )
          .map((record) => [record.action, record.status]),
      ).toEqual([
        ['removeInstanceCredentialDeny', 'succeeded'],
        ['restoreInstanceProfile', 'succeeded'],
        ['restoreInstanceMetadataOptions', 'succeeded'],
      ]);
    }
    // Respond → release, twice over: the role, the profiles and the metadata options are as before (diff = ∅).
    expect(afterBoth).toEqual(before);
  });

  it('are denied once: a repeated delivery takes no second slot and keeps the first undo data', async () => {
    // Prepare
    const { member, clients, target, sibling, profile } = await siblingsWithOneRole('Repeat');
    const event = () =>
      guardDutyFindingEvent({
        accountId: member.accountId,
        region,
        instanceId: target.instanceId,
        findingId: `repeat-${target.instanceId}`,
      });
    const first = (await world.respondToEvent(event())).report;
    const afterFirst = await credentialState(clients, profile.roleName, [target.instanceId, sibling.instanceId]);

    // Act
    const repeated = (await world.respondToEvent(event())).report;

    // Assess
    expect(await credentialState(clients, profile.roleName, [target.instanceId, sibling.instanceId])).toEqual(
      afterFirst,
    );
    expect(repeated.undo.instanceCredentials).toEqual(first.undo.instanceCredentials);
    expect(first.undo.instanceCredentials?.disassociatedAssociationId).toMatch(/^iip-assoc-/);
  });

  it('with every slot taken, overwrites none: a failure for a person, the profile and metadata cut all the same', async () => {
    // Prepare: ten other incidents on the role.
    const { member, clients, target, sibling, profile } = await siblingsWithOneRole('Full');
    const taken: Tag[] = DENIED_INSTANCE_TAG_KEYS.map((key, index) => ({
      Key: key,
      Value: instanceArn('aws', region, member.accountId, `i-0${String(index).padStart(16, '0')}`),
    }));
    await clients.iam.send(new TagRoleCommand({ RoleName: profile.roleName, Tags: taken }));
    const before = await credentialState(clients, profile.roleName, [target.instanceId, sibling.instanceId]);

    // Act
    const { report } = await world.respondTo({ accountId: member.accountId, region, instanceId: target.instanceId });

    // Assess
    const after = await credentialState(clients, profile.roleName, [target.instanceId, sibling.instanceId]);
    expect(after.tags).toEqual(before.tags);
    expect(after.profileOf[target.instanceId]).toBeNull();
    expect(after.metadataOf[target.instanceId]).toMatchObject({ HttpEndpoint: 'disabled' });
    expect(report.steps).toContainEqual(
      expect.objectContaining({
        step: 'revokeInstanceCredentials',
        action: 'nameInstanceInRoleTag',
        status: 'failed',
        errorCode: 'NoFreeDeniedInstanceSlot',
      }),
    );
    expect(report.undo.instanceCredentials?.deniedInstanceTagKey).toBeNull();
    expect(report.response.manualInterventionRequired).toBe(true);
  });
});
