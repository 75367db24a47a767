import { Writable } from 'node:stream';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { derivedInstanceFindingId, type IncidentReport } from '@cryptominer-defense/core';
import { guardDutyAttackSequenceEvent, type SeededInstance } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaHandler } from '../../src/createLambdaHandler';
import { jsonLinesLogger } from '../../src/responderLogger';
import { emulatorFaults } from '../support/emulatorFaults';
import { memberWrites } from '../support/memberWrites';
import { isolationGroups, networkInterfacesInGroup } from '../support/networkInterfaceGroups';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const region = 'us-east-1';
const CRYPTO_SIGNALS = ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 'Impact:Runtime/CryptoMinerExecuted'];
const OTHER_SIGNAL = 'Backdoor:EC2/C&CActivity.B!DNS';

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** The three instances of a member's seeded region: one with several ENIs, two VPCs. */
async function threeInstancesOf(memberName: string) {
  const member = world.organization.member(memberName);
  const layout = member.inRegion(region);
  const instances: SeededInstance[] = [layout.standaloneInstance, layout.multiEniInstance, layout.secondVpcInstance];
  const clients = await world.clientsOf(member.accountId, region);
  return { accountId: member.accountId, instances, ec2: clients.ec2 };
}

/** Every ENI that sits on an isolation group of the account, whatever its VPC. */
async function isolatedNetworkInterfaces(ec2: EC2Client): Promise<string[]> {
  const groups = await isolationGroups(ec2);
  const enis = await Promise.all(groups.map((group) => networkInterfacesInGroup(ec2, group.GroupId ?? '')));
  return enis.flat().sort();
}

async function reportsOfFinding(findingId: string): Promise<Map<string, IncidentReport>> {
  const keys = (await world.reportKeys()).filter((key) => key.startsWith('incidents/'));
  const reports = await Promise.all(keys.map(async (key) => [key, await world.readReport(key)] as const));
  return new Map(reports.filter(([, report]) => report.findingId.startsWith(findingId)));
}

describe('an AttackSequence:EC2/CompromisedInstanceGroup finding', () => {
  it('with crypto-mining signals: every instance it names is isolated, each with its own report, and the sequence gets one', async () => {
    // Prepare
    const { accountId, instances, ec2 } = await threeInstancesOf('workload-a');
    const event = guardDutyAttackSequenceEvent({
      accountId,
      region,
      instances: instances.map(({ instanceId }) => ({ instanceId })),
      signalFindingTypes: [...CRYPTO_SIGNALS, OTHER_SIGNAL],
    });
    const findingId = String(event.detail.id);
    world.recorder.clear();

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    const everyEni = instances.flatMap((instance) => instance.networkInterfaceIds).sort();
    expect(await isolatedNetworkInterfaces(ec2)).toEqual(everyEni);
    const reports = await reportsOfFinding(findingId);
    expect(reports.size).toBe(4);
    for (const instance of instances) {
      const [key, report] = [...reports].find(([, candidate]) => candidate.instanceId === instance.instanceId) ?? [];
      expect(key).toContain(`incidents/${accountId}/${region}/`);
      expect(report?.findingId).toBe(derivedInstanceFindingId(findingId, instance.instanceId));
      expect(report?.guarddutyFindingType).toBe('AttackSequence:EC2/CompromisedInstanceGroup');
      expect(report?.response.networkIsolated).toBe(true);
      expect(report?.deliveries.map((delivery) => delivery.outcome)).toEqual(['acted']);
    }
    const parent = reports.get(handled.key);
    expect(parent?.findingId).toBe(findingId);
    expect(parent?.instanceId).toBeNull();
    expect(parent?.disposition).toBe('needs-person');
    for (const instance of instances) {
      expect(parent?.dispositionReason).toContain(derivedInstanceFindingId(findingId, instance.instanceId));
    }
    expect(parent?.dispositionReason).toContain(CRYPTO_SIGNALS.join(', '));
    expect(handled.derived?.map((derived) => derived.kind)).toEqual(['reported', 'reported', 'reported']);
    // Each instance's changes go under a session of its own, whose name holds the whole instance id.
    const sessions = world.recorder.calls
      .filter((call) => call.action === 'sts:AssumeRole')
      .flatMap((call) => (call.input as { SourceIdentity?: string }).SourceIdentity ?? []);
    expect(sessions.sort()).toEqual(instances.map((instance) => `cmd-${findingId}-${instance.instanceId}`).sort());
  });

  it('delivered again (a re-send, and the identical event): every instance is acted on once', async () => {
    // Two deliveries at the same moment are not tested here: moto's If-None-Match is a check then a put, so many
    // claims at once can both win on the emulator (S3 makes it atomic); idempotency.test.ts covers one finding.
    // Prepare
    const { accountId, instances } = await threeInstancesOf('workload-b');
    const options = {
      accountId,
      region,
      instances: instances.map(({ instanceId }) => ({ instanceId })),
      signalFindingTypes: CRYPTO_SIGNALS,
      findingId: 'ab'.repeat(16),
    };
    const first = guardDutyAttackSequenceEvent({ ...options, count: 1 });
    world.recorder.clear();

    // Act
    await world.createResponder().handle(first);
    const writesOfTheFirst = memberWrites(world, accountId);
    world.recorder.clear();
    await world.createResponder().handle(guardDutyAttackSequenceEvent({ ...options, count: 2 }));
    const again = reported(await world.createResponder().handle(first));

    // Assess
    expect(writesOfTheFirst.filter((action) => action === 'ec2:StopInstances')).toHaveLength(3);
    expect(memberWrites(world, accountId)).toEqual([]);
    expect(again.derived).toHaveLength(3);
    for (const derived of again.derived ?? []) {
      const report = reported(derived).report;
      expect(report.response.networkIsolated).toBe(true);
      expect(report.deliveries.map((delivery) => delivery.outcome)).toEqual(['acted', 'repeated', 'repeated']);
      expect(reported(derived).key).toMatch(/\.delivery-3\.json$/);
    }
  });

  it('without crypto-mining signals: the sequence gets a report for a person, and nothing in the account changes', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const layout = member.inRegion(region);
    const event = guardDutyAttackSequenceEvent({
      accountId: member.accountId,
      region,
      instances: [{ instanceId: layout.autoScalingGroup.instances[0]?.instanceId ?? '' }],
      signalFindingTypes: [OTHER_SIGNAL],
    });
    world.recorder.clear();

    // Act
    const handled = reported(await world.createResponder().handle(event));

    // Assess
    expect(memberWrites(world, member.accountId)).toEqual([]);
    expect(world.calledActions().filter((action) => !action.startsWith('s3:'))).toEqual([]);
    const reports = await reportsOfFinding(String(event.detail.id));
    expect([...reports.keys()]).toEqual([handled.key]);
    expect(handled.report.disposition).toBe('needs-person');
    expect(handled.report.dispositionReason).toMatch(/no crypto-mining finding among its signals/);
    expect(handled.derived).toBeUndefined();
  });

  it('contains at most ATTACK_SEQUENCE_MAX_INSTANCES, and never an instance of another account', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const other = world.organization.member('workload-b');
    const [first, second] = member.inRegion(region).autoScalingGroup.instances;
    const elsewhere = other.inRegion(region).autoScalingGroup.instances[0];
    const event = guardDutyAttackSequenceEvent({
      accountId: member.accountId,
      region,
      instances: [
        { instanceId: elsewhere?.instanceId ?? '', accountId: other.accountId },
        { instanceId: first?.instanceId ?? '' },
        { instanceId: second?.instanceId ?? '' },
      ],
      signalFindingTypes: CRYPTO_SIGNALS,
    });
    world.recorder.clear();

    // Act
    const handled = reported(await world.createResponder({ ATTACK_SEQUENCE_MAX_INSTANCES: '1' }).handle(event));

    // Assess
    expect(memberWrites(world, other.accountId)).toEqual([]);
    expect(handled.derived?.map((derived) => reported(derived).report.instanceId)).toEqual([first?.instanceId]);
    expect(handled.report.dispositionReason).toContain(`${elsewhere?.instanceId} (in account ${other.accountId}`);
    expect(handled.report.dispositionReason).toContain(`${second?.instanceId} (over the 1 instances`);
  });
});

