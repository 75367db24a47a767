import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const LIMIT = 300;

/** Every TypeScript file below a `src` folder of the workspace's packages (not node_modules). */
function sourceFiles(folder: string, inSource = false): string[] {
  return readdirSync(folder).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path, inSource || name === 'src');
    return inSource && name.endsWith('.ts') ? [path] : [];
  });
}

describe('the source files', () => {
  it(`are each at most ${LIMIT} lines (small files named after what they hold)`, () => {
    // Prepare
    const files = ['packages', 'stacksets', 'apps'].flatMap((top) => sourceFiles(join(ROOT, top)));

    // Act
    const long = files
      .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > LIMIT);

    // Assess
    expect(files.length).toBeGreaterThan(100);
    expect(long).toEqual([]);
  });
});
