import type { TestProject } from 'vitest/node';
import { startMotoServer } from '../emulator/startMotoServer';
import './providedContext';

/**
 * vitest globalSetup: one moto server per test project, started before the first test file and stopped after
 * the last (the exit handlers of startMotoServer cover interrupted runs).
 */
export default async function emulatorGlobalSetup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startMotoServer();
  project.provide('emulatorEndpoint', server.endpoint);
  return () => server.stop();
}
