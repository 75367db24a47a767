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
export { IsolationGroupNotEmptyError, ReportWriteError, ResponderError } from './errors';
export {
  createFindingLedger,
  type FindingClaim,
  type FindingLedger,
  type FindingLedgerOptions,
  type FindingState,
} from './findingLedger';
export { createOrganizationalUnitLookup } from './organizationalUnits';
export { createOrganizationMembership, type MembershipAnswer } from './organizationMembership';
export * from './release/index';
export { jsonLinesLogger, type ResponderLogger } from './responderLogger';
export { logMetric } from './responderMetrics';
export { type ResponseEngineDependencies, respondToFinding } from './respondToFinding';
export { createSecurityGroupCache, type SecurityGroupCache } from './securityGroupCache';
export { CONNECTION_CUT_GROUP_TAG } from './steps/findOrCreateConnectionCutGroup';
export { ISOLATION_GROUP_TAG } from './steps/findOrCreateIsolationGroup';
export { DENY_ALL_TRUST_POLICY, REVOKE_OLDER_SESSIONS_POLICY_NAME } from './steps/freezeRole';
export { DENY_ALL_POLICY_NAME } from './steps/freezeUser';
export { INCIDENT_TAG_KEY, INCIDENT_TIME_TAG_KEY } from './steps/preserveEvidence';
export { writeIncidentReport } from './writeIncidentReport';
