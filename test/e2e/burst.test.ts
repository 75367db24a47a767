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

  it('contains and freezes every instance once, by its own finding or a linked incident, with no failed step', () => {
    // Assess: one launcher's miners, each with a finding: every response follows the launcher to the others.
    const failed = reports.flatMap((report) =>
      report.steps
        .filter((step) => step.status === 'failed')
        .map((step) => `${report.instanceId}: ${step.step} ${step.action ?? ''} ${step.errorCode ?? ''}`),
    );
    expect(failed).toEqual([]);
    const answering = reports.filter((report) => report.disposition === 'responded');
    // One answering finding per instance. A delivery GuardDuty re-sent after its first response had ended is answered
    // again by that finding, in a report of its own beside the first (reports are written once): it says so.
    const answeringByInstance = new Map<string, IncidentReport[]>();
    for (const report of answering) {
      const instanceId = report.instanceId ?? '';
      answeringByInstance.set(instanceId, [...(answeringByInstance.get(instanceId) ?? []), report]);
    }
    expect([...answeringByInstance.keys()].sort()).toEqual(
      organization.targets.map((target) => target.instanceId).sort(),
    );
    for (const [instanceId, ofInstance] of answeringByInstance) {
      expect(new Set(ofInstance.map((report) => report.findingId)).size, instanceId).toBe(1);
      const firstAnswers = ofInstance.filter(
        (report) => !report.deliveries.some((delivery) => delivery.outcome === 'repeated'),
      );
      expect(firstAnswers, instanceId).toHaveLength(1);
    }
    for (const report of answering) {
      expect(report.response).toMatchObject({ networkIsolated: true, instanceStopped: true, actorFrozen: true });
    }
    expect(answering.filter((report) => report.findingId.includes('/linked/')).length).toBeGreaterThan(0);
    const answeredBy = new Map(answering.map((report) => [report.instanceId, report.findingId]));
    for (const report of reports.filter((candidate) => candidate.disposition !== 'responded')) {
      expect(report.disposition).toBe('answered-elsewhere');
      expect(report.dispositionReason).toContain(`finding ${answeredBy.get(report.instanceId)}`);
    }
  });

  it("lists each launcher's other instances as contained by this finding or answered by the one that claimed it", () => {
    // Assess
    const answeredBy = new Map(
      reports.filter((report) => report.disposition === 'responded').map((report) => [report.instanceId, report]),
    );
    const listed = reports.flatMap((report) => report.linkedInstances ?? []);
    expect(listed.length).toBeGreaterThan(0);
    for (const instance of listed) {
      const holder = answeredBy.get(instance.instanceId)?.findingId;
      if (instance.action === 'contain') expect(holder).toMatch(/\/linked\//);
      else if (instance.action === 'answered by its own incident') {
        // The holder named at listing time (claim) or by the incident tag: the finding that answered the instance.
        expect(instance.answeredBy).toBe(holder);
      } else expect.unreachable(`unexpected action ${instance.action} for ${instance.instanceId}`);
    }
  });

  it('acts on no instance twice, not even for a finding GuardDuty sent twice at once', () => {
    // Assess
    const stops = world.proxy.calls.filter((call) => call.operation === 'StopInstances' && call.status === 200);
    expect(stops).toHaveLength(SHAPE.findings);
  });

  it('writes every report at a key of its own: no report write refused, one claim per instance, naming its answer', async () => {
    // Assess
    const refusedReports = world.proxy.calls.filter(
      (call) => call.operation === 'PutObject' && call.path.includes('/incidents/') && call.status !== 200,
    );
    expect(refusedReports).toEqual([]);
    const claims = await world.objectKeys('responder-state/instances/');
    expect(claims).toHaveLength(SHAPE.findings);
    const answering = reports.filter((report) => report.disposition === 'responded');
    const holders = await inBatches(claims, 10, async (key) => world.readJson(key));
    for (const report of answering) {
      expect(holders).toContainEqual(
        expect.objectContaining({ instanceId: report.instanceId, findingId: report.findingId }),
      );
    }
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
