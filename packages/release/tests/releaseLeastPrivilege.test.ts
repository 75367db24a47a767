import { DescribeInstanceAttributeCommand, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { memberAccountActions, releaseActions } from '@cryptominer-defense/core';
import {
  AwsActionRecorder,
  assumedRoleIdentity,
  iamUserIdentity,
  runInstancesRecord,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/applyRelease';
import { planRelease } from '../src/planRelease';
import { type ReleaseWorld, startReleaseWorld } from './support/releaseWorld';

let world: ReleaseWorld;

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
    const reports = [];
    for (const instanceId of [inGroup.instanceId, layout.standaloneInstance.instanceId]) {
      reports.push((await world.respondTo({ accountId: member.accountId, region, instanceId })).report);
    }
    const recorder = new AwsActionRecorder();
    const clients = await world.releaseClients(
      member.accountId,
      region,
      recorder.hook({ accountId: member.accountId, region }),
    );

    // Act
    const records = [];
    for (const report of reports) records.push(...(await applyRelease(clients, await planRelease(clients, report))));

    // Assess
    expect(new Set(records.map((record) => record.action))).toEqual(
      new Set([
        'restoreNetworkInterfaceGroups',
        'restoreAutoScalingGroupSizes',
        'reactivateAccessKey',
        'removeUserDenyPolicy',
        'restoreTrustPolicy',
        'removeRevokeSessionsPolicy',
        'restoreStopProtection',
      ]),
    );
    expect(records.filter((record) => record.status !== 'succeeded')).toEqual([]);
    expect([...new Set(recorder.actions())].sort()).toEqual(releaseActions());
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
    expect(releaseOnly).toEqual(expect.arrayContaining(['iam:DeleteRolePolicy', 'iam:DeleteUserPolicy']));
  });
});
