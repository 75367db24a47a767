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

// The central region, and a second one: GuardDuty's detectors and findings are regional, so a finding raised in
// eu-west-1 is given feedback and archived there, while Security Hub is updated from the central region.
const HOME = 'us-east-1';
const OTHER = 'eu-west-1';
let world: CliWorld;
let securityHub: SecurityHubFake;
let guardDuty: GuardDutyFake;
let restore: () => void;
const responded = new Map<string, { reportKey: string; report: IncidentReport }>();

beforeAll(async () => {
  world = await startCliWorld({ regions: [HOME, OTHER] });
  securityHub = await startSecurityHubFake({ emulatorEndpoint: world.endpoint });
  guardDuty = await startGuardDutyFake({ emulatorEndpoint: world.endpoint });
  const endpoints = {
    AWS_ENDPOINT_URL_SECURITYHUB: securityHub.endpoint,
    AWS_ENDPOINT_URL_GUARDDUTY: guardDuty.endpoint,
  };
  restore = applyEnvironment(endpoints);
  const member = world.organization.member('workload-a');
  for (const region of [HOME, OTHER]) {
    const instanceId = member.inRegion(region).multiEniInstance.instanceId;
    const answer = await world.cli(['respond', '--event', '-'], {
      stdin: JSON.stringify(guardDutyFindingEvent({ accountId: member.accountId, region, instanceId })),
      env: { ...endpoints, SECURITY_HUB_UPDATES: 'on' },
    });
    if (answer.code !== 0) throw new Error(`respond failed: ${answer.stderr}`);
    const report = JSON.parse(answer.stdout) as IncidentReport;
    const keys = await world.objectKeys(`incidents/${member.accountId}/${region}/`);
    const [reportKey] = keys;
    if (reportKey === undefined || keys.length !== 1) throw new Error(`not one report in ${region}: ${keys}`);
    responded.set(region, { reportKey, report });
  }
}, 180_000);

afterAll(async () => {
  restore?.();
  await Promise.all([securityHub?.stop(), guardDuty?.stop()]);
  await world?.close();
});

describe('cli release --false-positive', () => {
  it.each([
    ['the central region', HOME],
    ['another region', OTHER],
  ])(
    'resolves a finding of %s in Security Hub, and gives GuardDuty NOT_USEFUL feedback and archives it, in its detector and region',
    async (_where, region) => {
      // Prepare: the response left the finding NOTIFIED.
      const { reportKey, report } = responded.get(region) ?? { reportKey: '', report: undefined };
      const reference = report?.guardDutyFinding;
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
      expect(resolved?.productArn).toBe(`arn:aws:securityhub:${region}::product/aws/guardduty`);
      expect(guardDuty.feedbackOf(region, reference.detectorId, reference.findingId)).toBe('NOT_USEFUL');
      expect(guardDuty.isArchived(region, reference.detectorId, reference.findingId)).toBe(true);
      expect(
        guardDuty.calls.map((call) => [
          call.operation,
          call.region,
          call.parameters.detectorId,
          call.request.findingIds,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['UpdateFindingsFeedback', region, reference.detectorId, [reference.findingId]],
          ['ArchiveFindings', region, reference.detectorId, [reference.findingId]],
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
    },
  );
});
