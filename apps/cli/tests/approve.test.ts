import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { IncidentReport } from '@cryptominer-defense/core';
import {
  AWS_DENY_ALL_ARN,
  clientConfigForAccount,
  emulatorClientConfig,
  guardDutyFindingEvent,
  iamUserIdentity,
  runInstancesRecord,
} from '@cryptominer-defense/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountState, readAccountState } from './support/accountState';
import { type CliWorld, REPORT_BUCKET, startCliWorld } from './support/cliWorld';
import { unwrapped, widestLine } from './support/lineWidths';

const region = 'us-east-1';
const ROLE = ['--role-name', 'OrganizationAccountAccessRole'];
let world: CliWorld;
let memberAccountId: string;
let accountId: string;
let ec2: EC2Client;
let operatorArn: string;

/** An incident the CLI responded to: its finding, its report's key, and the instance. */
interface Incident {
  readonly findingId: string;
  readonly key: string;
  readonly instanceId: string;
  readonly enis: readonly string[];
}
const incidents: Record<'approved' | 'rejected' | 'released' | 'contained', Incident> = {} as never;

async function respond(
  instance: { instanceId: string; networkInterfaceIds: readonly string[] },
  userName: string,
  mode: 'approval' | 'contain',
  accountId = memberAccountId,
): Promise<Incident> {
  world.cloudTrail.addRecords(
    runInstancesRecord({
      identity: iamUserIdentity({ accountId, userName }),
      region,
      instanceIds: [instance.instanceId],
    }),
  );
  const event = guardDutyFindingEvent({ accountId, region, instanceId: instance.instanceId });
  const run = await world.cli(['respond', '--event', '-'], {
    stdin: JSON.stringify(event),
    env: { RESPONSE_POLICY: JSON.stringify({ default: mode, rules: [] }) },
  });
  if (run.code !== 0) throw new Error(`respond failed: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as IncidentReport;
  const [key] = (await world.objectKeys('incidents/')).filter((candidate) => candidate.includes(instance.instanceId));
  if (key === undefined) throw new Error(`no report for ${instance.instanceId}`);
  return { findingId: report.findingId, key, instanceId: instance.instanceId, enis: instance.networkInterfaceIds };
}

async function instanceState(instanceId: string): Promise<string | undefined> {
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return described.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

async function isolationGroupIds(): Promise<string[]> {
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['CryptominerIsolationGroup'] }] }),
  );
  return (groups.SecurityGroups ?? []).flatMap((group) => (group.GroupId === undefined ? [] : [group.GroupId]));
}

async function expectContainedAndRunning(incident: Incident, state: AccountState): Promise<void> {
  const isolation = await isolationGroupIds();
  for (const eni of incident.enis) {
    expect(state.networkInterfaceGroups[eni]).toHaveLength(1);
    expect(isolation).toContain(state.networkInterfaceGroups[eni]?.[0]);
  }
  expect(await instanceState(incident.instanceId)).toBe('running');
}

async function pendingKeys(): Promise<string[]> {
  const run = await world.cli(['reports', 'list', '--pending', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { key: string }[]).map((summary) => summary.key).sort();
}

beforeAll(async () => {
  world = await startCliWorld({ regions: [region] });
  const member = world.organization.member('workload-a');
  accountId = member.accountId;
  memberAccountId = accountId;
  ec2 = new EC2Client(await clientConfigForAccount(world.endpoint, accountId, { region }));
  const sts = new STSClient(emulatorClientConfig(world.endpoint));
  operatorArn = (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '';
  sts.destroy();
  const seeded = member.inRegion(region);
  const [inGroup] = seeded.autoScalingGroup.instances;
  if (inGroup === undefined) throw new Error('the seeded group has instances');
  incidents.approved = await respond(seeded.standaloneInstance, 'developer', 'approval');
  incidents.rejected = await respond(seeded.multiEniInstance, 'ci-deployer', 'approval');
  incidents.released = await respond(seeded.secondVpcInstance, 'ci-deployer', 'approval');
  incidents.contained = await respond(inGroup, 'ci-deployer', 'contain');
}, 180_000);

afterAll(async () => {
  ec2?.destroy();
  await world?.close();
});

describe('approval mode, then cli approve / cli reject / cli reports list --pending, against the emulator', () => {
  it('the approval-mode response contains at once, does not stop, does not freeze, and waits', async () => {
    // Act
    const state = await readAccountState(world.endpoint, accountId, region);
    const report = (await world.readObject(incidents.approved.key)) as IncidentReport;

    // Assess
    await expectContainedAndRunning(incidents.approved, state);
    expect(state.attachedPolicies['user/developer'] ?? []).not.toContain(AWS_DENY_ALL_ARN);
    expect(Object.values(state.accessKeys)).not.toContain('Inactive');
    expect(report.responseMode.mode).toBe('approval');
    expect(report.approval?.pendingSteps.map((step) => step.step)).toEqual([
      'liftStopProtection',
      'stopInstance',
      'freezeUser',
    ]);
    expect(report.response).toMatchObject({ networkIsolated: true, instanceStopped: false, actorFrozen: false });
    expect(report.manualInterventionReasons.join('\n')).toContain(`cli approve ${incidents.approved.findingId}`);
    expect(await pendingKeys()).toEqual(
      [incidents.approved.key, incidents.rejected.key, incidents.released.key].sort(),
    );
  });

  it('cli approve stops the instance and freezes its launcher with the operator credentials, and records who', async () => {
    // Act
    const run = await world.cli(['approve', incidents.approved.findingId, ...ROLE, '--json']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as {
      decision: { decision: string; decidedBy: string; decidedAt: string };
      decisionKey: string;
      outcome: { steps: { status: string }[]; ranBy: string; undo: { user: { userArn: string } | null } };
      outcomeKey: string;
    };
    expect(await instanceState(incidents.approved.instanceId)).toMatch(/^(stopping|stopped)$/);
    const state = await readAccountState(world.endpoint, accountId, region);
    expect(state.attachedPolicies['user/developer']).toEqual([AWS_DENY_ALL_ARN]);
    const developer = world.organization.member('workload-a').identities.developer;
    expect(developer.accessKeyIds.map((id) => state.accessKeys[id])).toEqual(['Inactive', 'Inactive']);
    expect(output.decision).toMatchObject({ decision: 'approved', decidedBy: operatorArn });
    expect(operatorArn).toMatch(/^arn:aws:sts::\d{12}:/);
    expect(await world.readObject(output.decisionKey)).toEqual(output.decision);
    expect(output.outcome.ranBy).toBe(operatorArn);
    expect(output.outcome.steps.filter((step) => step.status === 'failed')).toEqual([]);
    expect(output.outcome.undo.user?.userArn).toBe(`arn:aws:iam::${accountId}:user/developer`);
    expect(await world.objectKeys(output.outcomeKey)).toEqual([output.outcomeKey]);
    expect(output.decisionKey).toBe(
      incidents.approved.key.replace(/^incidents\//, 'approvals/').replace(/\.json$/, '/decision.json'),
    );
    expect(await pendingKeys()).toEqual([incidents.rejected.key, incidents.released.key].sort());
  });

  it('cli reject records the decision and leaves the instance contained and running, its launcher unfrozen', async () => {
    // Act
    const run = await world.cli(['reject', incidents.rejected.findingId, '--reason', 'a load test', '--json']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const { decision, decisionKey } = JSON.parse(run.stdout) as {
      decision: { decision: string; decidedBy: string; reason: string };
      decisionKey: string;
    };
    expect(decision).toMatchObject({ decision: 'rejected', decidedBy: operatorArn, reason: 'a load test' });
    expect(await world.readObject(decisionKey)).toEqual(decision);
    const state = await readAccountState(world.endpoint, accountId, region);
    await expectContainedAndRunning(incidents.rejected, state);
    const ciDeployer = world.organization.member('workload-a').identities.ciDeployer;
    expect(ciDeployer.accessKeyIds.map((id) => state.accessKeys[id])).toEqual(['Active']);
    expect(state.attachedPolicies['user/ci-deployer'] ?? []).not.toContain(AWS_DENY_ALL_ARN);
    expect(await pendingKeys()).toEqual([incidents.released.key]);
  });

  it('a released incident is no longer pending, and cannot be approved', async () => {
    // Prepare
    const released = await world.cli(['release', '--report', incidents.released.key, '--yes', ...ROLE]);
    expect(released.code, released.stderr).toBe(0);
    const state = await readAccountState(world.endpoint, accountId, region);

    // Act
    const run = await world.cli(['approve', incidents.released.findingId, ...ROLE]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/was released \(s3:\/\/incident-reports\/releases\/.+\): approving it now would stop/);
    expect(await readAccountState(world.endpoint, accountId, region)).toEqual(state);
    expect(await instanceState(incidents.released.instanceId)).toBe('running');
    expect(await pendingKeys()).toEqual([]);
  });

  it.each([
    [
      'approving twice',
      () => ['approve', incidents.approved.findingId, ...ROLE],
      /was already approved by arn:aws:sts::\d{12}:\S+ at /,
    ],
    ['rejecting an approved incident', () => ['reject', incidents.approved.findingId], /was already approved by/],
    [
      'approving a rejected incident',
      () => ['approve', incidents.rejected.findingId, ...ROLE],
      /was already rejected by .+ \(a load test\)/,
    ],
    [
      'approving a contain-mode incident',
      () => ['approve', incidents.contained.findingId, ...ROLE],
      /was handled in contain mode \(policy default: contain\): nothing waits for approval/,
    ],
    ['approving an unknown finding', () => ['approve', 'no-such-finding', ...ROLE], /answers finding no-such-finding/],
    ['rejecting an unknown finding', () => ['reject', 'no-such-finding'], /answers finding no-such-finding/],
    ['approve without a finding', () => ['approve'], /approve needs a finding id or a report key/],
    ['an empty reason', () => ['reject', incidents.contained.findingId, '--reason', ' '], /--reason is empty/],
  ])('%s: exit 2, says why, changes nothing', async (_case, args, message) => {
    // Prepare
    const state = await readAccountState(world.endpoint, accountId, region);
    const records = await world.objectKeys('approvals/');

    // Act
    const run = await world.cli(args());

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await readAccountState(world.endpoint, accountId, region)).toEqual(state);
    expect(await world.objectKeys('approvals/')).toEqual(records);
  });
});

describe('what approve and reject print for a person, in 120 columns', () => {
  /** The decision's key beside the report, as approve and reject write it. */
  const decisionKeyOf = (incident: Incident) =>
    incident.key.replace(/^incidents\//, 'approvals/').replace(/\.json$/, '/decision.json');

  it('approve: the incident, who approved, and the step table fit 120 columns; the decision line is whole once unwrapped', async () => {
    // Prepare
    const [, secondInGroup] = world.organization.member('workload-a').inRegion(region).autoScalingGroup.instances;
    if (secondInGroup === undefined) throw new Error('the seeded group has two instances');
    const incident = await respond(secondInGroup, 'ci-deployer', 'approval');

    // Act
    const run = await world.cli(['approve', incident.findingId, ...ROLE, '--output', 'table']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const decision = (await world.readObject(decisionKeyOf(incident))) as { decidedBy: string; decidedAt: string };
    const decisionLine = `Approved by ${decision.decidedBy} at ${decision.decidedAt} (s3://${REPORT_BUCKET}/${decisionKeyOf(incident)})`;
    expect(decisionLine.length).toBeGreaterThan(120);
    expect(widestLine(run.stdout)).toBeLessThanOrEqual(120);
    expect(unwrapped(run.stdout)).toContain(decisionLine);
    expect(run.stdout).toMatch(/^RESULT\s+STEP\s+TARGET\s+DETAIL$/m);
    expect(run.stdout).toMatch(/^succeeded\s+freezeUser attachDenyAllPolicy\s+ci-deployer$/m);
  });

  it('reject: the decision in words fits 120 columns; csv, which one decision has no rows for, is refused', async () => {
    // Prepare
    const other = world.organization.member('workload-b');
    const incident = await respond(
      other.inRegion(region).standaloneInstance,
      'ci-deployer',
      'approval',
      other.accountId,
    );
    const reason = 'a load test on a host tagged for it, announced in the change calendar two weeks ago';

    // Act
    const csv = await world.cli(['reject', incident.findingId, '--reason', reason, '--output', 'csv']);
    const run = await world.cli(['reject', incident.findingId, '--reason', reason]);

    // Assess
    expect(csv.code).toBe(2);
    expect(csv.stderr).toBe('reject: --output "csv" is not one of table, json.\n');
    expect(run.code, run.stderr).toBe(0);
    const decision = (await world.readObject(decisionKeyOf(incident))) as { decidedBy: string; decidedAt: string };
    const firstLine = `Incident ${incident.findingId}: rejected by ${decision.decidedBy} at ${decision.decidedAt} (s3://${REPORT_BUCKET}/${decisionKeyOf(incident)}).`;
    expect(firstLine.length).toBeGreaterThan(120);
    expect(widestLine(run.stdout)).toBeLessThanOrEqual(120);
    expect(unwrapped(run.stdout)).toContain(firstLine);
  });
});
