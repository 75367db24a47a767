import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'member-role',
    include: ['tests/**/*.test.ts'],
  },
});
