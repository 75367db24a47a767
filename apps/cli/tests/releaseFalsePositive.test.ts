import type { IncidentReport } from '@cryptominer-defense/core';
import {
  applyEnvironment,
  type GuardDutyFake,
  guardDutyFindingEvent,
  type SecurityHubFake,
  startGuardDutyFake,
  startSecurityHubFake,
} from '@cryptominer-defense/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliWorld, REPORT_BUCKET, startCliWorld } from './support/cliWorld';

const region = 'us-east-1';
let world: CliWorld;
let securityHub: SecurityHubFake;
let guardDuty: GuardDutyFake;
let restore: () => void;
let reportKey: string;
let report: IncidentReport;

beforeAll(async () => {
  world = await startCliWorld({ regions: [region] });
  securityHub = await startSecurityHubFake({ emulatorEndpoint: world.endpoint });
  guardDuty = await startGuardDutyFake({ emulatorEndpoint: world.endpoint });
  const endpoints = {
    AWS_ENDPOINT_URL_SECURITYHUB: securityHub.endpoint,
    AWS_ENDPOINT_URL_GUARDDUTY: guardDuty.endpoint,
  };
  restore = applyEnvironment(endpoints);
  const member = world.organization.member('workload-a');
  const instanceId = member.inRegion(region).multiEniInstance.instanceId;
  const responded = await world.cli(['respond', '--event', '-'], {
    stdin: JSON.stringify(guardDutyFindingEvent({ accountId: member.accountId, region, instanceId })),
    env: { ...endpoints, SECURITY_HUB_UPDATES: 'on' },
  });
  if (responded.code !== 0) throw new Error(`respond failed: ${responded.stderr}`);
  [reportKey = ''] = await world.objectKeys('incidents/');
  report = (await world.readObject(reportKey)) as IncidentReport;
}, 120_000);

afterAll(async () => {
  restore?.();
  await Promise.all([securityHub?.stop(), guardDuty?.stop()]);
  await world?.close();
});

describe('cli release --false-positive', () => {
  it('resolves the finding in Security Hub, and gives GuardDuty NOT_USEFUL feedback and archives it, in its detector', async () => {
    // Prepare: the response left the finding NOTIFIED.
    const reference = report.guardDutyFinding;
    if (reference === undefined || reference === null) throw new Error('the report names no GuardDuty finding');
    expect(securityHub.updated(reference.arn)?.workflowStatus).toBe('NOTIFIED');

    // Act
    const released = await world.cli([
      'release',
      '--report',
      reportKey,
      '--role-name',
      'OrganizationAccountAccessRole',
      '--yes',
      '--false-positive',
      '--json',
    ]);

    // Assess
    expect(released.stderr).toBe('');
    expect(released.code).toBe(0);
    const resolved = securityHub.updated(reference.arn);
    expect(resolved?.workflowStatus).toBe('RESOLVED');
    expect(resolved?.note?.Text).toContain(`Released as a false positive by arn:aws:`);
    expect(resolved?.note?.Text).toContain(`s3://${REPORT_BUCKET}/${reportKey}`);
    expect(guardDuty.feedbackOf(reference.detectorId, reference.findingId)).toBe('NOT_USEFUL');
    expect(guardDuty.isArchived(reference.detectorId, reference.findingId)).toBe(true);
    expect(
      guardDuty.calls.map((call) => [call.operation, call.parameters.detectorId, call.request.findingIds]),
    ).toEqual(
      expect.arrayContaining([
        ['UpdateFindingsFeedback', reference.detectorId, [reference.findingId]],
        ['ArchiveFindings', reference.detectorId, [reference.findingId]],
      ]),
    );
    const { record } = JSON.parse(released.stdout) as {
      record: { falsePositive: { action: string; status: string }[] };
    };
    expect(record.falsePositive.map((step) => [step.action, step.status])).toEqual([
      ['resolveSecurityHubFinding', 'succeeded'],
      ['markGuardDutyFindingNotUseful', 'succeeded'],
      ['archiveGuardDutyFinding', 'succeeded'],
    ]);
  });
});
