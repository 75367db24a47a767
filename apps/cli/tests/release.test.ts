import { DescribeInstanceAttributeCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { IncidentReport } from '@cryptominer-defense/core';
import {
  AWS_DENY_ALL_ARN,
  applyEnvironment,
  assumedRoleIdentity,
  clientConfigForAccount,
  guardDutyFindingEvent,
  iamUserIdentity,
  injectedErrorCode,
  runInstancesRecord,
  startFaultInjectingProxy,
} from '@cryptominer-defense/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountState, readAccountState } from './support/accountState';
import { type CliWorld, startCliWorld } from './support/cliWorld';
import { columnOf, unwrapped, widestLine } from './support/lineWidths';

const region = 'us-east-1';
let world: CliWorld;
let accountId: string;
let before: AccountState;
let afterResponse: AccountState;
const reportKeys: string[] = [];
/** ENIs of the instances Auto Scaling terminated when the group went to 0 (by design, not release's to restore). */
let terminatedSiblingEnis: string[];

function onlyEnis(state: AccountState, enis: readonly string[]): AccountState {
  const kept = Object.entries(state.networkInterfaceGroups).filter(([eni]) => enis.includes(eni));
  return { ...state, networkInterfaceGroups: Object.fromEntries(kept) };
}

beforeAll(async () => {
  world = await startCliWorld({ regions: [region] });
  const member = world.organization.member('workload-a');
  accountId = member.accountId;
  const seeded = member.inRegion(region);
  const [miner, sibling] = seeded.autoScalingGroup.instances;
  if (miner === undefined || sibling === undefined) throw new Error('the seeded group has two instances');
  terminatedSiblingEnis = [...sibling.networkInterfaceIds];
  // Who launched what: an IAM user the multi-ENI instance, a role the group's first instance.
  world.cloudTrail.addRecords(
    runInstancesRecord({
      identity: iamUserIdentity({ accountId, userName: 'developer' }),
      region,
      instanceIds: [seeded.multiEniInstance.instanceId],
    }),
    runInstancesRecord({
      identity: assumedRoleIdentity({ accountId, roleName: 'AppDeployRole', sessionName: 'attacker' }),
      region,
      instanceIds: [miner.instanceId],
    }),
  );
  before = await readAccountState(world.endpoint, accountId, region);

  // Respond through the CLI: one event built by `cli simulate`, one by the test builder.
  const simulated = await world.cli([
    'simulate',
    '--type',
    'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    '--account',
    accountId,
    '--region',
    region,
    '--instance',
    seeded.multiEniInstance.instanceId,
  ]);
  for (const stdin of [
    simulated.stdout,
    JSON.stringify(guardDutyFindingEvent({ accountId, region, instanceId: miner.instanceId })),
  ]) {
    const responded = await world.cli(['respond', '--event', '-'], { stdin });
    if (responded.code !== 0) throw new Error(`respond failed: ${responded.stderr}`);
  }
  reportKeys.push(...(await world.objectKeys('incidents/')));
  afterResponse = await readAccountState(world.endpoint, accountId, region);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('cli release: a full respond → release round trip', () => {
  it('the response changed the account (the round trip is not trivially equal)', () => {
    // Assess
    expect(reportKeys).toHaveLength(2);
    const seeded = world.organization.member('workload-a').inRegion(region);
    const [eni] = seeded.multiEniInstance.networkInterfaceIds;
    expect(afterResponse.networkInterfaceGroups[eni ?? '']).not.toEqual(before.networkInterfaceGroups[eni ?? '']);
    expect(afterResponse.autoScalingGroupSizes[seeded.autoScalingGroup.autoScalingGroupName]).toEqual({
      min: 0,
      max: 0,
      desired: 0,
    });
    expect(Object.values(afterResponse.accessKeys)).toContain('Inactive');
    // Frozen by AWSDenyAll alone: no trust policy and no inline policy was written.
    expect(afterResponse.attachedPolicies['user/developer']).toEqual([AWS_DENY_ALL_ARN]);
    expect(afterResponse.attachedPolicies['role/AppDeployRole']).toEqual([AWS_DENY_ALL_ARN]);
    expect(afterResponse.trustPolicies).toEqual(before.trustPolicies);
    expect(afterResponse.inlinePolicies).toEqual(before.inlinePolicies);
  });

  it('without --yes shows the plan and changes nothing', async () => {
    // Prepare
    const [key] = reportKeys;

    // Act
    const planned = await world.cli(['release', '--report', key ?? '', '--role-name', 'OrganizationAccountAccessRole']);

    // Assess
    const other = await world.cli([
      'release',
      '--report',
      reportKeys[1] ?? '',
      '--role-name',
      'OrganizationAccountAccessRole',
    ]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('will undo');
    expect(planned.stdout).toContain('Nothing was changed. Run again with --yes');
    // The plan table fits 120 columns, its cells wrapped, not cut.
    expect(widestLine(planned.stdout)).toBeLessThanOrEqual(120);
    expect(widestLine(other.stdout)).toBeLessThanOrEqual(120);
    // What would be taken off is shown: exactly the policy the freeze attached.
    const changes = `${columnOf(planned.stdout, 'CHANGE')} ${columnOf(other.stdout, 'CHANGE')}`.replace(/\s+/g, '');
    expect(changes).toContain(`${AWS_DENY_ALL_ARN} detached from role AppDeployRole`.replace(/\s+/g, ''));
    expect(await readAccountState(world.endpoint, accountId, region)).toEqual(afterResponse);
    expect(await world.objectKeys('releases/')).toEqual([]);
  });

  it('with --yes restores every ENI, the group sizes, keys and attached policies exactly', async () => {
    // Act
    const released = [];
    for (const key of reportKeys) {
      released.push(
        await world.cli([
          'release',
          '--report',
          key,
          '--yes',
          '--role-name',
          'OrganizationAccountAccessRole',
          '--json',
        ]),
      );
    }

    // Assess
    for (const run of released) {
      expect(run.code, run.stderr).toBe(0);
      const output = JSON.parse(run.stdout) as { record: { steps: { status: string }[] }; recordKey: string };
      expect(output.record.steps.length).toBeGreaterThan(0);
      expect(output.record.steps.filter((step) => step.status !== 'succeeded')).toEqual([]);
      expect(await world.objectKeys(output.recordKey)).toEqual([output.recordKey]);
    }
    const after = await readAccountState(world.endpoint, accountId, region);
    // The group's other instance was terminated when the group went to 0 (its ENI may go with it), and the
    // restored group launches new ones: compare every ENI that existed before and still exists.
    const existing = Object.keys(before.networkInterfaceGroups).filter((eni) => eni in after.networkInterfaceGroups);
    const gone = Object.keys(before.networkInterfaceGroups).filter((eni) => !existing.includes(eni));
    expect(gone.filter((eni) => !terminatedSiblingEnis.includes(eni))).toEqual([]);
    expect(existing.length).toBeGreaterThanOrEqual(5);
    expect(onlyEnis(after, existing)).toEqual(onlyEnis(before, existing));
  });

  it('keeps the evidence the response took: snapshots, termination protection, and says so', async () => {
    // Prepare
    const ec2 = new EC2Client(await clientConfigForAccount(world.endpoint, accountId, { region }));

    // Act
    const reports = (await Promise.all(reportKeys.map((key) => world.readObject(key)))) as IncidentReport[];
    const records = await Promise.all(
      (await world.objectKeys('releases/')).map((key) => world.readObject(key) as Promise<{ leftForPerson: string[] }>),
    );

    // Assess
    const snapshotIds = reports.flatMap((report) => report.evidence.snapshots.map((snapshot) => snapshot.snapshotId));
    expect(snapshotIds.length).toBeGreaterThan(0);
    const found = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }));
    expect((found.Snapshots ?? []).map((snapshot) => snapshot.SnapshotId).sort()).toEqual([...snapshotIds].sort());
    for (const report of reports.filter((candidate) => candidate.undo.evidence?.terminationProtectionEnabled)) {
      const attribute = await ec2.send(
        new DescribeInstanceAttributeCommand({
          InstanceId: report.instanceId ?? '',
          Attribute: 'disableApiTermination',
        }),
      );
      expect(attribute.DisableApiTermination?.Value).toBe(true);
    }
    expect(records.flatMap((record) => record.leftForPerson).join('\n')).toMatch(/Snapshots snap-\S+ are kept/);
    ec2.destroy();
  });

  it('the reports are unchanged, and the release records sit beside them under releases/', async () => {
    // Assess
    expect(await world.objectKeys('incidents/')).toEqual(reportKeys);
    const records = await world.objectKeys('releases/');
    expect(records).toHaveLength(2);
    for (const key of reportKeys) {
      const stem = key.replace(/^incidents\//, 'releases/').replace(/\.json$/, '/');
      expect(records.filter((record) => record.startsWith(stem))).toHaveLength(1);
    }
  });

  it('a second release finds everything as before the incident and changes nothing', async () => {
    // Prepare
    const [key] = reportKeys;
    const state = await readAccountState(world.endpoint, accountId, region);

    // Act
    const again = await world.cli([
      'release',
      '--report',
      key ?? '',
      '--role-name',
      'OrganizationAccountAccessRole',
      '--json',
    ]);

    // Assess
    expect(again.code).toBe(0);
    const { plan } = JSON.parse(again.stdout) as { plan: { steps: { decision: string }[] } };
    expect(plan.steps.length).toBeGreaterThan(0);
    expect(plan.steps.filter((step) => step.decision !== 'already-done')).toEqual([]);
    expect(await readAccountState(world.endpoint, accountId, region)).toEqual(state);
  });
});

describe('cli release: refusals', () => {
  it('names the fix when the operator credentials are another account and no --role-name is given', async () => {
    // Act
    const run = await world.cli(['release', '--report', reportKeys[0] ?? '']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Your credentials act in account \d{12}, the incident is in \d{12}: pass --role-name/);
  });

  it.each([
    [['release'], /release needs --report/],
    [['release', '--report', 'incidents/none.json'], /No report at s3:\/\/incident-reports\/incidents\/none\.json/],
    [
      ['release', '--report', 'no-such-finding'],
      /No report in s3:\/\/incident-reports answers finding no-such-finding/,
    ],
    [['release', '--report', 'x', '--bogus'], /Unknown option '--bogus'/],
  ])('%j exits 2 with one line that says what to do', async (args, message) => {
    // Act
    const run = await world.cli(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  it('finds the report by finding id', async () => {
    // Prepare
    const report = (await world.readObject(reportKeys[0] ?? '')) as { findingId: string };

    // Act
    const run = await world.cli([
      'release',
      '--report',
      report.findingId,
      '--role-name',
      'OrganizationAccountAccessRole',
      '--json',
    ]);

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ reportKey: reportKeys[0], plan: { findingId: report.findingId } });
  });
});

describe('cli release: a change that fails', () => {
  it('is recorded with its AWS error code, the other changes are still made (exit 1), and a second run completes it', async () => {
    // Prepare: a fresh incident on an instance launched by a role.
    const seeded = world.organization.member('workload-a').inRegion(region);
    const instanceId = seeded.standaloneInstance.instanceId;
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: assumedRoleIdentity({ accountId, roleName: 'AppDeployRole', sessionName: 'again' }),
        region,
        instanceIds: [instanceId],
      }),
    );
    const stateBefore = await readAccountState(world.endpoint, accountId, region);
    const responded = await world.cli(['respond', '--event', '-'], {
      stdin: JSON.stringify(guardDutyFindingEvent({ accountId, region, instanceId })),
    });
    const { findingId } = JSON.parse(responded.stdout) as { findingId: string };
    const proxy = await startFaultInjectingProxy({
      target: world.endpoint,
      rules: [{ service: 'iam', operation: 'DetachRolePolicy', fault: 'accessDenied' }],
    });
    const release = [
      'release',
      '--report',
      findingId,
      '--yes',
      '--role-name',
      'OrganizationAccountAccessRole',
      '--json',
    ];

    // Act: the SDK reads its endpoint from the process environment, so the proxy goes there for this run.
    const restore = applyEnvironment({ AWS_ENDPOINT_URL: proxy.endpoint });
    const failing = await world.cli(release, { env: { AWS_ENDPOINT_URL: proxy.endpoint } }).finally(restore);
    await proxy.stop();
    const afterFailure = await readAccountState(world.endpoint, accountId, region);
    const completing = await world.cli(release);

    // Assess
    expect(failing.code).toBe(1);
    const { record } = JSON.parse(failing.stdout) as {
      record: { steps: { action: string; status: string; errorCode?: string }[] };
    };
    expect(record.steps.filter((step) => step.status !== 'succeeded')).toEqual([
      expect.objectContaining({
        action: 'detachRoleDenyAll',
        status: 'failed',
        errorCode: injectedErrorCode('accessDenied', { service: 'iam', protocol: 'awsQuery' }),
      }),
    ]);
    expect(afterFailure.attachedPolicies['role/AppDeployRole']).toEqual([AWS_DENY_ALL_ARN]);
    expect(completing.code, completing.stderr).toBe(0);
    const completed = JSON.parse(completing.stdout) as { record: { steps: { action: string; status: string }[] } };
    expect(completed.record.steps.filter((step) => step.status === 'succeeded').map((step) => step.action)).toEqual([
      'detachRoleDenyAll',
    ]);
    const after = await readAccountState(world.endpoint, accountId, region);
    expect(after.attachedPolicies).toEqual(stateBefore.attachedPolicies);
    expect(after.trustPolicies).toEqual(stateBefore.trustPolicies);
    expect(after.networkInterfaceGroups[seeded.standaloneInstance.networkInterfaceIds[0] ?? '']).toEqual(
      stateBefore.networkInterfaceGroups[seeded.standaloneInstance.networkInterfaceIds[0] ?? ''],
    );
  });
});

