import { withEmulator } from '@cryptominer-defense/testing/vitest-config';
import { defineProject } from 'vitest/config';

// The named queries on Trino (tests/trino): a project of its own, run by the root `test:queries` step after the
// other tests, because a Trino JVM competing with them for two shared cores would slow every one of them.
export default defineProject({
  test: withEmulator({
    name: 'central-trino',
    include: ['tests/trino/**/*.test.ts'],
    // Installing (cached), starting Trino cold and writing the reports take minutes on a busy machine.
    testTimeout: 120_000,
    hookTimeout: 600_000,
  }),
});
