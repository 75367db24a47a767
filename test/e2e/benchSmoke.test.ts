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

describe('pnpm bench, on a tiny configuration', () => {
  it('runs, writes results of the documented shape, and counts round trips and calls sanely', () => {
    // Prepare
    const root = findRepoRoot();
    const out = join(folder, 'results.json');

    // Act
    const run = spawnSync(
      join(root, 'node_modules', '.bin', 'tsx'),
      ['test/bench/main.ts', '--iterations', '1', '--latency-ms', '20', '--import-runs', '1', '--out', out],
      { cwd: root, encoding: 'utf8', timeout: 540_000 },
    );

    // Assess
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    expect(results).toMatchObject({
      schemaVersion: 3,
      configuration: { iterations: 1, addedLatencyMs: 20, importRuns: 1 },
      response: { warm: scenario, cold: scenario, coldGroupExists: scenario },
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
      },
    });
    expect(results.targets.map((target) => target.name)).toHaveLength(5);
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