describe('cli release: a record that cannot be written', () => {
  it('still makes and prints the changes, says the record is missing, and exits 1', async () => {
    // Prepare: a fresh incident on an instance launched by an IAM user.
    const seeded = world.organization.member('workload-a').inRegion(region);
    const instanceId = seeded.secondVpcInstance.instanceId;
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId, userName: 'ci-deployer' }),
        region,
        instanceIds: [instanceId],
      }),
    );
    const stateBefore = await readAccountState(world.endpoint, accountId, region);
    const responded = await world.cli(['respond', '--event', '-'], {
      stdin: JSON.stringify(guardDutyFindingEvent({ accountId, region, instanceId })),
    });
    const { findingId } = JSON.parse(responded.stdout) as { findingId: string };
    const proxy = await startFaultInjectingProxy({
      target: world.endpoint,
      rules: [
        { service: 's3', operation: 'PutObject', pathPrefix: '/incident-reports/releases/', fault: 'accessDenied' },
      ],
    });
    const releasesBefore = await world.objectKeys('releases/');

    // Act
    const restore = applyEnvironment({ AWS_ENDPOINT_URL: proxy.endpoint });
    const run = await world
      .cli(['release', '--report', findingId, '--yes', '--role-name', 'OrganizationAccountAccessRole', '--json'])
      .finally(restore);
    await proxy.stop();

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /The release happened, but its record could not be written to s3:\/\/incident-reports\/releases\/.*AccessDenied/,
    );
    const output = JSON.parse(run.stdout) as { recordKey: string | null; record: { steps: { status: string }[] } };
    expect(output.recordKey).toBeNull();
    expect(output.record.steps.filter((step) => step.status !== 'succeeded')).toEqual([]);
    expect(await world.objectKeys('releases/')).toEqual(releasesBefore);
    const after = await readAccountState(world.endpoint, accountId, region);
    expect(after.accessKeys).toEqual(stateBefore.accessKeys);
    expect(after.attachedPolicies).toEqual(stateBefore.attachedPolicies);
  });
});

