import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOURCE = fileURLToPath(new URL('../src/', import.meta.url));

describe('zod, as core imports it', () => {
  it('is imported as a namespace (import * as z), never as the z object, which bundles all of zod (~360 KB)', () => {
    // Prepare: esbuild can drop what a namespace import leaves unused; `import { z }` hands it zod's whole
    // namespace object (every locale included), which it must keep.
    const files = readdirSync(SOURCE, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));

    // Act
    const importingZ = files.filter((name) =>
      /import\s*\{[^}]*\bz\b[^}]*\}\s*from\s*'zod'/.test(readFileSync(join(SOURCE, name), 'utf8')),
    );

    // Assess
    expect(files.length).toBeGreaterThan(0);
    expect(importingZ).toEqual([]);
  });
});
