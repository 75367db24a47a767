export type { ApprovalPending, PendingStep } from './approvalPending';
export {
  APPROVAL_RECORD_PREFIX,
  approvalDecisionKey,
  approvalOutcomeKey,
  approvalRecordsPrefixOf,
} from './approvalRecordKey';
export {
  ATTACK_SEQUENCE_INSTANCE_GROUP_TYPE,
  type AttackSequenceClassification,
  attackSequenceReportReason,
  classifyAttackSequence,
  cryptoMiningSignalsOf,
  DEFAULT_MAX_INSTANCES_PER_SEQUENCE,
  type DerivedInstanceFinding,
  derivedInstanceFindingId,
  type InstanceLeftForPerson,
} from './attackSequenceInstances';
export {
  DEFAULT_MAX_FOLLOWED_INSTANCES,
  FOLLOWED_LAUNCH_EVENTS,
  type FollowedInstance,
  type FollowedPrincipal,
  followedPrincipalOf,
  LINKED_INSTANCE_ACTIONS,
  type LinkedInstance,
  type LinkedInstanceAction,
  launchedFleetIds,
  launchedInstanceIds,
  maximumReachedReason,
  planLinkedInstances,
} from './attribution/followActor';
export {
  CLOUDFORMATION_STACK_TAG,
  describeLaunchOrigin,
  EC2_FLEET_TAG,
  type LaunchOrigin,
  type LaunchOriginFacts,
  launchOriginOf,
  SPOT_FLEET_TAG,
} from './attribution/launchOrigin';
export { type LaunchRequestSearch, launchRequestSearchOf, stackNameOf } from './attribution/launchRequests';
export {
  followedInstanceFindingsOf,
  isLinkedInstanceFindingId,
  linkedInstanceFindingId,
  linkedInstanceFindingOf,
} from './attribution/linkedInstanceFinding';
export {
  type AttributionSettings,
  decideWhomToFreeze,
  FREEZE_DECISION_KINDS,
  type FreezeDecision,
  type FreezeDecisionFacts,
} from './attribution/whomToFreeze';
export {
  AUTO_SCALING_GROUP_EVENTS,
  autoScalingLaunchSource,
  type ConfigurationChange,
  isAutoScalingLaunch,
  LAUNCH_TEMPLATE_EVENTS,
  latestChangeByPerson,
} from './autoScalingLaunch';
export { type AwsErrorDetails, awsErrorDetails, isAwsError } from './awsErrorDetails';
export {
  buildIncidentReport,
  EMPTY_UNDO,
  FULL_BY_DEFAULT,
  NO_EVIDENCE,
  type ResponseRecord,
} from './buildIncidentReport';
export {
  CHAT_EVENT_TYPE,
  CHAT_LIMITS,
  type ChatNotification,
  chatNotificationSchema,
  chatText,
  incidentChatNotification,
} from './chatNotification';
export { ACTOR_TYPES, type Actor, type ActorType, classifyActor, UNKNOWN_ACTOR } from './classifyActor';
export {
  type ClassifyOptions,
  classifyFinding,
  type FindingClassification,
  type FindingSummary,
  summarizeFinding,
} from './classifyFinding';
export {
  type ContainmentCap,
  DEFAULT_CONNECTION_CUT_SECURITY_GROUP_NAME,
  DEFAULT_CONTAINMENT_CAP,
  DEFAULT_ISOLATION_SECURITY_GROUP_NAME,
  DEFAULT_LAUNCH_AGE_THRESHOLD_HOURS,
  DEFAULT_PAUSE_SWITCH_CACHE_SECONDS,
  DEFAULT_RESPONDER_ROLE_NAME,
  type InvocationSources,
  MAX_CONTAINMENT_CAP,
  parseConfiguration,
  parseInvocationSources,
  type ResponderConfiguration,
} from './configuration';
export {
  CONTAINMENT_QUOTA_PREFIX,
  type ContainmentScope,
  capReachedReason,
  containmentCapVariable,
  containmentHour,
  containmentSlotKey,
  containmentSlotsPrefix,
  firstFreeSlot,
  freeSlotsInClaimOrder,
  slotOfKey,
} from './containmentQuotaKeys';
export { ConfigurationError, ConflictingActionScopeError, CoreError, InvalidFindingEventError } from './errors';
export {
  deliveryOfKey,
  FINDING_STATE_PREFIX,
  findingClaimKey,
  findingDeliveriesPrefix,
  findingDeliveryKey,
  findingSecurityHubRecordKey,
  findingStateKey,
  findingStatePrefix,
  isFindingStateId,
} from './findingStateKeys';
export * from './findingTypes';
export {
  AWS_DENY_ALL_POLICY_NAME,
  DENY_ALL_POLICY_NAME,
  DENY_ALL_TRUST_POLICY,
  denyAllPolicyArn,
  REVOKE_OLDER_SESSIONS_POLICY_NAME,
} from './frozenIdentityPolicies';
export {
  type GuardDutyFinding,
  type GuardDutyFindingEvent,
  guardDutyFindingEventSchema,
  guardDutyFindingSchema,
  parseGuardDutyFindingEvent,
  parseGuardDutyFindingEventJson,
} from './guardDutyFindingEvent';
export {
  type AttributionLink,
  type AutoScalingGroupUndo,
  DELIVERY_OUTCOMES,
  type Delivery,
  type DeliveryOutcome,
  DISPOSITIONS,
  type Disposition,
  type EvidenceUndo,
  INCIDENT_REPORT_SCHEMA_VERSION,
  type IncidentEvidence,
  type IncidentReport,
  type IncidentUndo,
  type InstanceCredentialsUndo,
  type LambdaFunctionUndo,
  type MetadataOptionsUndo,
  type NetworkAclEntryUndo,
  type NetworkInterfaceUndo,
  READABLE_SCHEMA_VERSIONS,
  type RoleUndo,
  type SnapshotEvidence,
  type StopProtectionUndo,
  type UserUndo,
} from './incidentReport';
export { incidentReportJsonSchema } from './incidentReportJsonSchema';
export { INCIDENT_REPORT_PREFIX, incidentDeliveryReportKey, incidentReportKey } from './incidentReportKey';
export { incidentReportSchema } from './incidentReportSchema';
export * from './incidentTags';
export { type ClaimedInstance, INSTANCE_CLAIM_PREFIX, instanceClaimKey } from './instanceClaimKey';
export * from './instanceCredentialDeny';
export { type InstanceHints, instanceHintsOf, NO_INSTANCE_HINTS } from './instanceHints';
export { isSampleFinding } from './isSampleFinding';
export { type LambdaFunctionOfFinding, lambdaFunctionOfFinding } from './lambdaFunctionOfFinding';
export { mapWithConcurrency } from './mapWithConcurrency';
export { type IamPrincipal, parseIamPrincipalArn } from './parseIamPrincipalArn';
export { foreignPartitionReason, partitionOfRegion } from './partitions';
export {
  MalformedPauseSwitchError,
  PAUSE_SWITCH_KEY,
  type PauseSwitch,
  type PauseSwitchReading,
  parsePauseSwitch,
  pausedModeDecision,
  pauseSwitchSchema,
} from './pauseSwitch';
export { decodePolicyDocument, samePolicy } from './policyDocument';
export {
  matchesArnPattern,
  PROTECTED_ROLE_NAME_PREFIXES,
  PROTECTED_ROLE_NAMES,
  type ProtectedPrincipalOptions,
  protectedPrincipalReason,
} from './protectedPrincipals';
export * from './registry/stepQueries';
export { RELEASE_RECORD_PREFIX, releaseRecordKey, releaseRecordsPrefixOf } from './releaseRecordKey';
export {
  actorOfReport,
  attributionComplete,
  completedSteps,
  mergeEvidence,
  mergeSteps,
  mergeUndo,
} from './repeatedDelivery';
export {
  FAILED_CONTAINMENT_STEPS_METRIC,
  REJECTED_EVENTS_METRIC,
  RESPONDER_METRICS_NAMESPACE,
} from './responderMetricNames';
export {
  chooseResponseMode,
  DEFAULT_RESPONSE_POLICY,
  leastIntrusive,
  policyMayAct,
  policyNeedsOrganizationalUnits,
  RESPONSE_MODES,
  type ResponseMode,
  type ResponseModeDecision,
  type ResponseModeFacts,
  type ResponsePolicy,
  type ResponsePolicyRule,
  responsePolicySchema,
} from './responsePolicy';
export * from './responseSteps';
export {
  type GuardDutyFindingReference,
  guardDutyFindingReference,
  guardDutyFindingReferenceOf,
  guardDutyFindingRegion,
} from './securityHub/guardDutyFindingReference';
export {
  defaultProductArn,
  falsePositiveNoteText,
  guardDutyFindingIdentifier,
  type ResponseFindingInput,
  reportFields,
  responseAsffFinding,
  responseNoteText,
  SECURITY_HUB_GENERATOR_ID,
  SECURITY_HUB_NOTE_AUTHOR,
  type SecurityHubFindingIdentifier,
  type SecurityHubHome,
} from './securityHub/securityHubFindings';
export {
  type SimulatedEksFindingOptions,
  type SimulatedFindingEvent,
  type SimulatedInstanceFindingOptions,
  type SimulatedLambdaFindingOptions,
  type SimulatedNetworkInterface,
  simulatedEksFindingEvent,
  simulatedInstanceFindingEvent,
  simulatedLambdaFindingEvent,
} from './simulatedFindingEvent';
export { stablePosition } from './stablePosition';
export {
  ATTEMPTS_WITH_FALLBACK,
  alreadyDone,
  failed,
  fallbackOf,
  heldBack,
  isEffective,
  isNotice,
  isolationLeftUndone,
  NOTICE_ACTIONS,
  type StepRecord,
  type StepResult,
  type StepStatus,
  skipped,
  stepTookEffect,
  succeeded,
  toStepRecord,
} from './stepOutcome';
export { stepRecordSchema } from './stepRecordSchema';
