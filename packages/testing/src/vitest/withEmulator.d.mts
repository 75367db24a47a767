import type { ProjectConfig } from 'vitest/node';

/**
 * Wires the emulator into a vitest project: a moto server per project (globalSetup, endpoint provided as
 * `emulatorEndpoint`), a reset before each test file, and files run one after another.
 */
export declare function withEmulator(test: ProjectConfig): ProjectConfig;
