import { randomBytes } from 'node:crypto';
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { findingDeliveriesPrefix, type IncidentReport } from '@cryptominer-defense/core';
import {
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  guardDutyEksFindingEvent,
  guardDutyFindingEvent,
  iamUserIdentity,
  instanceFindingTargetOf,
  runInstancesRecord,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorFaults } from '../support/emulatorFaults';
import { memberWrites } from '../support/memberWrites';
import { isolationGroups, networkInterfacesInGroup } from '../support/networkInterfaceGroups';
import { reported } from '../support/reported';
import { REPORT_BUCKET, type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const region = 'us-east-1';

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function instanceState(ec2: EC2Client, instanceId: string): Promise<string | undefined> {
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return described.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

async function keysUnder(prefix: string): Promise<string[]> {
  const s3 = new S3Client(emulatorClientConfig(world.endpoint, { credentials: EMULATOR_CREDENTIALS }));
  try {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: REPORT_BUCKET, Prefix: prefix }));
    return (listed.Contents ?? []).flatMap((object) => object.Key ?? []);
  } finally {
    s3.destroy();
  }
}

/** The same finding as GuardDuty re-sends it: same detail.id, a new EventBridge event, a higher count. */
function deliveries(base: Parameters<typeof guardDutyFindingEvent>[0], count: number) {
  const findingId = randomBytes(16).toString('hex');
  return Array.from({ length: count }, (_unused, index) =>
    guardDutyFindingEvent({ ...base, findingId, count: index + 1 }),
  );
}

describe('a finding delivered again (GuardDuty re-sends it with the same id)', () => {
  it('is acted on once: the repeat changes nothing, keeps the undo data and writes its report beside the first', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const layout = member.inRegion(region);
    const target = layout.standaloneInstance;
    const clients = await world.clientsOf(member.accountId, region);
    world.cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: member.accountId, userName: member.identities.developer.userName }),
        region,
        instanceIds: [target.instanceId],
      }),
    );
    const [first, second] = deliveries(
      { accountId: member.accountId, region, ...(await instanceFindingTargetOf(clients.ec2, target.instanceId)) },
      2,
    );
    const responder = world.createResponder();
    const firstHandled = reported(await responder.handle(first));
    const firstReport = await world.readReport(firstHandled.key);
    world.recorder.clear();

    // Act
    const secondHandled = reported(await world.createResponder().handle(second));

    // Assess
    const report = await world.readReport(secondHandled.key);
    // Reports are written once: the first stays as it was, the repeat's goes to a key of its own.
    expect(secondHandled.key).toBe(firstHandled.key.replace(/\.json$/, '.delivery-2.json'));
    expect(await world.readReport(firstHandled.key)).toEqual(firstReport);
    expect(memberWrites(world, member.accountId)).toEqual([]);
    expect(report.undo).toEqual(firstReport.undo);
    expect(report.undo.networkInterfaces[0]?.previousSecurityGroupIds).toEqual([layout.primaryNetwork.securityGroupId]);
    expect(report.response).toEqual(firstReport.response);
    expect(report.deliveries.map((delivery) => [delivery.outcome, delivery.serviceCount])).toEqual([
      ['acted', 1],
      ['repeated', 2],
    ]);
    expect(report.deliveries.map((delivery) => delivery.eventId)).toEqual([first?.id, second?.id]);
    const incidentKeys = (await world.reportKeys()).filter(
      (key) => key.startsWith('incidents/') && key.includes(target.instanceId),
    );
    expect(incidentKeys.sort()).toEqual([firstHandled.key, secondHandled.key].sort());
    expect(await instanceState(clients.ec2, target.instanceId)).toBe('stopped');
  });

  it.each([
    // A GuardDuty re-send: a new EventBridge event for the same finding.
    { delivered: 'as two events', instance: 'multiEniInstance', network: 'primaryNetwork', sameEvent: false },
    // At-least-once delivery: the identical event twice.
    {
      delivered: 'as the same event twice',
      instance: 'secondVpcInstance',
      network: 'secondaryNetwork',
      sameEvent: true,
    },
  ] as const)(
    'arriving twice at the same moment $delivered, is acted on once; the other delivery changes nothing and is recorded',
    async ({ instance, network, sameEvent }) => {
      // Prepare
      const member = world.organization.member('workload-a');
      const layout = member.inRegion(region);
      const target = layout[instance];
      const clients = await world.clientsOf(member.accountId, region);
      const findingId = sameEvent ? '0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d' : '0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c';
      const base = {
        accountId: member.accountId,
        region,
        findingId,
        ...(await instanceFindingTargetOf(clients.ec2, target.instanceId)),
      };
      // Two Lambda instances, each with its own caches.
      const responders = [world.createResponder(), world.createResponder()];
      world.recorder.clear();

      // Act
      const once = guardDutyFindingEvent({ ...base, count: 1 });
      const handled = await Promise.all(
        responders.map((responder, index) =>
          responder.handle(sameEvent ? once : guardDutyFindingEvent({ ...base, count: index + 1 })),
        ),
      );

      // Assess
      expect(handled.map((outcome) => outcome.kind).sort()).toEqual(['ignored', 'reported']);
      const ignored = handled.find((outcome) => outcome.kind === 'ignored');
      expect(ignored).toMatchObject({ reason: expect.stringContaining('being acted on by another delivery') });
      // Each ENI moved twice (all-open, then isolation), by one delivery only.
      expect(
        memberWrites(world, member.accountId).filter((action) => action === 'ec2:ModifyNetworkInterfaceAttribute'),
      ).toHaveLength(target.networkInterfaceIds.length * 2);
      expect(memberWrites(world, member.accountId).filter((action) => action === 'ec2:StopInstances')).toHaveLength(1);
      expect(
        memberWrites(world, member.accountId).filter((action) => action === 'ec2:CreateSnapshot').length,
      ).toBeGreaterThan(0);
      const winner = handled.find((outcome) => outcome.kind === 'reported');
      const report: IncidentReport | undefined =
        winner?.kind === 'reported' ? await world.readReport(winner.key) : undefined;
      for (const undo of report?.undo.networkInterfaces ?? []) {
        expect(undo.previousSecurityGroupIds).toEqual([layout[network].securityGroupId]);
      }
      const isolation = (await isolationGroups(clients.ec2)).find((group) => group.VpcId === layout[network].vpcId);
      expect(await networkInterfacesInGroup(clients.ec2, isolation?.GroupId ?? '')).toEqual(
        expect.arrayContaining([...target.networkInterfaceIds]),
      );
      const recorded = (await keysUnder(findingDeliveriesPrefix(findingId))).map((key) => key.split('.')[1]).sort();
      expect(recorded).toEqual(['acted', 'concurrent']);
    },
  );
});

