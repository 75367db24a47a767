import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { IncidentReport } from '@cryptominer-defense/core';
import { clientConfigForAccount } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BurstOrganization,
  type BurstTarget,
  inBatches,
  seedBurstOrganization,
} from './support/burstOrganization';
import { expectValidReport } from './support/expectValidReport';
import { type ReliabilityWorld, startReliabilityWorld } from './support/reliabilityWorld';
import { type BurstRun, burstDeliveries, runBurst } from './support/runBurst';

// The CI-sized burst: `pnpm bench:burst` runs the full one (1,000 findings, 100 accounts) and prints timings.
const SHAPE = { findings: 60, accounts: 10, regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] };
const CONCURRENCY = 8;
const DUPLICATE_EVERY = 10;

let world: ReliabilityWorld;
let organization: BurstOrganization;
let run: BurstRun;
let reports: IncidentReport[];

beforeAll(async () => {
  const emulator = emulatorEndpoint();
  world = await startReliabilityWorld(emulator);
  organization = await seedBurstOrganization(emulator, world.cloudTrail, SHAPE);
  // CloudTrail's real limit: 2 LookupEvents per second per account and region.
  world.cloudTrail.setThrottling({ perSecondPerAccountRegion: 2 });
  world.proxy.clearCalls();
  run = await runBurst(burstDeliveries(organization.targets, DUPLICATE_EVERY), CONCURRENCY, () =>
    world.createHandler(),
  );
  reports = await inBatches(await world.reportKeys(), 10, (key) => world.readReport(key));
}, 300_000);

afterAll(async () => {
  await world?.close();
});

describe(`a burst of ${SHAPE.findings} findings across ${SHAPE.accounts} accounts and ${SHAPE.regions.length} regions`, () => {
  it('answers every delivery without an error, on at most the configured number of function instances', () => {
    // Assess
    expect(run.invocations).toHaveLength(SHAPE.findings + SHAPE.findings / DUPLICATE_EVERY);
    expect(run.invocations.filter((invocation) => invocation.error !== undefined)).toEqual([]);
    expect(run.coldStarts).toBeLessThanOrEqual(CONCURRENCY);
  });

  it('reports every finding, in reports that match the published schema', () => {
    // Assess
    for (const report of reports) expectValidReport(report);
    const reported = new Set(reports.map((report) => report.findingId));
    const findingIds = new Set(run.invocations.map((invocation) => invocation.delivery.findingId));
    expect(findingIds.size).toBe(SHAPE.findings);
    expect([...findingIds].filter((findingId) => !reported.has(findingId))).toEqual([]);
  });

  it('contains and freezes for every finding, with no failed step (CloudTrail throttling absorbed by retries)', () => {
    // Assess
    const failed = reports.flatMap((report) =>
      report.steps
        .filter((step) => step.status === 'failed')
        .map((step) => `${report.instanceId}: ${step.step} ${step.action ?? ''} ${step.errorCode ?? ''}`),
    );
    expect(failed).toEqual([]);
    for (const report of reports) {
      expect(report.response).toMatchObject({ networkIsolated: true, instanceStopped: true, actorFrozen: true });
    }
  });

  it('acts on no instance twice, not even for a finding GuardDuty sent twice at once', () => {
    // Assess
    const stops = world.proxy.calls.filter((call) => call.operation === 'StopInstances' && call.status === 200);
    expect(stops).toHaveLength(SHAPE.findings);
  });

  it('leaves every instance stopped, none terminated', async () => {
    // Prepare
    const byAccountRegion = new Map<string, BurstTarget[]>();
    for (const target of organization.targets) {
      const key = `${target.accountId}/${target.region}`;
      byAccountRegion.set(key, [...(byAccountRegion.get(key) ?? []), target]);
    }

    // Act
    const states = await inBatches([...byAccountRegion.values()], 5, async (targets) => {
      const [first] = targets;
      if (first === undefined) return [];
      const ec2 = new EC2Client(
        await clientConfigForAccount(world.emulator, first.accountId, { region: first.region }),
      );
      const described = await ec2.send(
        new DescribeInstancesCommand({ InstanceIds: targets.map((target) => target.instanceId) }),
      );
      ec2.destroy();
      return (described.Reservations ?? []).flatMap((reservation) =>
        (reservation.Instances ?? []).map((instance) => instance.State?.Name),
      );
    });

    // Assess
    expect(states.flat()).toEqual(Array.from({ length: SHAPE.findings }, () => 'stopped'));
  });
});
