// What the responder's Lambda needs before its first calls of a cold start, and nothing more: its modules loaded at
// init import the core from here, not from the package's index, which reaches every module of the core — and the
// bundler (esbuild) then loads at init every module that any chunk uses, the incident report's schemas among them.
// Code loaded on demand (the responder's steps, the alert, Security Hub) imports the index as before.
export { attackSequenceReportReason } from './attackSequenceInstances';
export {
  followedInstanceFindingsOf,
  isLinkedInstanceFindingId,
  linkedInstanceFindingOf,
} from './attribution/linkedInstanceFinding';
export { awsErrorDetails, isAwsError } from './awsErrorDetails';
export { buildIncidentReport, EMPTY_UNDO, NO_EVIDENCE } from './buildIncidentReport';
export { classifyFinding } from './classifyFinding';
export { MAX_CONTAINMENT_CAP, parseConfiguration, parseInvocationSources } from './configuration';
export {
  capReachedReason,
  containmentHour,
  containmentSlotKey,
  containmentSlotsPrefix,
  firstFreeSlot,
  freeSlotsInClaimOrder,
  slotOfKey,
} from './containmentQuotaKeys';
export { InvalidFindingEventError } from './errors';
export {
  deliveryOfKey,
  findingClaimKey,
  findingDeliveriesPrefix,
  findingDeliveryKey,
  findingStateKey,
  isFindingStateId,
} from './findingStateKeys';
export { parseGuardDutyFindingEvent, parseGuardDutyFindingEventJson } from './guardDutyFindingEvent';
export { incidentDeliveryReportKey, incidentReportKey } from './incidentReportKey';
// The types, all of them: erased, they load nothing.
export type * from './index';
export { instanceClaimKey } from './instanceClaimKey';
export { instanceHintsOf, NO_INSTANCE_HINTS } from './instanceHints';
export { mapWithConcurrency } from './mapWithConcurrency';
export { foreignPartitionReason } from './partitions';
export { PAUSE_SWITCH_KEY, parsePauseSwitch, pausedModeDecision } from './pauseSwitch';
export { wouldDoAll } from './registry/stepQueries';
export { attributionComplete, completedSteps, mergeEvidence, mergeSteps, mergeUndo } from './repeatedDelivery';
export {
  FAILED_CONTAINMENT_STEPS_METRIC,
  REJECTED_EVENTS_METRIC,
  RESPONDER_METRICS_NAMESPACE,
} from './responderMetricNames';
export { chooseResponseMode, policyMayAct, policyNeedsOrganizationalUnits } from './responsePolicy';
export {
  alreadyDone,
  failed,
  heldBack,
  isEffective,
  isolationLeftUndone,
  skipped,
  succeeded,
  toStepRecord,
} from './stepOutcome';