describe('a finding delivered again after a step failed', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('retries only the failed step, keeps the first undo data, and records both deliveries', async () => {
    // Prepare: the first StopInstances is refused (through the fault proxy); everything else reaches the emulator.
    const member = world.organization.member('workload-b');
    const layout = member.inRegion(region);
    const target = layout.standaloneInstance;
    const clients = await world.clientsOf(member.accountId, region);
    const proxy = await faults.start([
      { service: 'ec2', operation: 'StopInstances', fault: 'accessDenied', onCalls: [1] },
    ]);
    const [first, second] = deliveries({ accountId: member.accountId, region, instanceId: target.instanceId }, 2);
    const firstHandled = reported(await world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint }).handle(first));
    const firstReport = await world.readReport(firstHandled.key);
    world.recorder.clear();

    // Act
    const secondHandled = reported(await world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint }).handle(second));

    // Assess
    expect(proxy.calls.filter((call) => call.faults.length > 0).map((call) => call.operation)).toEqual([
      'StopInstances',
    ]);
    expect(firstReport.response.instanceStopped).toBe(false);
    expect(firstReport.steps).toContainEqual(
      expect.objectContaining({ step: 'stopInstance', status: 'failed', errorCode: 'UnauthorizedOperation' }),
    );
    const report = await world.readReport(secondHandled.key);
    expect(secondHandled.key).toBe(firstHandled.key.replace(/\.json$/, '.delivery-2.json'));
    expect(await instanceState(clients.ec2, target.instanceId)).toBe('stopped');
    expect(memberWrites(world, member.accountId)).toEqual(['ec2:StopInstances']);
    expect(report.response).toMatchObject({ instanceStopped: true, networkIsolated: true });
    expect(report.steps.filter((record) => record.step === 'stopInstance')).toEqual([
      expect.objectContaining({ status: 'succeeded' }),
    ]);
    // The isolation records are the first delivery's, untouched.
    const isolationRecords = (candidate: IncidentReport) =>
      candidate.steps.filter((record) => record.step === 'isolateNetworkInterfaces');
    expect(isolationRecords(report)).toEqual(isolationRecords(firstReport));
    expect(report.undo).toEqual(firstReport.undo);
    expect(report.undo.networkInterfaces[0]?.previousSecurityGroupIds).toEqual([layout.primaryNetwork.securityGroupId]);
    expect(report.deliveries.map((delivery) => delivery.outcome)).toEqual(['acted', 'repeated']);
    expect(report.timestamp).toBe(firstReport.timestamp);
  });
});

