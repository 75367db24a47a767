import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import { approvalActions, releaseActions } from '@cryptominer-defense/core';
import {
  AwsActionRecorder,
  actionsNeedingPermission,
  applyEnvironment,
  assumedRoleIdentity,
  EMULATOR_DEFAULT_ACCOUNT_ID,
  type GuardDutyFake,
  guardDutyFindingEvent,
  iamUserIdentity,
  type RecordedAwsCall,
  recordEveryClient,
  runInstancesRecord,
  type SecurityHubFake,
  startGuardDutyFake,
  startSecurityHubFake,
} from '@cryptominer-defense/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliWorld, REPORT_BUCKET, startCliWorld } from './support/cliWorld';
import {
  actionsOfPolicyFile,
  MEMBER_OPERATOR_ROLE_NAME,
  OPERATOR_POLICY_FILES,
  type OperatorPolicies,
  operatorPolicies,
  type StatementSelection,
} from './support/operatorPolicies';

// The operator's permissions, proven sufficient: each command runs against the emulator with every AWS call it makes
// recorded, and every request IAM would authorize for those calls is evaluated (iam-simulate) against the policies
// docs/deploy.md shows (docs/operator-policies/), reduced to the statements the docs' table names for that command,
// together with the incident bucket's and key's policies from the central template.

const region = 'us-east-1';
// In the emulator the CLI's own credentials act in moto's default account: the central account, here.
const CENTRAL_ACCOUNT_ID = EMULATOR_DEFAULT_ACCOUNT_ID;
const ROLE = ['--role-name', MEMBER_OPERATOR_ROLE_NAME];
const READ: StatementSelection = { central: ['ReadReports', 'DecryptReports'], member: [] };
const RECORD = ['WriteReleaseAndApprovalRecords', 'EncryptRecords'];
const REACH = 'AssumeTheOperatorRoleInMemberAccounts';

/** The statements each command needs: the table "The operator's permissions" of docs/deploy.md. */
const COMMAND_STATEMENTS = {
  'reports list': READ,
  'reports show': READ,
  pause: { central: ['FlipThePauseSwitch', 'EncryptRecords'], member: [] },
  'pause --status': READ,
  resume: { central: ['FlipThePauseSwitch', 'EncryptRecords'], member: [] },
  release: { central: [...READ.central, REACH], member: ['ReadWhatTheResponseChanged'] },
  'release --yes': {
    central: [...READ.central, REACH, ...RECORD],
    member: ['ReadWhatTheResponseChanged', 'UndoTheContainment', 'TakeOffTheDenyPolicies'],
  },
  'release --yes --false-positive': {
    central: [...READ.central, REACH, ...RECORD, 'ResolveTheFindingInSecurityHub', 'ArchiveTheFindingInGuardDuty'],
    member: ['ReadWhatTheResponseChanged', 'UndoTheContainment', 'TakeOffTheDenyPolicies'],
  },
  approve: { central: [...READ.central, REACH, ...RECORD], member: ['RunTheApprovedSteps', 'FreezeWithAWSDenyAll'] },
  reject: { central: [...READ.central, ...RECORD], member: [] },
} satisfies Record<string, StatementSelection>;
type OperatorCommand = keyof typeof COMMAND_STATEMENTS;

let world: CliWorld;
let securityHub: SecurityHubFake;
let guardDuty: GuardDutyFake;
let policies: OperatorPolicies;
let recorder: AwsActionRecorder;
let restoreSend: () => void;
let restoreEnvironment: () => void;
let findingEndpoints: Record<string, string>;
const findings: Record<'released' | 'falsePositive' | 'approved' | 'rejected', string> = {} as never;

