// Test support: the moto emulator's lifecycle and client configuration, the organization seeder, the CloudTrail
// LookupEvents fake and its record builders, GuardDuty event fixtures, the AWS action recorder, the fault proxy.
// The vitest wiring lives in '@cryptominer-defense/testing/vitest' (test files) and '/vitest-config' (configs).

export { AWS_DENY_ALL_ARN, attachedPolicyArns } from './accountState/attachedPolicyArns';
export { managedPolicyDocument, parsePolicyDocument } from './accountState/managedPolicyDocument';
export { type BundleLayout, readBundleLayout } from './bundling/readBundleLayout';
export type { AccountResolver, SignedCaller } from './cloudtrail/callerIdentity';
export { emulatorAccountResolver, signedCallerOf } from './cloudtrail/callerIdentity';
export type { CloudTrailRecord, CloudTrailUserIdentity } from './cloudtrail/cloudTrailRecord';
export { type LookupEventOnWire, lookupEventOf, lookupUsernameOf } from './cloudtrail/lookupEventOf';
export { type LookupResource, lookupResourcesOf } from './cloudtrail/lookupResourcesOf';
export {
  type AutoScalingGroupRecordOptions,
  createAutoScalingGroupRecord,
  updateAutoScalingGroupRecord,
} from './cloudtrail/records/autoScalingGroupRecords';
export { cloudTrailTime, type RecordContext } from './cloudtrail/records/cloudTrailEnvelope';
export {
  createFleetRecord,
  createStackRecord,
  requestSpotFleetRecord,
  requestSpotInstancesRecord,
  updateStackRecord,
} from './cloudtrail/records/launchRequestRecords';
export {
  createLaunchTemplateRecord,
  createLaunchTemplateVersionRecord,
  type LaunchTemplateRecordOptions,
} from './cloudtrail/records/launchTemplateRecords';
export { type RunInstancesRecordOptions, runInstancesRecord } from './cloudtrail/records/runInstancesRecord';
export {
  type AssumedRoleIdentityOptions,
  assumedRoleIdentity,
  autoScalingServiceIdentity,
  type IamUserIdentityOptions,
  iamUserIdentity,
  rootIdentity,
} from './cloudtrail/records/userIdentities';
export {
  type CloudTrailFake,
  type CloudTrailFakeCall,
  type StartCloudTrailFakeOptions,
  startCloudTrailFake,
} from './cloudtrail/startCloudTrailFake';
export type { ThrottlingMode } from './cloudtrail/throttlePolicy';
export { runEmulatorSmokeScenario, type SmokeCheck } from './demo/runEmulatorSmokeScenario';
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
  TrinoNotInstalledError,
  TrinoQueryError,
  TrinoStartError,
} from './errors';
export * from './faults';
export {
  type AttackSequenceEventOptions,
  guardDutyAttackSequenceEvent,
  type SequenceInstance,
} from './fixtures/guardDutyAttackSequenceEvent';
export {
  type EksFindingOptions,
  type FindingNetworkInterface,
  type GuardDutyFindingEventFixture,
  guardDutyEksFindingEvent,
  guardDutyFindingEvent,
  guardDutyLambdaFindingEvent,
  type InstanceFindingOptions,
} from './fixtures/guardDutyFindingEvent';
export { instanceFindingTargetOf } from './fixtures/instanceFindingTargetOf';
export { loadFixture, loadFixtureObject } from './fixtures/loadFixture';
export { type GuardDutyFake, startGuardDutyFake } from './guardduty/startGuardDutyFake';
export {
  RestJsonApiError,
  type RestJsonFake,
  type RestJsonFakeCall,
  startRestJsonFake,
} from './loopback/startRestJsonFake';
export { ACTIONS_NO_POLICY_GOVERNS, actionsNeedingPermission } from './recording/actionsNoPolicyGoverns';
export { type AuthorizedRequest, authorizedRequestsOf, type RequestSetting } from './recording/authorizedRequestsOf';
export {
  AwsActionRecorder,
  type AwsClientHook,
  type RecordableClient,
  type RecordableMiddlewareStack,
  type RecordedAwsCall,
  type RecordingOptions,
  type RecordingPlugin,
} from './recording/awsActionRecorder';
export { iamActionOf } from './recording/iamActionOf';
export { recordEveryClient, type SendingClientClass } from './recording/recordEveryClient';
export { type SecurityHubFake, startSecurityHubFake, type UpdatedFinding } from './securityhub/startSecurityHubFake';
export { type AccountClients, accountClients } from './seed/accountClients';
export { type CreateMemberAccountOptions, createMemberAccount } from './seed/createMemberAccount';
export { EMULATOR_IMAGE_ID } from './seed/emulatorImageId';
export {
  type LaunchAutoScaledInstancesOptions,
  launchAutoScaledInstances,
  type SeededAutoScalingGroup,
} from './seed/launchAutoScaledInstances';
export { type LaunchInstanceOptions, launchInstance, type SeededInstance } from './seed/launchInstance';
export { launchStackInstance, type StackInstance } from './seed/launchStackInstance';
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
  type SeededInstanceProfile,
  type SeedInstanceProfileOptions,
  seedInstanceProfile,
} from './seed/seedInstanceProfile';
export {
  type SeededLambdaFunction,
  type SeedLambdaFunctionOptions,
  seedLambdaFunction,
} from './seed/seedLambdaFunction';
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
