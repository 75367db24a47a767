import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'responder',
    include: ['tests/**/*.test.ts'],
  },
});
