export { buildIncidentReport, EMPTY_UNDO, type ResponseRecord } from './buildIncidentReport';
export { ACTOR_TYPES, type Actor, type ActorType, classifyActor, UNKNOWN_ACTOR } from './classifyActor';
export { classifyFinding, type FindingClassification, type FindingSummary, summarizeFinding } from './classifyFinding';
export {
  DEFAULT_ISOLATION_SECURITY_GROUP_NAME,
  DEFAULT_RESPONDER_ROLE_NAME,
  parseConfiguration,
  type ResponderConfiguration,
} from './configuration';
export { ConfigurationError, CoreError, InvalidFindingEventError } from './errors';
export * from './findingTypes';
export {
  type GuardDutyFinding,
  type GuardDutyFindingEvent,
  guardDutyFindingEventSchema,
  guardDutyFindingSchema,
  parseGuardDutyFindingEvent,
  parseGuardDutyFindingEventJson,
} from './guardDutyFindingEvent';
export {
  type AutoScalingGroupUndo,
  DISPOSITIONS,
  type Disposition,
  INCIDENT_REPORT_SCHEMA_VERSION,
  type IncidentReport,
  type IncidentUndo,
  incidentReportJsonSchema,
  incidentReportSchema,
  type NetworkInterfaceUndo,
  type RoleUndo,
  type UserUndo,
} from './incidentReport';
export { incidentReportKey } from './incidentReportKey';
export { isSampleFinding } from './isSampleFinding';
export { type IamPrincipal, parseIamPrincipalArn } from './parseIamPrincipalArn';
export { type ProtectedPrincipalOptions, protectedPrincipalReason } from './protectedPrincipals';
export * from './responseSteps';
export {
  alreadyDone,
  failed,
  isEffective,
  type StepRecord,
  type StepResult,
  type StepStatus,
  skipped,
  stepRecordSchema,
  succeeded,
  toStepRecord,
} from './stepOutcome';
