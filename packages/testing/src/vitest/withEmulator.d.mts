import type { ProjectConfig } from 'vitest/node';

/**
 * Wires the emulator into a vitest project: a moto server per project (globalSetup, endpoint provided as
 * `emulatorEndpoint`), a reset before each test file, files run one after another, and a minute for each test and hook
 * unless the project sets its own.
 */
export declare function withEmulator(test: ProjectConfig): ProjectConfig;
