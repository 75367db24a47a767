export {
  type ApprovalClients,
  type ApprovedStepsOptions,
  type ApprovedStepsOutcome,
  runApprovedSteps,
} from './approval/runApprovedSteps';
export { responderRoleArn } from './clients/createAssumedRoleCredentials';
export { type ClientFactoryOptions, createClientFactory } from './clients/createClientFactory';
export type {
  CentralAccountClients,
  ClientFactory,
  MemberAccountClients,
  MemberAccountTarget,
  ResponderClient,
} from './clients/responderClients';
export { createLambdaHandler, type LambdaResult } from './createLambdaHandler';
export { createResponder, type FindingHandled, type Responder, type ResponderOptions } from './createResponder';
export { IsolationLeftUndoneError, ReportWriteError, ResponderError } from './errors';
export {
  createFindingLedger,
  type FindingClaim,
  type FindingLedger,
  type FindingLedgerOptions,
  type FindingState,
} from './findingLedger';
export { createOrganizationalUnitLookup } from './organizationalUnits';
export { createOrganizationMembership, type MembershipAnswer } from './organizationMembership';
export { cachedPauseSwitch, readPauseSwitch } from './pauseSwitchReader';
export { jsonLinesLogger, type ResponderLogger } from './responderLogger';
export { logMetric } from './responderMetrics';
export { type ResponseEngineDependencies, respondToFinding } from './respondToFinding';
export { createSecurityGroupCache, type SecurityGroupCache } from './securityGroupCache';
export { writeIncidentReport } from './writeIncidentReport';
