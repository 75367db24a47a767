import { inject } from 'vitest';
import { HarnessSetupError } from '../errors';
import './providedContext';

/** The endpoint of the moto server started by the project's globalSetup (use inside test files only). */
export function emulatorEndpoint(): string {
  const endpoint = inject('emulatorEndpoint');
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new HarnessSetupError(
      "No emulator endpoint was provided: wrap the test options of this package's vitest.config.ts in " +
        "withEmulator(...) from '@cryptominer-defense/testing/vitest-config'.",
    );
  }
  return endpoint;
}
