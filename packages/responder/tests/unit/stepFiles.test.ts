import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MEMBER_ACCOUNT_STEPS } from '@cryptominer-defense/core';
import { describe, expect, it } from 'vitest';

const STEPS_FOLDER = join(import.meta.dirname, '../../src/steps');

describe('the step files', () => {
  it.each(Object.keys(MEMBER_ACCOUNT_STEPS))(
    'implement %s in steps/%s.ts, exported under its registry key',
    async (step) => {
      const file = join(STEPS_FOLDER, `${step}.ts`);
      expect(existsSync(file), `packages/responder/src/steps/${step}.ts`).toBe(true);
      const module: Record<string, unknown> = await import(file);
      expect(typeof module[step], `export ${step} from steps/${step}.ts`).toBe('function');
    },
  );
});
