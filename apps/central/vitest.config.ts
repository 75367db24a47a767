import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'central',
    include: ['tests/**/*.test.ts'],
  },
});