describe('cli release: an earlier termination protection that could not be read', () => {
  it('says protection stays on and why, with the command to turn it off, and --yes leaves it on', async () => {
    // Prepare: a fresh incident whose response could not read DisableApiTermination before turning it on.
    const member = world.organization.member('workload-b');
    const instanceId = member.inRegion(region).standaloneInstance.instanceId;
    const proxy = await startFaultInjectingProxy({
      target: world.endpoint,
      rules: [{ service: 'ec2', operation: 'DescribeInstanceAttribute', fault: 'accessDenied' }],
    });
    const restore = applyEnvironment({ AWS_ENDPOINT_URL: proxy.endpoint });
    const responded = await world
      .cli(['respond', '--event', '-'], {
        stdin: JSON.stringify(guardDutyFindingEvent({ accountId: member.accountId, region, instanceId })),
        env: { AWS_ENDPOINT_URL: proxy.endpoint },
      })
      .finally(restore);
    await proxy.stop();
    const report = JSON.parse(responded.stdout) as IncidentReport;
    const release = ['release', '--report', report.findingId, '--role-name', 'OrganizationAccountAccessRole'];
    const command = `aws ec2 modify-instance-attribute --region ${region} --instance-id ${instanceId} --no-disable-api-termination`;
    const item = `Termination protection stays on for ${instanceId}: its setting before the incident is unknown (reading it failed during the response). If it was off before, turn it off with: ${command}`;

    // Act
    const planned = await world.cli(release);
    const applied = await world.cli([...release, '--yes', '--json']);

    // Assess
    expect(responded.code, responded.stderr).toBe(0);
    expect(report.undo.evidence).toMatchObject({
      previousTerminationProtection: null,
      terminationProtectionEnabled: true,
    });
    expect(planned.code, planned.stderr).toBe(0);
    // The item is wider than 120 columns: wrapped onto indented lines, whole once they are joined.
    expect(`  - ${item}`.length).toBeGreaterThan(120);
    expect(widestLine(planned.stdout)).toBeLessThanOrEqual(120);
    expect(unwrapped(planned.stdout)).toContain(`  - ${item}\n`);
    expect(applied.code, applied.stderr).toBe(0);
    const { recordKey } = JSON.parse(applied.stdout) as { recordKey: string };
    const stored = (await world.readObject(recordKey)) as { leftForPerson: string[] };
    expect(stored.leftForPerson).toContain(item);
    const ec2 = new EC2Client(await clientConfigForAccount(world.endpoint, member.accountId, { region }));
    const attribute = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
    );
    ec2.destroy();
    expect(attribute.DisableApiTermination?.Value).toBe(true);
  });
});
