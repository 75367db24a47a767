import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
// The operator's program shares pure code with the function's through core only; the test harness is for tests.
const FORBIDDEN = /^@cryptominer-defense\/(responder|testing)(\/|$)|\/responder\/src\//;

function specifiersOf(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].flatMap((match) =>
    match[1] === undefined ? [] : [match[1]],
  );
}

describe('release', () => {
  it("imports neither the responder nor the test harness in its source (it runs with the operator's credentials)", () => {
    // Prepare
    const files = readdirSync(join(PACKAGE, 'src'), { recursive: true, encoding: 'utf8' }).filter((name) =>
      name.endsWith('.ts'),
    );

    // Act
    const imports = files.flatMap((name) =>
      specifiersOf(readFileSync(join(PACKAGE, 'src', name), 'utf8')).map((specifier) => ({ name, specifier })),
    );

    // Assess: the scan sees release's imports (core at least), none of them the responder's.
    expect(imports.map(({ specifier }) => specifier)).toContain('@cryptominer-defense/core');
    expect(imports.filter(({ specifier }) => FORBIDDEN.test(specifier))).toEqual([]);
  });

  it('lists the responder only as a development dependency (its tests make real reports with it)', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };

    // Assess
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('@cryptominer-defense/responder');
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('@cryptominer-defense/testing');
    expect(Object.keys(manifest.devDependencies ?? {})).toContain('@cryptominer-defense/responder');
  });
});
