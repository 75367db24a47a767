import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const AWS_SDK = /^(@aws-sdk\/|@smithy\/|aws-sdk(\/|$))/;

/** Every module specifier a TypeScript file names in an import, an export … from, or a dynamic import(). */
function specifiersOf(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) {
    if (match[1] !== undefined) found.push(match[1]);
  }
  return found;
}

describe('core', () => {
  it('imports no AWS SDK module in any source file (biome noRestrictedImports says the same while editing)', () => {
    // Prepare
    const files = readdirSync(join(PACKAGE, 'src'), { recursive: true, encoding: 'utf8' }).filter((name) =>
      name.endsWith('.ts'),
    );

    // Act
    const imports = files.flatMap((name) =>
      specifiersOf(readFileSync(join(PACKAGE, 'src', name), 'utf8')).map((specifier) => `${name}: ${specifier}`),
    );

    // Assess: the scan sees core's imports (zod at least), and none of them is the SDK.
    expect(imports.some((line) => line.endsWith(': zod'))).toBe(true);
    expect(imports.filter((line) => AWS_SDK.test(line.split(': ')[1] ?? ''))).toEqual([]);
  });

  it('declares no AWS SDK package among its dependencies', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as Record<string, unknown>;

    // Act
    const declared = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
      Object.keys((manifest[field] as Record<string, string> | undefined) ?? {}),
    );

    // Assess
    expect(declared).toContain('zod');
    expect(declared.filter((name) => AWS_SDK.test(name))).toEqual([]);
  });
});
