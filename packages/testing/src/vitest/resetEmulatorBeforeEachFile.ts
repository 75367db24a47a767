import { beforeAll } from 'vitest';
import { resetEmulator } from '../emulator/resetEmulator';
import { emulatorEndpoint } from './emulatorEndpoint';

// A vitest setup file: runs before every test file, so each file starts from an empty emulator.
beforeAll(async () => {
  await resetEmulator(emulatorEndpoint());
});
