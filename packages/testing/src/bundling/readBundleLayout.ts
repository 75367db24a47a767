import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/** The files of a bundled function, as shipped (one folder: an ESM entry, the chunks it loads, source maps). */
export interface BundleLayout {
  readonly folder: string;
  /** The entry's file name, e.g. `index.mjs`. */
  readonly entry: string;
  /** Every shipped code file (`.mjs`), entry first. */
  readonly code: readonly string[];
  /** The entry and the files it imports statically, transitively: what loading the entry loads and compiles. */
  readonly eager: readonly string[];
  /** Code files loaded only by an `import()` when it runs (possibly never). */
  readonly lazy: readonly string[];
  /** The `.map` files. */
  readonly sourceMaps: readonly string[];
  bytes(files: readonly string[]): number;
  text(files: readonly string[]): string;
}

/**
 * Reads a bundle folder and sorts its code into what the entry loads at once and what only a dynamic import()
 * loads. esbuild reads the files (so the minified code is parsed, not pattern-matched) and reports each import
 * with its kind; the static ones are followed from the entry.
 */
export function readBundleLayout(folder: string, entry = 'index.mjs'): BundleLayout {
  const names = readdirSync(folder).sort();
  const code = [entry, ...names.filter((name) => name.endsWith('.mjs') && name !== entry)];
  const { metafile } = buildSync({
    absWorkingDir: folder,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    // What the bundle leaves to the runtime (bundleResponder.ts's external packages) is not in the folder.
    packages: 'external',
    logLevel: 'silent',
  });
  const eager = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (eager.has(file)) continue;
    eager.add(file);
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && imported.external !== true) pending.push(imported.path);
    }
  }
  return {
    folder,
    entry,
    code,
    eager: code.filter((name) => eager.has(name)),
    lazy: code.filter((name) => !eager.has(name)),
    sourceMaps: names.filter((name) => name.endsWith('.map')),
    bytes: (files) => files.reduce((sum, name) => sum + statSync(join(folder, name)).size, 0),
    text: (files) => files.map((name) => readFileSync(join(folder, name), 'utf8')).join('\n'),
  };
}
