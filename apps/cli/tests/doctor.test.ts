import { CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteRuleCommand, EventBridgeClient, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { FORWARDING_RULE_NAME } from '@cryptominer-defense/central/deployment-names';
import { DEFAULT_RESPONDER_ROLE_NAME } from '@cryptominer-defense/core';
import {
  applyEnvironment,
  clientConfigForAccount,
  emulatorClientConfig,
  injectedErrorCode,
  startFaultInjectingProxy,
} from '@cryptominer-defense/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/doctor/checkResult';
import { type CliWorld, REPORT_BUCKET, startCliWorld } from './support/cliWorld';
import { widestLine } from './support/lineWidths';
import { type SeededCentralDeployment, seedCentralDeployment, seedForwarder } from './support/seedCentralDeployment';

const homeRegion = 'us-east-1';
const forwardedRegion = 'eu-west-1';
let world: CliWorld;
let central: SeededCentralDeployment;
let memberIds: string[];

interface DoctorOutput {
  readonly ok: boolean;
  readonly checks: CheckResult[];
}

async function doctor(args: readonly string[] = []) {
  const run = await world.cli(['doctor', '--json', ...args]);
  return { code: run.code, stderr: run.stderr, output: JSON.parse(run.stdout) as DoctorOutput };
}

/** The row doctor prints for a failed check. */
const failedRow = (check: string, target: unknown, errorCode: string, fix: unknown) => ({
  check,
  target,
  status: 'FAILED',
  errorCode,
  fix,
});
/** A CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const failed = (output: DoctorOutput) => output.checks.filter((check) => check.status === 'FAILED');
const accountRows = (output: DoctorOutput) => output.checks.filter((check) => /^\d{12}$/.test(check.target));

beforeAll(async () => {
  world = await startCliWorld({ regions: [homeRegion] });
  memberIds = world.organization.members.map((member) => member.accountId);
  const { organizationalUnits } = world.organization;
  central = await seedCentralDeployment(world.endpoint, {
    homeRegion,
    forwardedRegion,
    bucketName: REPORT_BUCKET,
    targetOrganizationalUnitIds: [organizationalUnits.Workloads ?? '', organizationalUnits.Sandbox ?? ''],
  });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('cli doctor', () => {
  it('finds every piece of a complete deployment: all rows OK, one per member account, exit 0', async () => {
    // Act
    const { code, stderr, output } = await doctor();

    // Assess
    expect(code, stderr).toBe(0);
    expect(failed(output)).toEqual([]);
    expect(output.ok).toBe(true);
    expect(accountRows(output).map((row) => row.target)).toEqual([...memberIds].sort());
    expect(output.checks.map((row) => row.check)).toEqual(
      expect.arrayContaining([
        'incident bucket exists',
        'dead-letter queue exists',
        'function configuration parses',
        'alarm: failed containment steps',
        'forwarder rule forwards to the home bus',
        'forwarder alarm: undelivered findings',
      ]),
    );
    expect(output.checks.filter((row) => row.check.startsWith('forwarder')).map((row) => row.target)).toEqual([
      forwardedRegion,
      forwardedRegion,
    ]);
  });

  it('prints a table and the count of checks without --json', async () => {
    // Act
    const run = await world.cli(['doctor']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^CHECK\s+TARGET\s+RESULT\s+ERROR\s+FIX/);
    expect(run.stdout).toMatch(/All \d+ checks OK\.\n$/);
  });

  it('fits the table in 120 columns, wrapping the long cells, on a failing check too; csv has a line per check', async () => {
    // Prepare
    const failing = ['--stack-name', 'CryptominerCentralElsewhere'];

    // Act
    const table = await world.cli(['doctor', ...failing]);
    const { output } = await doctor(failing);
    const csv = await world.cli(['doctor', ...failing, '--output', 'csv']);
    const passingTable = await world.cli(['doctor', '--output', 'table']);

    // Assess
    expect(table.code).toBe(1);
    const [row] = output.checks;
    const unwrappedRow = [row?.check, row?.target, row?.status, row?.errorCode, row?.fix].join('  ');
    expect(unwrappedRow.length).toBeGreaterThan(120);
    expect(widestLine(table.stdout)).toBeLessThanOrEqual(120);
    expect(widestLine(passingTable.stdout)).toBeLessThanOrEqual(120);
    // The FIX column, read down its lines, is the fix in full (wrapped, not cut).
    const [header = '', , ...rows] = table.stdout.split('\n');
    const fixColumn = rows.map((line) => line.slice(header.indexOf('FIX'))).join(' ');
    expect(fixColumn.replace(/\s+/g, '')).toContain(row?.fix?.replace(/\s+/g, ''));
    expect(csv.code).toBe(1);
    expect(csv.stdout.split('\r\n')).toEqual([
      'check,target,status,errorCode,fix',
      `central stack deployed,CryptominerCentralElsewhere (${homeRegion}),FAILED,StackNotFound,${csvField(row?.fix ?? '')}`,
      '',
    ]);
  });

  it('stops at one row, naming the stack and the fix, when there is no such central stack, exit 1', async () => {
    // Act
    const { code, output } = await doctor(['--stack-name', 'CryptominerCentralElsewhere']);

    // Assess
    expect(code).toBe(1);
    expect(output.checks).toEqual([
      {
        check: 'central stack deployed',
        target: `CryptominerCentralElsewhere (${homeRegion})`,
        status: 'FAILED',
        errorCode: 'StackNotFound',
        fix: expect.stringContaining(
          `No stack CryptominerCentralElsewhere in ${homeRegion}: deploy CryptominerCentral`,
        ),
      },
    ]);
  });

  it('names the region, the error and the fix when a forwarded region has no forwarder rule, exit 1', async () => {
    // Prepare
    const eventBridge = new EventBridgeClient(emulatorClientConfig(world.endpoint, { region: forwardedRegion }));
    await eventBridge.send(new RemoveTargetsCommand({ Rule: FORWARDING_RULE_NAME, Ids: ['HomeBus'] }));
    await eventBridge.send(new DeleteRuleCommand({ Name: FORWARDING_RULE_NAME }));

    // Act
    const { code, output } = await doctor();

    // Put the forwarder back for the next tests
    await seedForwarder(world.endpoint, { region: forwardedRegion, forwardingBusArn: central.forwardingBusArn });
    eventBridge.destroy();

    // Assess
    expect(code).toBe(1);
    expect(output.ok).toBe(false);
    expect(failed(output)).toEqual([
      failedRow(
        'forwarder rule forwards to the home bus',
        forwardedRegion,
        'ResourceNotFoundException',
        expect.stringContaining(`Deploy CryptominerForwarder-${forwardedRegion}`),
      ),
      failedRow(
        'forwarder alarm: undelivered findings',
        forwardedRegion,
        'NotChecked',
        'Needs the row "forwarder rule forwards to the home bus": fix that first.',
      ),
    ]);
  });

  it("names the region when its forwarder's alarm on undelivered findings is gone, exit 1", async () => {
    // Prepare
    const cloudWatch = new CloudWatchClient(emulatorClientConfig(world.endpoint, { region: forwardedRegion }));
    const { MetricAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({}));
    const alarmNames = MetricAlarms.flatMap((alarm) => (alarm.AlarmName === undefined ? [] : [alarm.AlarmName]));
    await cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: alarmNames }));
    cloudWatch.destroy();

    // Act
    const { code, output } = await doctor();

    // Put the forwarder back for the next tests
    await seedForwarder(world.endpoint, { region: forwardedRegion, forwardingBusArn: central.forwardingBusArn });

    // Assess
    expect(alarmNames).toHaveLength(1);
    expect(code).toBe(1);
    expect(failed(output)).toEqual([
      failedRow(
        'forwarder alarm: undelivered findings',
        forwardedRegion,
        'NotFound',
        expect.stringContaining(`Deploy CryptominerForwarder-${forwardedRegion}`),
      ),
    ]);
  });

  it("fails the function's row when its environment does not parse as the responder parses it, exit 1", async () => {
    // Prepare
    const lambda = new LambdaClient(emulatorClientConfig(world.endpoint, { region: homeRegion }));
    const { Environment } = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: central.functionName }),
    );
    const variables = Environment?.Variables ?? {};
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: central.functionName,
        Environment: { Variables: { ...variables, PROTECTED_PRINCIPALS: 'BreakGlass*' } },
      }),
    );

    // Act
    const { code, output } = await doctor();

    // Put the environment back for the next tests
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: central.functionName,
        Environment: { Variables: variables },
      }),
    );
    lambda.destroy();

    // Assess
    expect(code).toBe(1);
    expect(failed(output)).toEqual([
      {
        check: 'function configuration parses',
        target: central.functionName,
        status: 'FAILED',
        errorCode: 'ConfigurationError',
        fix: expect.stringMatching(
          /^Configuration error: PROTECTED_PRINCIPALS is "BreakGlass\*", but must be .*Redeploy CryptominerCentral/,
        ),
      },
    ]);
  });

  it('marks the one account whose AssumeRole is refused, naming the account and the fix, exit 1', async () => {
    // Prepare: moto lets any role be assumed, even a missing one, so the refusal AWS gives is injected.
    const proxy = await startFaultInjectingProxy({
      target: world.endpoint,
      rules: [{ service: 'sts', operation: 'AssumeRole', fault: 'accessDenied', onCalls: [1] }],
    });

    // Act: the SDK reads its endpoint from the process environment, so the proxy goes there for this run.
    const restore = applyEnvironment({ AWS_ENDPOINT_URL: proxy.endpoint });
    const { code, output } = await doctor().finally(restore);
    await proxy.stop();

    // Assess
    expect(code).toBe(1);
    const [refused, ...others] = failed(output);
    expect(others).toEqual([]);
    expect(refused).toEqual(
      failedRow(
        `responder role ${DEFAULT_RESPONDER_ROLE_NAME} can be assumed`,
        expect.stringMatching(/^\d{12}$/),
        injectedErrorCode('accessDenied', { service: 'sts', protocol: 'awsQuery' }),
        expect.stringContaining('--via-role-name'),
      ),
    );
    expect(refused?.fix).toContain(`missing in ${refused?.target}`);
    expect(accountRows(output)).toHaveLength(memberIds.length);
  });

  it('with --via-role-name, finds the responder role in every account, then marks the member without it, exit 1', async () => {
    // Prepare
    const via = ['--via-role-name', 'OrganizationAccountAccessRole'];
    const before = await doctor(via);
    const [withoutRole, withRole] = memberIds;
    if (withoutRole === undefined || withRole === undefined) throw new Error('two members are seeded');
    const iam = new IAMClient(await clientConfigForAccount(world.endpoint, withoutRole));
    const { AttachedPolicies = [] } = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: DEFAULT_RESPONDER_ROLE_NAME }),
    );
    for (const policy of AttachedPolicies) {
      await iam.send(
        new DetachRolePolicyCommand({ RoleName: DEFAULT_RESPONDER_ROLE_NAME, PolicyArn: policy.PolicyArn }),
      );
    }
    const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName: DEFAULT_RESPONDER_ROLE_NAME }));
    for (const policyName of PolicyNames) {
      await iam.send(new DeleteRolePolicyCommand({ RoleName: DEFAULT_RESPONDER_ROLE_NAME, PolicyName: policyName }));
    }
    await iam.send(new DeleteRoleCommand({ RoleName: DEFAULT_RESPONDER_ROLE_NAME }));
    iam.destroy();

    // Act
    const after = await doctor(via);

    // Assess
    expect(before.code, before.stderr).toBe(0);
    expect(accountRows(before.output).map((row) => row.status)).toEqual(memberIds.map(() => 'OK'));
    expect(after.code).toBe(1);
    expect(failed(after.output)).toEqual([
      failedRow(
        `responder role ${DEFAULT_RESPONDER_ROLE_NAME} exists (seen through OrganizationAccountAccessRole)`,
        withoutRole,
        'NoSuchEntityException',
        expect.stringContaining(`The role is missing in ${withoutRole}`),
      ),
    ]);
    expect(accountRows(after.output).find((row) => row.target === withRole)?.status).toBe('OK');
  });
});
