#!/usr/bin/env node
// The operator command line as a command of the workspace (`npx -y pnpm@12.4.2 exec cli <command>`): unlike a
// package script run through `pnpm run`, a failing command's exit code reaches the shell without pnpm's
// `ELIFECYCLE` line after it. The TypeScript source runs through tsx's loader; there is no build step.
import { register } from 'tsx/esm/api';

register();
const { runAsCommand } = await import('../src/main.ts');
runAsCommand();
