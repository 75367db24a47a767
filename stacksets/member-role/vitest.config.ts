import { withEmulator } from '@cryptominer-defense/testing/vitest-config';
import { defineProject } from 'vitest/config';

export default defineProject({
  test: withEmulator({
    name: 'member-role',
    include: ['tests/**/*.test.ts'],
    // Synthesis and the emulator's first CloudFormation or IAM call are slow on a busy machine; nothing here is timed.
    testTimeout: 60_000,
  }),
});