describe('a delivery whose report could not be written', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('fails the invocation; the platform’s retry of the same event keeps the first undo data and writes the report', async () => {
    // Prepare: the first write under incidents/ is the first delivery's report.
    const member = world.organization.member('workload-b');
    const layout = member.inRegion(region);
    const target = layout.multiEniInstance;
    const proxy = await faults.start([
      {
        service: 's3',
        operation: 'PutObject',
        pathPrefix: `/${REPORT_BUCKET}/incidents/`,
        fault: 'accessDenied',
        onCalls: [1],
      },
    ]);
    const [event] = deliveries({ accountId: member.accountId, region, instanceId: target.instanceId }, 1);
    const failing = world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint });
    await expect(failing.handle(event)).rejects.toThrow(expect.objectContaining({ name: 'ReportWriteError' }));
    world.recorder.clear();

    // Act
    const retried = reported(await world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint }).handle(event));

    // Assess
    const report = await world.readReport(retried.key);
    expect(memberWrites(world, member.accountId)).toEqual([]);
    expect(report.undo.networkInterfaces.map((eni) => eni.previousSecurityGroupIds)).toEqual(
      target.networkInterfaceIds.map(() => [layout.primaryNetwork.securityGroupId]),
    );
    expect(report.deliveries.map((delivery) => [delivery.outcome, delivery.eventId])).toEqual([
      ['acted', event?.id],
      ['repeated', event?.id],
    ]);
    expect(report.response).toMatchObject({ networkIsolated: true, instanceStopped: true });
  });
});

describe('a finding with no instance (for a person) delivered again', () => {
  it('is reported once per admitted delivery: the first report kept, the re-send beside it listing every delivery', async () => {
    // Prepare: the same EKS finding, as one event delivered twice at the same moment, then re-sent as a new event.
    const member = world.organization.member('workload-a');
    const findingId = randomBytes(16).toString('hex');
    const base = { accountId: member.accountId, region, clusterName: 'payments', findingId };
    const first = guardDutyEksFindingEvent({ ...base, count: 1 });
    const resent = guardDutyEksFindingEvent({ ...base, count: 2 });
    const keysBefore = await world.reportKeys();
    world.recorder.clear();

    // Act: two Lambda instances, each with its own caches, get the identical event at once; a third the re-send.
    const atOnce = await Promise.all([world.createResponder().handle(first), world.createResponder().handle(first)]);
    const resentHandled = reported(await world.createResponder().handle(resent));

    // Assess
    expect(atOnce.map((handled) => handled.kind).sort()).toEqual(['ignored', 'reported']);
    expect(atOnce.find((handled) => handled.kind === 'ignored')).toMatchObject({
      reason: expect.stringContaining('being acted on by another delivery'),
    });
    const firstHandled = reported(atOnce.find((handled) => handled.kind === 'reported') ?? atOnce[0]);
    expect(resentHandled.key).toBe(firstHandled.key.replace(/\.json$/, '.delivery-2.json'));
    const report = await world.readReport(resentHandled.key);
    expect(report).toMatchObject({
      findingId,
      disposition: 'needs-person',
      resourceType: 'EKSCluster',
      instanceId: null,
      timestamp: firstHandled.report.timestamp,
    });
    expect(report.steps).toEqual([expect.objectContaining({ step: 'claimFinding', status: 'succeeded' })]);
    // The two deliveries at once in either order (their times may tie), then the re-send.
    const [atOnceFirst, atOnceSecond, last] = report.deliveries.map((delivery) => [
      delivery.outcome,
      delivery.eventId,
      delivery.serviceCount,
    ]);
    expect([atOnceFirst, atOnceSecond].sort()).toEqual([
      ['acted', first.id, 1],
      ['concurrent', first.id, 1],
    ]);
    expect(last).toEqual(['repeated', resent.id, 2]);
    expect(report.deliveries).toHaveLength(3);
    const written = (await world.reportKeys()).filter((key) => !keysBefore.includes(key));
    expect(written.filter((key) => !key.startsWith(`responder-state/${findingId}/`)).sort()).toEqual(
      [firstHandled.key, resentHandled.key].sort(),
    );
    expect((await keysUnder(findingDeliveriesPrefix(findingId))).map((key) => key.split('.')[1]).sort()).toEqual([
      'acted',
      'concurrent',
      'repeated',
    ]);
    // Nothing but the central bucket was touched.
    expect(world.recorder.calls.filter((call) => !call.action.startsWith('s3:'))).toEqual([]);
  });
});

describe('a finding with no instance whose ledger cannot be written', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('is still reported, and the claimFinding record says the lock failed', async () => {
    // Prepare: the first PutObject of a delivery is its claim.
    const member = world.organization.member('workload-b');
    const proxy = await faults.start([{ service: 's3', operation: 'PutObject', fault: 'accessDenied', onCalls: [1] }]);
    const event = guardDutyEksFindingEvent({ accountId: member.accountId, region, clusterName: 'batch' });

    // Act
    const handled = reported(await world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint }).handle(event));

    // Assess
    const report = await world.readReport(handled.key);
    expect(report.disposition).toBe('needs-person');
    expect(report.steps).toEqual([
      expect.objectContaining({ step: 'claimFinding', status: 'failed', errorCode: 'AccessDenied' }),
    ]);
    expect(report.deliveries.map((delivery) => [delivery.outcome, delivery.eventId])).toEqual([['acted', event.id]]);
  });
});
