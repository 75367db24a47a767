import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { InvalidFindingEventError } from '@cryptominer-defense/core';
import {
  assumedRoleIdentity,
  attachedPolicyArns,
  guardDutyEksFindingEvent,
  guardDutyFindingEvent,
  iamUserIdentity,
  instanceFindingTargetOf,
  runInstancesRecord,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorFaults } from '../support/emulatorFaults';
import { isolationGroups } from '../support/networkInterfaceGroups';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint());
}, 120_000);

afterAll(async () => {
  await world?.close();
});

beforeEach(() => {
  world.recorder.clear();
});

async function instanceState(ec2: EC2Client, instanceId: string): Promise<string | undefined> {
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return described.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

/** No write in the member account: only reads and the report. */
function memberAccountWrites(actions: readonly string[]): string[] {
  return actions.filter((action) => /^(ec2|autoscaling|iam):/.test(action) && !/:(Describe|List|Get)/.test(action));
}

describe('what the engine decides, against the emulator', () => {
  it('refuses an account outside the organization: reads at most, nothing changed there, a report says why', async () => {
    // Prepare
    const outside = world.organization.outsideAccountId;
    const event = guardDutyFindingEvent({ accountId: outside, region: 'us-east-1', instanceId: 'i-0123456789abcdef0' });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    // Membership is asked while the role is assumed and the instance read (docs/decisions/0008): in the account
    // outside, reads at most; nothing that changes anything.
    expect(world.calledActions().filter((action) => action.startsWith('organizations:'))).toEqual([
      'organizations:DescribeAccount',
    ]);
    expect(memberAccountWrites(world.recorder.actions({ accountId: outside }))).toEqual([]);
    expect(report).toMatchObject({
      disposition: 'refused',
      accountId: outside,
      dispositionReason: expect.stringContaining('not a member of the organization'),
      response: {
        networkIsolated: false,
        instanceStopped: false,
        actorFrozen: false,
        manualInterventionRequired: true,
      },
    });
  });

  it('ignores a finding that is not crypto-mining: nothing touched, nothing written', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const target = member.inRegion('us-east-1').standaloneInstance;
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region: 'us-east-1',
      instanceId: target.instanceId,
      type: 'UnauthorizedAccess:EC2/SSHBruteForce',
    });
    const keysBefore = await world.reportKeys();

    // Act
    const handled = await world.createResponder().handle(event);

    // Assess
    expect(handled).toEqual({
      kind: 'ignored',
      reason: 'not a crypto-mining finding type: UnauthorizedAccess:EC2/SSHBruteForce',
    });
    expect(world.calledActions()).toEqual([]);
    expect(await world.reportKeys()).toEqual(keysBefore);
    const clients = await world.clientsOf(member.accountId, 'us-east-1');
    expect(await instanceState(clients.ec2, target.instanceId)).toBe('running');
  });

  it('hands a crypto-mining runtime finding on an EKS cluster to a person: nothing touched, a report says why', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const event = guardDutyEksFindingEvent({
      accountId: member.accountId,
      region: 'us-east-1',
      clusterName: 'payments',
    });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    // The central bucket only: the idempotency ledger (state, claim, delivery) and the report.
    expect([...new Set(world.calledActions())].sort()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(handled.key).toMatch(
      new RegExp(`^incidents/${member.accountId}/us-east-1/.*/finding-[0-9a-f]+-\\d+\\.json$`),
    );
    expect(report).toMatchObject({
      disposition: 'needs-person',
      resourceType: 'EKSCluster',
      instanceId: null,
      guarddutyFindingType: 'CryptoCurrency:Runtime/BitcoinTool.B',
      dispositionReason: expect.stringContaining('EKSCluster'),
      response: { manualInterventionRequired: true, networkIsolated: false },
    });
  });

  it('refuses invalid input with an error naming the field, and touches nothing', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region: 'us-east-1',
      instanceId: 'i-0123456789abcdef0',
    });
    const invalid = { ...event, detail: { ...event.detail, accountId: 'not-an-account' } };
    const keysBefore = await world.reportKeys();

    // Act
    const act = world.createResponder().handle(invalid);

    // Assess
    await expect(act).rejects.toThrow(InvalidFindingEventError);
    await expect(act).rejects.toThrow(/detail\.accountId/);
    expect(world.calledActions()).toEqual([]);
    expect(await world.reportKeys()).toEqual(keysBefore);
  });

  it('contains but never freezes a protected role (OrganizationAccountAccessRole), and asks for a person', async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const region = 'us-east-1';
    const target = member.inRegion(region).multiEniInstance;
    const clients = await world.clientsOf(member.accountId, region);
    const roleName = 'OrganizationAccountAccessRole';
    const trustBefore = (await clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role
      ?.AssumeRolePolicyDocument;
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: assumedRoleIdentity({ accountId: member.accountId, roleName, sessionName: 'admin' }),
        region,
        instanceIds: [target.instanceId],
      }),
    );
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region,
      ...(await instanceFindingTargetOf(clients.ec2, target.instanceId)),
    });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    const trustAfter = (await clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role
      ?.AssumeRolePolicyDocument;
    expect(trustAfter).toBe(trustBefore);
    expect(await attachedPolicyArns(clients.iam, { roleName })).toEqual([]);
    expect(world.calledActions().filter((action) => action.startsWith('iam:'))).toEqual([]);
    expect(report.steps).toContainEqual(
      expect.objectContaining({ step: 'freezeRole', status: 'skipped', reason: expect.stringContaining('protected') }),
    );
    expect(report.response).toMatchObject({
      networkIsolated: true,
      instanceStopped: true,
      actorFrozen: false,
      manualInterventionRequired: true,
    });
  });

  it('never freezes a principal the operator listed in PROTECTED_PRINCIPALS', async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const region = 'eu-west-1';
    const target = member.inRegion(region).standaloneInstance;
    const user = member.identities.ciDeployer;
    const clients = await world.clientsOf(member.accountId, region);
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: user.userName }),
        region,
        instanceIds: [target.instanceId],
      }),
    );
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });
    const responder = world.createResponder({
      PROTECTED_PRINCIPALS: 'arn:aws:iam::*:role/BreakGlass*,arn:aws:iam::*:user/ci-*',
    });

    // Act
    const handled = reported(await responder.handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    const keys = await clients.iam.send(new ListAccessKeysCommand({ UserName: user.userName }));
    expect(keys.AccessKeyMetadata?.map((key) => key.Status)).toEqual(['Active']);
    expect(report.steps).toContainEqual(
      expect.objectContaining({
        step: 'freezeUser',
        status: 'skipped',
        reason: expect.stringContaining('arn:aws:iam::*:user/ci-*'),
      }),
    );
    expect(report.response).toMatchObject({
      networkIsolated: true,
      actorFrozen: false,
      manualInterventionRequired: true,
    });
  });

  it('contains an instance whose launch CloudTrail does not know, and asks a person who did it', async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const region = 'eu-west-1';
    const target = member.inRegion(region).multiEniInstance;
    const clients = await world.clientsOf(member.accountId, region);
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(await instanceState(clients.ec2, target.instanceId)).toBe('stopped');
    expect(report.actor).toMatchObject({ type: 'Unknown', arn: null });
    expect(report.steps).toContainEqual(expect.objectContaining({ step: 'attributeLaunch', status: 'skipped' }));
    expect(report.response).toEqual({
      asgDisabled: false,
      networkIsolated: true,
      instanceStopped: true,
      actorFrozen: false,
      rootInvolved: false,
      manualInterventionRequired: true,
    });
    expect(report.manualInterventionReasons).toEqual([expect.stringContaining('no RunInstances record')]);
    // Nothing frozen, no Auto Scaling call: the only writes are the containment of this instance.
    expect(memberAccountWrites(world.calledActions()).filter((action) => !action.startsWith('ec2:'))).toEqual([]);
    // Each of the 3 ENIs moves twice: onto the all-open group, then onto the isolation group.
    expect(
      memberAccountWrites(world.calledActions()).filter((action) => action === 'ec2:ModifyNetworkInterfaceAttribute'),
    ).toHaveLength(6);
    expect((await isolationGroups(clients.ec2)).length).toBeGreaterThan(0);
  });

  it('serves the Lambda entry point (src/handler.ts, export handler) from the environment', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const target = member.inRegion('eu-west-1').secondVpcInstance;
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region: 'eu-west-1',
      instanceId: target.instanceId,
    });
    // The world has put the emulator's endpoint and REPORT_BUCKET into process.env, as Lambda's configuration would.
    const { handler } = await import('../../src/handler');

    // Act
    const result = await handler(event);

    // Assess
    expect(result).toEqual({ reportKey: expect.stringContaining(target.instanceId), manualInterventionRequired: true });
    const report = await world.readReport('reportKey' in result ? result.reportKey : '');
    expect(report.response).toMatchObject({ networkIsolated: true, instanceStopped: true });
    const clients = await world.clientsOf(member.accountId, 'eu-west-1');
    expect(await instanceState(clients.ec2, target.instanceId)).toBe('stopped');
  });
});

