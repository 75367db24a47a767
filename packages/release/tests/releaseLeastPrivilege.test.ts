import { DescribeInstanceAttributeCommand, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { PutRolePolicyCommand, PutUserPolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  DENY_ALL_POLICY_NAME,
  DENY_ALL_TRUST_POLICY,
  EMPTY_UNDO,
  type IncidentReport,
  memberAccountActions,
  REVOKE_OLDER_SESSIONS_POLICY_NAME,
  releaseActions,
  releaseImpliedActions,
} from '@cryptominer-defense/core';
import {
  AwsActionRecorder,
  assumedRoleIdentity,
  guardDutyLambdaFindingEvent,
  iamUserIdentity,
  runInstancesRecord,
  seedInstanceProfile,
  seedLambdaFunction,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/applyRelease';
import { planRelease } from '../src/planRelease';
import { type ReleaseWorld, startReleaseWorld } from './support/releaseWorld';

let world: ReleaseWorld;

const DENY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });

beforeAll(async () => {
  world = await startReleaseWorld(emulatorEndpoint(), { regions: ['us-east-1'] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('the release steps of the registry (RELEASE_STEPS)', () => {
  it('list exactly the actions planning and undoing a response call: none missing, none extra', async () => {
    // Prepare: a user-launched instance in a group and a role-launched standalone one, so every kind of change runs.
    const member = world.organization.member('workload-a');
    const region = 'us-east-1';
    const layout = member.inRegion(region);
    const [inGroup] = layout.autoScalingGroup.instances;
    if (inGroup === undefined) throw new Error('the seeder launched no Auto Scaling instance');
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: 'developer' }),
        region,
        instanceIds: [inGroup.instanceId],
      }),
      runInstancesRecord({
        identity: assumedRoleIdentity({ accountId: member.accountId, roleName: 'AppDeployRole', sessionName: 'ci' }),
        region,
        instanceIds: [layout.standaloneInstance.instanceId],
      }),
    );
    // The standalone instance has stop protection on: the response lifts it, release puts it back.
    const memberClients = await world.releaseClients(member.accountId, region);
    await memberClients.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: layout.standaloneInstance.instanceId,
        DisableApiStop: { Value: true },
      }),
    );
    // It has an instance profile too: the response denies its credentials, release gives them back.
    await seedInstanceProfile(memberClients.iam, memberClients.ec2, {
      name: 'ReleaseApp',
      instanceIds: [layout.standaloneInstance.instanceId],
    });
    const reports: IncidentReport[] = [];
    for (const instanceId of [inGroup.instanceId, layout.standaloneInstance.instanceId]) {
      reports.push((await world.respondTo({ accountId: member.accountId, region, instanceId })).report);
    }
    // Two throttled Lambda functions: one had a reserved concurrency (put back), one had none (deleted).
    for (const [functionName, reservedConcurrency] of [
      ['release-put-back', 5],
      ['release-deleted', undefined],
    ] as const) {
      await seedLambdaFunction(memberClients, {
        functionName,
        ...(reservedConcurrency === undefined ? {} : { reservedConcurrency }),
      });
      const event = guardDutyLambdaFindingEvent({ accountId: member.accountId, region, functionName });
      reports.push((await world.respondToEvent(event)).report);
    }
    const recorder = new AwsActionRecorder();
    const clients = await world.releaseClients(
      member.accountId,
      region,
      recorder.hook({ accountId: member.accountId, region }),
    );

    // A report written before schema 2.0 (inline deny on the user, trust rewrite and revoke-sessions policy on the
    // role), with the account in the state that freeze left: release still undoes it.
    const { ciDeployer, buildAgentRole } = member.identities;
    await memberClients.iam.send(
      new PutUserPolicyCommand({
        UserName: ciDeployer.userName,
        PolicyName: DENY_ALL_POLICY_NAME,
        PolicyDocument: DENY,
      }),
    );
    await memberClients.iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: buildAgentRole.roleName, PolicyDocument: DENY_ALL_TRUST_POLICY }),
    );
    await memberClients.iam.send(
      new PutRolePolicyCommand({
        RoleName: buildAgentRole.roleName,
        PolicyName: REVOKE_OLDER_SESSIONS_POLICY_NAME,
        PolicyDocument: DENY,
      }),
    );
    const [first] = reports;
    if (first === undefined) throw new Error('no report');
    reports.push({
      ...first,
      schemaVersion: '1.1',
      undo: {
        ...EMPTY_UNDO,
        user: {
          userArn: ciDeployer.arn,
          loginProfileDeleted: false,
          deactivatedAccessKeyIds: [],
          denyPolicyName: DENY_ALL_POLICY_NAME,
        },
        role: {
          roleArn: buildAgentRole.arn,
          originalTrustPolicy: JSON.stringify(buildAgentRole.trustPolicy),
          trustPolicyReplaced: true,
          revokeSessionsPolicyName: REVOKE_OLDER_SESSIONS_POLICY_NAME,
        },
      },
    });

    // Act
    const records = [];
    for (const report of reports) records.push(...(await applyRelease(clients, await planRelease(clients, report))));

    // Assess
    expect(new Set(records.map((record) => record.action))).toEqual(
      new Set([
        'restoreNetworkInterfaceGroups',
        'restoreAutoScalingGroupSizes',
        'reactivateAccessKey',
        'detachUserDenyAll',
        'detachRoleDenyAll',
        'removeUserDenyPolicy',
        'restoreTrustPolicy',
        'removeRevokeSessionsPolicy',
        'restoreStopProtection',
        'removeNetworkAclEntries',
        'restoreFunctionConcurrency',
        'removeInstanceCredentialDeny',
        'restoreInstanceProfile',
        'restoreInstanceMetadataOptions',
      ]),
    );
    expect(records.filter((record) => record.status !== 'succeeded')).toEqual([]);
    // iam:PassRole is checked for AssociateIamInstanceProfile, never a call of its own.
    expect([...new Set(recorder.actions())].sort()).toEqual(
      releaseActions().filter((action) => !releaseImpliedActions().includes(action)),
    );
    expect(releaseImpliedActions()).toEqual(['iam:PassRole']);
    const protection = await memberClients.ec2.send(
      new DescribeInstanceAttributeCommand({
        InstanceId: layout.standaloneInstance.instanceId,
        Attribute: 'disableApiStop',
      }),
    );
    expect(protection.DisableApiStop?.Value).toBe(true);
  });

  it('include what the responder role lacks: the role cannot lift a freeze, only an operator can', () => {
    // Assess
    const releaseOnly = releaseActions().filter((action) => !memberAccountActions().includes(action));
    expect(releaseOnly).toEqual(
      expect.arrayContaining([
        'iam:DetachRolePolicy',
        'iam:DetachUserPolicy',
        'iam:DeleteRolePolicy',
        'iam:DeleteUserPolicy',
        'lambda:DeleteFunctionConcurrency',
      ]),
    );
  });
});
