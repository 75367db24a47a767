import { performance } from 'node:perf_hooks';
import { DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { parseConfiguration } from '@cryptominer-defense/core';
import type { BenchTarget, BenchWorld, LambdaHandler } from './benchWorld';
import { dependentChain, operationOf, type TimedCall } from './callTimeline';
import { type Distribution, distributionOf } from './distribution';

/**
 * - `warm`: the same container's second incident in the VPC: credentials, membership and (when the engine
 *   caches them) isolation groups are known.
 * - `cold`: a new container, and a VPC where the isolation group must be created.
 * - `coldGroupExists`: a new container, in a VPC whose isolation group exists already.
 */
export const SCENARIOS = ['warm', 'cold', 'coldGroupExists'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** One incident, measured from the handler's start. */
export interface IncidentMeasurement {
  /** Until the last ENI's final ModifyNetworkInterfaceAttribute answered. */
  readonly isolatedMs: number;
  /** Until the handler returned (report written). */
  readonly wholeMs: number;
  /** Longest chain of calls each waiting for the previous one, ending with the last ENI move. */
  readonly isolationChain: readonly string[];
  /** The same, ending with the last call of the response. */
  readonly wholeChain: readonly string[];
  /** Calls on the wire (through the proxy, retries included). */
  readonly awsCalls: number;
  /** `service:Operation` → calls on the wire. */
  readonly callsByOperation: Readonly<Record<string, number>>;
}

export interface ScenarioSummary {
  readonly incidents: number;
  readonly isolation: {
    readonly ms: Distribution;
    readonly roundTrips: Distribution;
    readonly dependentCalls: Distribution;
  };
  readonly wholeResponse: {
    readonly ms: Distribution;
    readonly roundTrips: Distribution;
    readonly dependentCalls: Distribution;
  };
  readonly awsCalls: Distribution;
  /** Of the first incident: which calls make up the count. */
  readonly callsByOperation: Readonly<Record<string, number>>;
  /** Of the first incident: the dependent calls up to isolation, and up to the end (where round trips go). */
  readonly criticalPath: { readonly isolation: readonly string[]; readonly wholeResponse: readonly string[] };
}

const MODIFY_ENI = 'ModifyNetworkInterfaceAttributeCommand';

/**
 * The end of isolation: of the target's ENIs, the one whose final successful ModifyNetworkInterfaceAttribute
 * ended last. The calls may be those of other incidents too (the load scenario): each call names its ENI.
 */
export function lastEniMove(calls: readonly TimedCall[], target: BenchTarget): TimedCall {
  const lastMoves = target.networkInterfaceIds.map((eni) => {
    const moves = calls.filter((call) => call.commandName === MODIFY_ENI && call.networkInterfaceId === eni && call.ok);
    const last = moves.sort((a, b) => a.endMs - b.endMs).at(-1);
    if (last === undefined) throw new Error(`${eni} of ${target.instanceId} was never moved: not isolated.`);
    return last;
  });
  return lastMoves.reduce((latest, call) => (call.endMs > latest.endMs ? call : latest));
}

/** `service:Operation` → calls the proxy saw since it was last cleared. */
export function callsByOperationOf(world: BenchWorld): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of world.proxy.calls) {
    const key = `${call.service}:${call.operation}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function respondOnce(
  world: BenchWorld,
  handler: LambdaHandler,
  target: BenchTarget,
): Promise<IncidentMeasurement> {
  world.proxy.clearCalls();
  const startMs = performance.now();
  const result = await handler(target.event);
  const wholeEndMs = performance.now();
  if (!('reportKey' in result)) throw new Error(`The handler wrote no report: ${JSON.stringify(result)}`);
  const calls = world.timeline.callsSince(startMs);

  const lastMove = lastEniMove(calls, target);
  await expectIsolated(world, target);
  const lastCall = calls.reduce<TimedCall | undefined>(
    (latest, call) => (latest === undefined || call.endMs > latest.endMs ? call : latest),
    undefined,
  );
  const callsByOperation = callsByOperationOf(world);
  return {
    isolatedMs: lastMove.endMs - startMs,
    wholeMs: wholeEndMs - startMs,
    isolationChain: dependentChain(calls, lastMove).map(operationOf),
    wholeChain: lastCall === undefined ? [] : dependentChain(calls, lastCall).map(operationOf),
    awsCalls: world.proxy.calls.length,
    callsByOperation,
  };
}

/**
 * The benchmark measures isolation, so it checks that it happened: every ENI in the VPC's isolation group and no
 * longer in the application group. Read with the `group-id` filter: moto lists an attached ENI's `Groups` with
 * the instance's launch groups added, but filters on the ENI's own groups, which is what AWS would show.
 */
export async function expectIsolated(world: BenchWorld, target: BenchTarget): Promise<void> {
  const { isolationSecurityGroupName } = parseConfiguration(world.env);
  const { ec2 } = world.member;
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [target.network.vpcId] },
        { Name: 'group-name', Values: [isolationSecurityGroupName] },
      ],
    }),
  );
  const isolationGroupId = groups.SecurityGroups?.[0]?.GroupId;
  const inGroup = async (groupId: string) => {
    const described = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [
          { Name: 'group-id', Values: [groupId] },
          { Name: 'network-interface-id', Values: [...target.networkInterfaceIds] },
        ],
      }),
    );
    return (described.NetworkInterfaces ?? []).length;
  };
  const isolated = isolationGroupId === undefined ? 0 : await inGroup(isolationGroupId);
  const stillOpen = await inGroup(target.network.securityGroupId);
  if (isolated !== target.networkInterfaceIds.length || stillOpen > 0) {
    throw new Error(
      `Instance ${target.instanceId} is not isolated after the response: ${isolated} of ${target.networkInterfaceIds.length} ENIs in ${isolationSecurityGroupName}, ${stillOpen} still in the application group.`,
    );
  }
}

/**
 * Per iteration: a new VPC and a new container respond to one instance (cold), the same container to a second
 * one in that VPC (warm), and another new container to a third (cold, group exists).
 */
export async function measureResponses(
  world: BenchWorld,
  iterations: number,
  addedLatencyMs: number,
  progress: (line: string) => void,
): Promise<Record<Scenario, ScenarioSummary>> {
  const measured: Record<Scenario, IncidentMeasurement[]> = { warm: [], cold: [], coldGroupExists: [] };
  for (let iteration = 0; iteration < iterations; iteration++) {
    const name = `bench-${iteration}`;
    const network = await world.createNetwork(name, iteration);
    const [coldTarget, warmTarget, groupExistsTarget] = await Promise.all(
      ['cold', 'warm', 'existing'].map((suffix) => world.createTarget(network, `${name}-${suffix}`)),
    );
    if (coldTarget === undefined || warmTarget === undefined || groupExistsTarget === undefined) {
      throw new Error('Seeding returned fewer targets than asked for.');
    }
    const container = world.createHandler();
    measured.cold.push(await respondOnce(world, container, coldTarget));
    measured.warm.push(await respondOnce(world, container, warmTarget));
    measured.coldGroupExists.push(await respondOnce(world, world.createHandler(), groupExistsTarget));
    progress(`iteration ${iteration + 1}/${iterations} done`);
  }
  const summarize = (incidents: IncidentMeasurement[]): ScenarioSummary => ({
    incidents: incidents.length,
    isolation: {
      ms: distributionOf(incidents.map((incident) => incident.isolatedMs)),
      roundTrips: distributionOf(incidents.map((incident) => incident.isolatedMs / addedLatencyMs)),
      dependentCalls: distributionOf(incidents.map((incident) => incident.isolationChain.length)),
    },
    wholeResponse: {
      ms: distributionOf(incidents.map((incident) => incident.wholeMs)),
      roundTrips: distributionOf(incidents.map((incident) => incident.wholeMs / addedLatencyMs)),
      dependentCalls: distributionOf(incidents.map((incident) => incident.wholeChain.length)),
    },
    awsCalls: distributionOf(incidents.map((incident) => incident.awsCalls)),
    callsByOperation: incidents[0]?.callsByOperation ?? {},
    criticalPath: { isolation: incidents[0]?.isolationChain ?? [], wholeResponse: incidents[0]?.wholeChain ?? [] },
  });
  return {
    warm: summarize(measured.warm),
    cold: summarize(measured.cold),
    coldGroupExists: summarize(measured.coldGroupExists),
  };
}
