import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { TestProject } from 'vitest/node';
import emulatorGlobalSetup from '../../src/vitest/emulatorGlobalSetup';
import { withEmulator } from '../../src/vitest/withEmulator.mjs';

/** moto servers this test process started and that are still running. */
function motoServersOfThisProcess(): string[] {
  const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return children.split('\n').filter((line) => line.includes('moto_server'));
}

describe('emulatorGlobalSetup', () => {
  it('provides the endpoint of a running emulator, and its teardown leaves no emulator process', async () => {
    // Prepare
    const provided = new Map<string, unknown>();
    const project = { provide: (key: string, value: unknown) => provided.set(key, value) } as unknown as TestProject;

    // Act
    const teardown = await emulatorGlobalSetup(project);
    const endpoint = String(provided.get('emulatorEndpoint'));
    const answeredWhileRunning = (await fetch(`${endpoint}/moto-api/`)).ok;
    const runningDuring = motoServersOfThisProcess().length;
    await teardown();

    // Assess
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(answeredWhileRunning).toBe(true);
    expect(runningDuring).toBe(1);
    expect(motoServersOfThisProcess()).toEqual([]);
  });
});

describe('withEmulator', () => {
  it("adds the global setup and the reset to a project's own, and runs its files one by one", () => {
    // Act
    const test = withEmulator({
      name: 'x',
      include: ['a'],
      setupFiles: 'own-setup.ts',
      globalSetup: ['own-global.ts'],
    });

    // Assess
    expect(test).toMatchObject({ name: 'x', include: ['a'], fileParallelism: false });
    expect(test.globalSetup).toEqual(['own-global.ts', expect.stringMatching(/src\/vitest\/emulatorGlobalSetup\.ts$/)]);
    expect(test.setupFiles).toEqual([
      expect.stringMatching(/src\/vitest\/resetEmulatorBeforeEachFile\.ts$/),
      'own-setup.ts',
    ]);
  });

  it("gives emulator tests and hooks a minute by default, and keeps a project's own timeouts", () => {
    // Act
    const defaults = withEmulator({ name: 'x' });
    const own = withEmulator({ name: 'y', testTimeout: 5_000, hookTimeout: 120_000 });

    // Assess
    expect(defaults).toMatchObject({ testTimeout: 60_000, hookTimeout: 60_000 });
    expect(own).toMatchObject({ testTimeout: 5_000, hookTimeout: 120_000 });
  });
});