describe('Organizations throttling the membership check', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('is retried by the SDK (TooManyRequestsException, as Organizations answers) and the response goes on', async () => {
    // Prepare: the first DescribeAccount is throttled through the fault proxy, as Organizations throttles.
    const member = world.organization.member('workload-a');
    const target = member.inRegion('us-east-1').standaloneInstance;
    const clients = await world.clientsOf(member.accountId, 'us-east-1');
    const event = guardDutyFindingEvent({
      accountId: member.accountId,
      region: 'us-east-1',
      ...(await instanceFindingTargetOf(clients.ec2, target.instanceId)),
    });
    const proxy = await faults.start([
      { service: 'organizations', operation: 'DescribeAccount', fault: 'throttle', onCalls: [1] },
    ]);

    // Act
    const handled = reported(await world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint }).handle(event));

    // Assess
    const describeAccount = proxy.calls.filter((call) => call.operation === 'DescribeAccount');
    expect(describeAccount.map((call) => [call.faults, call.status])).toEqual([
      [['throttle'], 429],
      [[], 200],
    ]);
    const report = await world.readReport(handled.key);
    expect(report.disposition).toBe('responded');
    expect(report.steps).toContainEqual(
      expect.objectContaining({ step: 'verifyOrganizationMembership', status: 'succeeded' }),
    );
    expect(report.response.networkIsolated).toBe(true);
  });
});