async function respond(
  instanceId: string,
  launcher: Parameters<typeof runInstancesRecord>[0]['identity'],
  mode: 'full' | 'approval',
): Promise<string> {
  world.cloudTrail.addRecords(runInstancesRecord({ identity: launcher, region, instanceIds: [instanceId] }));
  const event = guardDutyFindingEvent({
    accountId: world.organization.member('workload-a').accountId,
    region,
    instanceId,
  });
  const run = await world.cli(['respond', '--event', '-'], {
    stdin: JSON.stringify(event),
    env: { ...findingEndpoints, RESPONSE_POLICY: JSON.stringify({ default: mode, rules: [] }) },
  });
  if (run.code !== 0) throw new Error(`respond failed: ${run.stderr}`);
  return String(event.detail.id);
}

/** Runs the command with its calls recorded: the calls, after checking that it succeeded. */
async function recordedRun(args: readonly string[]): Promise<readonly RecordedAwsCall[]> {
  recorder.clear();
  const run = await world.cli(args, { env: findingEndpoints });
  expect(run.code, `cli ${args.join(' ')}: ${run.stderr}${run.stdout}`).toBe(0);
  return [...recorder.calls];
}

beforeAll(async () => {
  world = await startCliWorld({ regions: [region] });
  securityHub = await startSecurityHubFake({ emulatorEndpoint: world.endpoint });
  guardDuty = await startGuardDutyFake({ emulatorEndpoint: world.endpoint });
  findingEndpoints = {
    AWS_ENDPOINT_URL_SECURITYHUB: securityHub.endpoint,
    AWS_ENDPOINT_URL_GUARDDUTY: guardDuty.endpoint,
  };
  restoreEnvironment = applyEnvironment(findingEndpoints);
  const member = world.organization.member('workload-a');
  const accountId = member.accountId;
  const seeded = member.inRegion(region);
  const [inGroup] = seeded.autoScalingGroup.instances;
  if (inGroup === undefined) throw new Error('the seeded group has instances');
  // Prepare: four incidents of one member account: two responses in full (an IAM user's instance, and an Auto
  // Scaling group's instance launched by a role), two in approval mode.
  findings.released = await respond(
    seeded.multiEniInstance.instanceId,
    iamUserIdentity({ accountId, userName: 'developer' }),
    'full',
  );
  findings.falsePositive = await respond(
    inGroup.instanceId,
    assumedRoleIdentity({ accountId, roleName: 'AppDeployRole', sessionName: 'attacker' }),
    'full',
  );
  findings.approved = await respond(
    seeded.standaloneInstance.instanceId,
    iamUserIdentity({ accountId, userName: 'ci-deployer' }),
    'approval',
  );
  findings.rejected = await respond(
    seeded.secondVpcInstance.instanceId,
    iamUserIdentity({ accountId, userName: 'developer' }),
    'approval',
  );
  policies = operatorPolicies({
    centralAccountId: CENTRAL_ACCOUNT_ID,
    managementAccountId: world.organization.managementAccountId,
    memberAccountIds: world.organization.members.map((seededMember) => seededMember.accountId),
    organizationId: world.organization.organizationId,
    homeRegion: region,
    reportBucket: REPORT_BUCKET,
  });
  recorder = new AwsActionRecorder();
  restoreSend = recordEveryClient(recorder, [S3Client, EC2Client, AutoScalingClient], {
    defaultAccountId: CENTRAL_ACCOUNT_ID,
  });
}, 240_000);

afterAll(async () => {
  restoreSend?.();
  restoreEnvironment?.();
  await securityHub?.stop();
  await guardDuty?.stop();
  await world?.close();
});

