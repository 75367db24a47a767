import { S3Client } from '@aws-sdk/client-s3';
import {
  AwsActionRecorder,
  EMULATOR_DEFAULT_ACCOUNT_ID,
  type RecordedAwsCall,
  recordEveryClient,
} from '@cryptominer-defense/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliWorld, REPORT_BUCKET, startCliWorld } from './support/cliWorld';
import { MEMBER_OPERATOR_ROLE_NAME, type OperatorPolicies, operatorPolicies } from './support/operatorPolicies';
import { seedCentralDeployment } from './support/seedCentralDeployment';

// `cli doctor` with the operator's policies of docs/operator-policies, as operatorPolicy.test.ts does for the other
// commands: every call recorded on the emulator, every request evaluated (iam-simulate) against only the statements
// docs/deploy.md names for doctor. In the emulator the central side is the organization's management account, so the
// Organizations reads are same-account requests here; in AWS the delegated administrator's reads are allowed by
// AWS on top of the identity policy evaluated here.

const homeRegion = 'us-east-1';
const DOCTOR = {
  central: ['CheckTheDeployment', 'AssumeTheOperatorRoleInMemberAccounts'],
  member: ['ReadWhatTheResponseChanged'],
};
let world: CliWorld;
let policies: OperatorPolicies;
let calls: readonly RecordedAwsCall[];
let exitCode: number;
let stderr: string;

beforeAll(async () => {
  world = await startCliWorld({ regions: [homeRegion] });
  const { organizationalUnits } = world.organization;
  await seedCentralDeployment(world.endpoint, {
    homeRegion,
    forwardedRegion: 'eu-west-1',
    bucketName: REPORT_BUCKET,
    targetOrganizationalUnitIds: [organizationalUnits.Workloads ?? '', organizationalUnits.Sandbox ?? ''],
  });
  policies = operatorPolicies({
    centralAccountId: EMULATOR_DEFAULT_ACCOUNT_ID,
    managementAccountId: world.organization.managementAccountId,
    memberAccountIds: world.organization.members.map((member) => member.accountId),
    organizationId: world.organization.organizationId,
    homeRegion,
    reportBucket: REPORT_BUCKET,
  });
  // Act (once, for every assertion): doctor checks through the operator role of each member account.
  const recorder = new AwsActionRecorder();
  const restore = recordEveryClient(recorder, [S3Client], { defaultAccountId: EMULATOR_DEFAULT_ACCOUNT_ID });
  try {
    const run = await world.cli(['doctor', '--json', '--via-role-name', MEMBER_OPERATOR_ROLE_NAME]);
    exitCode = run.code;
    stderr = run.stderr;
  } finally {
    restore();
  }
  calls = [...recorder.calls];
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe("cli doctor with the operator's policies", () => {
  it('checks the whole deployment: every row OK, the member accounts through their operator role', () => {
    // Assess
    expect(exitCode, stderr).toBe(0);
    const called = new Set(calls.map((call) => call.action));
    expect([...called]).toEqual(
      expect.arrayContaining([
        'cloudformation:DescribeStacks',
        'events:DescribeRule',
        'iam:GetRole',
        'organizations:ListAccountsForParent',
        'sqs:GetQueueAttributes',
        'sts:AssumeRole',
      ]),
    );
    expect(calls.filter((call) => call.outcome !== 'ok').map((call) => `${call.action}: ${call.outcome}`)).toEqual([]);
  });

  it('makes no request that CheckTheDeployment and the operator role do not allow', async () => {
    // Act
    const refused = await policies.refusedRequests(DOCTOR, calls);

    // Assess
    expect(refused).toEqual([]);
  });

  it('is refused the member accounts without AssumeTheOperatorRoleInMemberAccounts (the check can fail)', async () => {
    // Act
    const refused = await policies.refusedRequests({ central: ['CheckTheDeployment'], member: DOCTOR.member }, calls);

    // Assess
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((line) => line.startsWith('sts:AssumeRole'))).toBe(true);
  });
});
