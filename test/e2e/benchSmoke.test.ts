import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@cryptominer-defense/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../bench/benchResults';

const folder = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const distribution = { median: expect.any(Number), min: expect.any(Number), max: expect.any(Number) };
const scenario = {
  incidents: 1,
  isolation: { ms: distribution, roundTrips: distribution, dependentCalls: distribution },
  wholeResponse: { ms: distribution, roundTrips: distribution, dependentCalls: distribution },
  awsCalls: distribution,
  callsByOperation: expect.any(Object),
  criticalPath: { isolation: expect.any(Array), wholeResponse: expect.any(Array) },
};
const percentiles = {
  ms: { p50: expect.any(Number), p99: expect.any(Number) },
  roundTrips: { p50: expect.any(Number), p99: expect.any(Number) },
};
const loadRun = (findings: number, mode: string) => ({
  findings,
  mode,
  isolation: percentiles,
  wholeResponse: percentiles,
  awsCallsPerIncident: expect.any(Number),
  callsByOperation: expect.any(Object),
  emulatorToIsolation: { calls: expect.any(Number), busyMs: expect.any(Number), share: expect.any(Number) },
});

describe('pnpm bench, on a tiny configuration', () => {
  it('runs, writes results of the documented shape, and counts round trips and calls sanely', () => {
    // Prepare
    const root = findRepoRoot();
    const out = join(folder, 'results.json');

    // Act
    const run = spawnSync(
      join(root, 'node_modules', '.bin', 'tsx'),
      [
        'test/bench/main.ts',
        '--iterations',
        '1',
        '--latency-ms',
        '20',
        '--import-runs',
        '1',
        '--load',
        '1,2',
        '--out',
        out,
      ],
      { cwd: root, encoding: 'utf8', timeout: 540_000 },
    );

    // Assess
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    expect(results).toMatchObject({
      schemaVersion: 5,
      configuration: { iterations: 1, addedLatencyMs: 20, importRuns: 1, loadSizes: [1, 2] },
      response: { warm: scenario, cold: scenario, coldGroupExists: scenario },
      load: [
        loadRun(1, 'oneHandler'),
        loadRun(1, 'handlerPerFinding'),
        loadRun(2, 'oneHandler'),
        loadRun(2, 'handlerPerFinding'),
      ],
      bundle: {
        bytes: expect.any(Number),
        gzipBytes: expect.any(Number),
        sourceMapBytes: expect.any(Number),
        eagerBytes: expect.any(Number),
        chunks: expect.any(Number),
        eagerChunks: expect.any(Number),
      },
      coldImport: {
        runs: 1,
        nodeAloneMs: distribution,
        bundleMs: distribution,
        ratio: expect.any(Number),
        floor: { ms: distribution, ratio: expect.any(Number) },
        environment: { kept: expect.any(Array), removed: expect.any(Array) },
        withMachineEnvironment: { nodeAloneMs: distribution, bundleMs: distribution, ratio: expect.any(Number) },
      },
    });
    // Five targets of issue 8, and issue 19's p99 at the largest size against one finding, per mode.
    expect(results.targets.map((target) => target.name)).toHaveLength(7);
    // Lambda sets none of this machine's node variables: the cold start is measured without them.
    expect(results.coldImport.environment.kept).not.toContain('NODE_EXTRA_CA_CERTS');
    expect(results.coldImport.environment.kept.some((name) => /^npm_|^PNPM/i.test(name))).toBe(false);
    for (const run of results.load) {
      // Isolation ends before the handler returns; every incident needs at least the two ENI moves per ENI.
      expect(run.isolation.ms.p50).toBeLessThanOrEqual(run.wholeResponse.ms.p99);
      expect(run.isolation.ms.p50).toBeLessThanOrEqual(run.isolation.ms.p99);
      expect(run.callsByOperation['ec2:ModifyNetworkInterfaceAttribute']).toBeGreaterThanOrEqual(2 * run.findings);
      const total = Object.values(run.callsByOperation).reduce((sum, count) => sum + count, 0);
      expect(run.awsCallsPerIncident).toBeCloseTo(total / run.findings, 1);
      // moto answered at least the ENI moves before the last one ended, and was busy at most all of that time.
      expect(run.emulatorToIsolation.calls).toBeGreaterThanOrEqual(2 * run.findings);
      expect(run.emulatorToIsolation.share).toBeGreaterThan(0);
      expect(run.emulatorToIsolation.share).toBeLessThanOrEqual(1);
    }
    // What a cold start loads is part of what is shipped.
    expect(results.bundle.eagerBytes).toBeLessThanOrEqual(results.bundle.bytes);
    expect(results.bundle.eagerChunks).toBeLessThanOrEqual(results.bundle.chunks);
    for (const name of ['warm', 'cold', 'coldGroupExists'] as const) {
      const { isolation, wholeResponse, awsCalls, callsByOperation, criticalPath } = results.response[name];
      // Isolation needs at least DescribeInstances then the ENI moves; it cannot come after the whole response.
      expect(isolation.dependentCalls.median).toBeGreaterThanOrEqual(2);
      expect(isolation.dependentCalls.median).toBeLessThanOrEqual(wholeResponse.dependentCalls.median);
      // No chain is longer than the calls made; the count is what the proxy saw.
      expect(wholeResponse.dependentCalls.median).toBeLessThanOrEqual(awsCalls.median);
      expect(Object.values(callsByOperation).reduce((sum, count) => sum + count, 0)).toBe(awsCalls.median);
      // The path to isolation ends with an ENI move; the chain's length is the count.
      expect(criticalPath.isolation.at(-1)).toBe('ModifyNetworkInterfaceAttribute');
      expect(criticalPath.isolation).toHaveLength(isolation.dependentCalls.median);
      // Both ENIs moved, the report written.
      expect(callsByOperation['ec2:ModifyNetworkInterfaceAttribute']).toBeGreaterThanOrEqual(2);
      expect(callsByOperation['s3:PutObject']).toBeGreaterThanOrEqual(1);
    }
    // A new container assumes the role for the account's session; every finding assumes its own for its changes.
    expect(results.response.cold.callsByOperation['sts:AssumeRole']).toBe(2);
    expect(results.response.warm.callsByOperation['sts:AssumeRole']).toBe(1);
    // Only where the groups are missing are they created (the isolation group, and the all-open one it passes).
    expect(results.response.cold.callsByOperation['ec2:CreateSecurityGroup']).toBeGreaterThanOrEqual(1);
    expect(results.response.coldGroupExists.callsByOperation['ec2:CreateSecurityGroup']).toBeUndefined();
  }, 600_000);
});
