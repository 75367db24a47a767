import { withEmulator } from '@cryptominer-defense/testing/vitest-config';
import { defineProject } from 'vitest/config';

export default defineProject({
  test: withEmulator({
    name: 'release',
    include: ['tests/**/*.test.ts'],
  }),
});
