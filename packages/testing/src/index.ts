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
export { type AccountClients, accountClients } from './seed/accountClients';
export { type CreateMemberAccountOptions, createMemberAccount } from './seed/createMemberAccount';
export { EMULATOR_IMAGE_ID } from './seed/emulatorImageId';
export {
  type LaunchAutoScaledInstancesOptions,
  launchAutoScaledInstances,
  type SeededAutoScalingGroup,
} from './seed/launchAutoScaledInstances';
export { type LaunchInstanceOptions, launchInstance, type SeededInstance } from './seed/launchInstance';
export {
  type SeedAccountIdentitiesOptions,
  type SeededAccountIdentities,
  seedAccountIdentities,
} from './seed/seedAccountIdentities';
export {
  type PolicyDocument,
  type SeededIamRole,
  type SeedIamRoleOptions,
  seedIamRole,
  trustAccount,
  trustService,
} from './seed/seedIamRole';
export { type SeededIamUser, type SeedIamUserOptions, seedIamUser } from './seed/seedIamUser';
export {
  DEFAULT_SEED_REGIONS,
  type SeededMemberAccount,
  type SeedMemberAccountOptions,
  seedMemberAccount,
} from './seed/seedMemberAccount';
export { type SeededNetwork, type SeedNetworkOptions, seedNetwork } from './seed/seedNetwork';
export {
  type MemberAccountSpec,
  type OrganizationSpec,
  type SeededOrganization,
  seedOrganization,
} from './seed/seedOrganization';
export { type SeededRegion, seedRegion } from './seed/seedRegion';
