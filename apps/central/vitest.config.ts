import { withEmulator } from '@cryptominer-defense/testing/vitest-config';
import { defineProject } from 'vitest/config';

export default defineProject({
  test: withEmulator({
    name: 'central',
    include: ['tests/**/*.test.ts'],
    // The named queries on Trino run in their own project (vitest.trino.config.ts).
    exclude: ['tests/trino/**'],
    // Synthesis and the emulator's first CloudFormation or IAM call are slow on a busy machine; nothing here is timed.
    testTimeout: 60_000,
  }),
});
