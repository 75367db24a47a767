import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessSetupError } from '../errors';

/** The monorepo root: the nearest folder above `from` that holds pnpm-workspace.yaml. */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let current = from;
  for (;;) {
    if (existsSync(join(current, 'pnpm-workspace.yaml'))) return current;
    const parent = dirname(current);
    if (parent === current) {
      throw new HarnessSetupError(
        `No pnpm-workspace.yaml found above ${from}: run the tests from inside the cryptominer-defense checkout.`,
      );
    }
    current = parent;
  }
}
