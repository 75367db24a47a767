import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchTarget, type BenchWorld, startBenchWorld } from '../bench/benchWorld';
import type { TimedCall } from '../bench/callTimeline';
import { expectIsolated, lastEniMove } from '../bench/measureResponses';

// Enough for every call to overlap others (the emulator answers one at a time), small enough for a test.
const ADDED_LATENCY_MS = 20;
const CONCURRENT_FINDINGS = 4;

/** EC2 calls of the steps that name themselves after-isolation work (containmentSteps.ts, followActor). */
const AFTER_ISOLATION_EC2 = new Set(
  [
    'CreateSnapshot',
    'CreateTags',
    'DescribeSnapshots',
    'DescribeInstanceAttribute',
    'ModifyInstanceAttribute',
    'StopInstances',
    'DescribeIamInstanceProfileAssociations',
    'DisassociateIamInstanceProfile',
    'ModifyInstanceMetadataOptions',
    'DescribeRegions',
  ].map((name) => `${name}Command`),
);
const AFTER_ISOLATION_CLIENTS = new Set(['AutoScalingClient', 'IAMClient', 'CloudTrailClient']);

function isAfterIsolation(call: TimedCall): boolean {
  return (
    AFTER_ISOLATION_CLIENTS.has(call.clientName) ||
    (call.clientName === 'EC2Client' && AFTER_ISOLATION_EC2.has(call.commandName))
  );
}

let world: BenchWorld;
let networkIndex = 240;

beforeAll(async () => {
  world = await startBenchWorld(ADDED_LATENCY_MS);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function targets(name: string, count: number): Promise<BenchTarget[]> {
  const network = await world.createNetwork(name, networkIndex++);
  const created: BenchTarget[] = [];
  for (let index = 0; index < count; index += 1) created.push(await world.createTarget(network, `${name}-${index}`));
  return created;
}

/** Delivers every target's finding at the same moment to one handler (one container); the calls it made. */
async function respondAtOnce(delivered: readonly BenchTarget[]): Promise<TimedCall[]> {
  const handler = world.createHandler();
  const startMs = performance.now();
  const results = await Promise.all(delivered.map((target) => handler(target.event)));
  for (const result of results) expect(result).toHaveProperty('reportKey');
  return world.timeline.callsSince(startMs);
}

async function instanceStates(instanceIds: readonly string[]): Promise<string[]> {
  const described = await world.member.ec2.send(new DescribeInstancesCommand({ InstanceIds: [...instanceIds] }));
  return (described.Reservations ?? []).flatMap((reservation) =>
    (reservation.Instances ?? []).map((instance) => instance.State?.Name ?? 'unknown'),
  );
}

describe('the isolation gate (decision 0026), on the emulator behind the latency proxy', () => {
  it('sends every ENI move of concurrent responses in one account before any of their after-isolation calls', async () => {
    // Prepare
    const burst = await targets('gate-burst', CONCURRENT_FINDINGS);

    // Act
    const calls = await respondAtOnce(burst);

    // Assess
    const lastIsolated = Math.max(...burst.map((target) => lastEniMove(calls, target).endMs));
    const afterIsolation = calls.filter(isAfterIsolation);
    const firstAfterIsolation = Math.min(...afterIsolation.map((call) => call.startMs));
    // Every response did its after-isolation work, all of it once every ENI of the burst was isolated.
    expect(afterIsolation.filter((call) => call.commandName === 'CreateSnapshotCommand')).toHaveLength(
      CONCURRENT_FINDINGS,
    );
    console.log(
      JSON.stringify(
        calls
          .filter((c) => c.startMs < lastIsolated)
          .sort((a, b) => a.startMs - b.startMs)
          .map((c) => [c.clientName, c.commandName, Math.round(c.startMs), Math.round(c.endMs)]),
      ),
    );
    expect(firstAfterIsolation).toBeGreaterThanOrEqual(lastIsolated);
    for (const target of burst) await expectIsolated(world, target);
    expect(await instanceStates(burst.map((target) => target.instanceId))).toEqual(burst.map(() => 'stopped'));
  }, 240_000);

  it('holds nothing of a single finding: its after-isolation work runs beside its isolation, as before the gate', async () => {
    // Prepare
    const [alone] = await targets('gate-alone', 1);
    if (alone === undefined) throw new Error('No target was created.');

    // Act
    const calls = await respondAtOnce([alone]);

    // Assess
    const firstMove = calls
      .filter((call) => call.commandName === 'ModifyNetworkInterfaceAttributeCommand')
      .reduce((first, call) => (call.startMs < first.startMs ? call : first));
    const groupRead = calls.find((call) => call.commandName === 'DescribeAutoScalingGroupsCommand');
    // The Auto Scaling group is read from the finding's hint with the instance, so before any ENI can move.
    expect(groupRead?.startMs).toBeLessThan(firstMove.startMs);
    expect(calls.filter(isAfterIsolation).some((call) => call.startMs < lastEniMove(calls, alone).endMs)).toBe(true);
    await expectIsolated(world, alone);
    expect(await instanceStates([alone.instanceId])).toEqual(['stopped']);
  }, 240_000);
});
