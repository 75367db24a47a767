import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLikeTheResponder } from '@cryptominer-defense/central';

const FLOOR_ENTRY = fileURLToPath(new URL('./floor/isolationClientsOnly.ts', import.meta.url));

/** The floor's bundle (floor/isolationClientsOnly.ts, bundled as the responder is); `dispose` removes it. */
export interface BuiltFloor {
  readonly entry: string;
  dispose(): void;
}

/** Bundles the cold-import floor: only the four clients isolation needs, created as at a Lambda init. */
export function buildFloorBundle(): BuiltFloor {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  try {
    bundleLikeTheResponder(FLOOR_ENTRY, outdir);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  return { entry: join(outdir, 'index.mjs'), dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}