describe('an attack sequence whose instances could not be isolated, delivered through the findings queue', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('fails the record after every report is stored, and the redelivery isolates the instances', async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const instances = member.inRegion(region).autoScalingGroup.instances;
    const clients = await world.clientsOf(member.accountId, region);
    const everyEni = instances.flatMap((instance) => instance.networkInterfaceIds).sort();
    // Both moves of every ENI refused in the first delivery (the redelivery goes through the same proxy).
    const firstDeliveryMoves = Array.from({ length: 2 * everyEni.length }, (_unused, index) => index + 1);
    const proxy = await faults.start([
      {
        service: 'ec2',
        operation: 'ModifyNetworkInterfaceAttribute',
        fault: 'accessDenied',
        onCalls: firstDeliveryMoves,
      },
    ]);
    const queueArn = `arn:aws:sqs:${region}:000000000000:cryptominer-findings`;
    const handlerThrough = (endpoint: string) =>
      createLambdaHandler({
        env: { ...world.env, AWS_ENDPOINT_URL: endpoint, FINDING_QUEUE_ARN: queueArn },
        logger: jsonLinesLogger(new Writable({ write: (_chunk, _encoding, done) => done() })),
      });
    const event = guardDutyAttackSequenceEvent({
      accountId: member.accountId,
      region,
      instances: instances.map(({ instanceId }) => ({ instanceId })),
      signalFindingTypes: CRYPTO_SIGNALS,
    });
    const batch = {
      Records: [
        { messageId: 'message-1', eventSource: 'aws:sqs', eventSourceARN: queueArn, body: JSON.stringify(event) },
      ],
    };

    // Act
    const first = await handlerThrough(proxy.endpoint)(batch);
    const isolatedAfterFirst = await isolatedNetworkInterfaces(clients.ec2);
    const reportsAfterFirst = (await reportsOfFinding(String(event.detail.id))).size;
    const redelivered = await handlerThrough(proxy.endpoint)(batch);

    // Assess
    expect(instances).toHaveLength(2);
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'message-1' }] });
    expect(isolatedAfterFirst.filter((eni) => everyEni.includes(eni))).toEqual([]);
    expect(reportsAfterFirst).toBe(3);
    expect(redelivered).toEqual({ batchItemFailures: [] });
    expect((await isolatedNetworkInterfaces(clients.ec2)).filter((eni) => everyEni.includes(eni))).toEqual(everyEni);
  });
});
