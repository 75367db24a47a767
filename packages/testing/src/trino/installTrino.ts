import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../emulator/findRepoRoot';
import { TrinoNotInstalledError } from '../errors';

/** Where the installer put Trino, and the Java 24+ it found for it. */
export interface TrinoInstallation {
  readonly directory: string;
  readonly version: string;
  /** `<directory>/server/lib`: the server's classpath. */
  readonly libDirectory: string;
  /** `<directory>/plugin`: holds `hive` only. */
  readonly pluginDirectory: string;
  readonly java: string;
}

/**
 * Runs the project's installer (.ci/installTrino.mjs: a cached download from Maven Central, a no-op when that
 * version is already in ~/.cache/cryptominer-defense) and returns what it installed.
 */
export function installTrino(repoRoot: string = findRepoRoot()): TrinoInstallation {
  const installer = join(repoRoot, '.ci', 'installTrino.mjs');
  const result = spawnSync(process.execPath, [installer], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error !== undefined || result.status !== 0) {
    const reason = result.error?.message ?? result.stderr.trim();
    throw new TrinoNotInstalledError(
      `Trino, which runs the Athena named queries in these tests, could not be installed: ${reason}\n` +
        `Fix that, then run \`node .ci/installTrino.mjs\` (the test runs it too).`,
    );
  }
  const directory = result.stdout.trim().split('\n').at(-1) ?? '';
  const install = JSON.parse(readFileSync(join(directory, 'install.json'), 'utf8')) as {
    version: string;
    java: string;
  };
  return {
    directory,
    version: install.version,
    libDirectory: join(directory, 'server', 'lib'),
    pluginDirectory: join(directory, 'plugin'),
    java: install.java,
  };
}