describe("the operator's policies of docs/operator-policies allow every call each CLI command makes", () => {
  const cases: [OperatorCommand, () => string[], string[]][] = [
    ['reports list', () => ['reports', 'list'], ['s3:GetObject', 's3:ListBucket']],
    ['reports show', () => ['reports', 'show', findings.released], ['s3:GetObject']],
    ['pause', () => ['pause', '--reason', 'operator policy test'], ['s3:PutObject']],
    ['pause --status', () => ['pause', '--status'], ['s3:GetObject']],
    ['resume', () => ['resume', '--reason', 'done'], ['s3:PutObject']],
    ['release', () => ['release', '--report', findings.released, ...ROLE], ['sts:AssumeRole']],
    [
      'release --yes',
      () => ['release', '--report', findings.released, ...ROLE, '--yes'],
      ['ec2:ModifyNetworkInterfaceAttribute', 'iam:DetachUserPolicy', 'iam:UpdateAccessKey', 's3:PutObject'],
    ],
    [
      'release --yes --false-positive',
      () => ['release', '--report', findings.falsePositive, ...ROLE, '--yes', '--false-positive'],
      [
        'autoscaling:UpdateAutoScalingGroup',
        'guardduty:ArchiveFindings',
        'guardduty:UpdateFindingsFeedback',
        'iam:DetachRolePolicy',
        'securityhub:BatchUpdateFindings',
      ],
    ],
    ['approve', () => ['approve', findings.approved, ...ROLE], ['ec2:StopInstances', 'iam:AttachUserPolicy']],
    ['reject', () => ['reject', findings.rejected, '--reason', 'a known build host'], ['s3:PutObject']],
  ];

  // The commands run in this order: release plans before it applies, pause before resume.
  it.each(cases)('cli %s', async (command, args, expectedActions) => {
    // Act
    const calls = await recordedRun(args());

    // Assess: the command did what it is for (its characteristic calls, each answered), and IAM would allow it all.
    const called = calls.map((call) => call.action);
    expect(called).toEqual(expect.arrayContaining(expectedActions));
    // "Nothing there" is an answer (no decision recorded yet, a user without a console password), not a refusal.
    const failed = calls.filter((call) => !['ok', 'NoSuchKey', 'NoSuchEntityException'].includes(call.outcome));
    expect(failed.map((call) => `${call.action}: ${call.outcome}`)).toEqual([]);
    expect(actionsNeedingPermission(called).length).toBeGreaterThan(0);
    expect(await policies.refusedRequests(COMMAND_STATEMENTS[command], calls)).toEqual([]);
  });

  it('the evaluation refuses what the statements do not allow: reports show without DecryptReports', async () => {
    // Prepare
    const calls = await recordedRun(['reports', 'show', findings.released]);
    const evaluator = policies.evaluatorFor({ central: ['ReadReports'], member: [] });
    const decrypt = calls
      .flatMap((call) => policies.requestsOf(call))
      .find((request) => request.action === 'kms:Decrypt');
    if (decrypt === undefined) throw new Error('reports show read no encrypted report');

    // Act
    const evaluation = await evaluator.evaluateRequest({
      principal: policies.centralOperatorRoleArn,
      action: decrypt.action,
      resource: decrypt.resource,
      context: decrypt.context,
    });

    // Assess
    expect(evaluation.decision).toBe('ImplicitlyDenied');
  });

  it("the bucket's policy refuses the pause switch to an operator role of another name", async () => {
    // Prepare
    const calls = await recordedRun(['pause', '--reason', 'who may']);
    const write = calls.find((call) => call.action === 's3:PutObject');
    if (write === undefined) throw new Error('pause wrote nothing');
    const [request] = policies.requestsOf(write);
    if (request === undefined) throw new Error('no request for the write');
    const evaluator = policies.evaluatorFor(COMMAND_STATEMENTS.pause);

    // Act
    const evaluation = await evaluator.evaluateRequest({
      principal: `arn:aws:iam::${CENTRAL_ACCOUNT_ID}:role/SomeOtherAdmin`,
      action: request.action,
      resource: request.resource,
      context: request.context,
      identityPolicies: [
        { name: 'admin', policy: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } },
      ],
    });

    // Assess
    expect(evaluation.decision).toBe('ExplicitlyDenied');
    expect(evaluation.statements.join(' ')).toContain('OnlyTheReleaseOperatorFlipsThePauseSwitch');
  });

  it("the member policy names every action of core's release and approval steps, those the runs above did not reach too", () => {
    // Act
    const allowed = actionsOfPolicyFile(OPERATOR_POLICY_FILES.member);

    // Assess
    expect(allowed).toEqual(expect.arrayContaining([...releaseActions(), ...approvalActions()]));
  });
});
