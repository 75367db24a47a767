import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locateMotoServer } from '../../src/emulator/locateMotoServer';
import { startMotoServer } from '../../src/emulator/startMotoServer';
import { EmulatorNotInstalledError } from '../../src/errors';

describe('locateMotoServer', () => {
  const madeDirs: string[] = [];
  afterEach(() => {
    for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('finds moto_server and Python in the repository virtualenv', () => {
    // Act
    const location = locateMotoServer();

    // Assess
    expect(location.motoServer).toBe(join(location.repoRoot, '.venv', 'bin', 'moto_server'));
    expect(location.python).toBe(join(location.repoRoot, '.venv', 'bin', 'python'));
  });

  it('names the bootstrap command when the virtualenv is missing, and starts nothing', async () => {
    // Prepare
    const checkout = mkdtempSync(join(tmpdir(), 'no-venv-'));
    madeDirs.push(checkout);
    writeFileSync(join(checkout, 'pnpm-workspace.yaml'), 'packages: []\n');

    // Act
    const starting = startMotoServer({ repoRoot: checkout });

    // Assess
    await expect(starting).rejects.toBeInstanceOf(EmulatorNotInstalledError);
    await expect(starting).rejects.toThrow(
      'The local AWS emulator is not installed (' +
        `${join(checkout, '.venv', 'bin', 'moto_server')} is missing): run \`npx -y pnpm@12.4.2 bootstrap\``,
    );
  });
});
