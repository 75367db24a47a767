// The test harness: the moto emulator's lifecycle and client configuration. The vitest wiring lives in
// '@cryptominer-defense/testing/vitest'.
export {
  type AccountCredentialsOptions,
  clientConfigForAccount,
  credentialsForAccount,
} from './emulator/credentialsForAccount';
export {
  EMULATOR_CREDENTIALS,
  EMULATOR_DEFAULT_ACCOUNT_ID,
  EMULATOR_REGION,
  type EmulatorClientConfig,
  type EmulatorClientConfigOptions,
  type EmulatorCredentials,
  emulatorClientConfig,
} from './emulator/emulatorClientConfig';
export { applyEnvironment, type EmulatorEnvironmentOptions, emulatorEnvironment } from './emulator/emulatorEnvironment';
export { findFreePort } from './emulator/findFreePort';
export { findRepoRoot } from './emulator/findRepoRoot';
export { locateMotoServer, type MotoServerLocation } from './emulator/locateMotoServer';
export { resetEmulator } from './emulator/resetEmulator';
export { type MotoServer, type StartMotoServerOptions, startMotoServer } from './emulator/startMotoServer';
export {
  EmulatorNotInstalledError,
  EmulatorRequestError,
  EmulatorStartError,
  HarnessSetupError,
  PythonMissingError,
  TestingError,
} from './errors';
