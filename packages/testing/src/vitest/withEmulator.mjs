// Plain JavaScript on purpose: vitest.config.ts files load this through Node itself, which (on Node 20) cannot
// import TypeScript. Its types are in withEmulator.d.mts.
import { fileURLToPath } from 'node:url';

const globalSetupFile = fileURLToPath(new URL('./emulatorGlobalSetup.ts', import.meta.url));
const resetSetupFile = fileURLToPath(new URL('./resetEmulatorBeforeEachFile.ts', import.meta.url));

const EMULATOR_TIMEOUT_MS = 60_000;

/** @param {string | string[] | undefined} files */
function asList(files) {
  if (files === undefined) return [];
  return Array.isArray(files) ? files : [files];
}

/**
 * Wires the emulator into a vitest project in one line:
 * `defineProject({ test: withEmulator({ name: 'x', include: [...] }) })`.
 * Starts one moto server for the project, resets it before each test file, and runs the files one after
 * another, because a reset in one file would wipe the state another file is using.
 * Emulator-backed tests and their set-up talk to one single-process Python server; when every project runs
 * at once on 2 cores a seeding hook can take well over vitest's 10 s default, so the defaults are a minute
 * (a project's own values win).
 */
export function withEmulator(test) {
  return {
    testTimeout: EMULATOR_TIMEOUT_MS,
    hookTimeout: EMULATOR_TIMEOUT_MS,
    ...test,
    globalSetup: [...asList(test.globalSetup), globalSetupFile],
    setupFiles: [resetSetupFile, ...asList(test.setupFiles)],
    fileParallelism: false,
  };
}
