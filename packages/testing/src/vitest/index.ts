// The test-file side of the vitest wiring (vitest.config.ts files use '@cryptominer-defense/testing/vitest-config').
export { emulatorEndpoint } from './emulatorEndpoint';
export { EMULATOR_ENDPOINT_KEY } from './providedContext';
