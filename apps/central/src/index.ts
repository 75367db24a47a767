export { type AppSettings, readAppSettings } from './appSettings';
export { buildCentralApp, type CentralAppStacks } from './buildCentralApp';
export { bundleLocally as bundleLikeTheResponder } from './bundling/responderCode';
export { CentralStack, type CentralStackProps } from './CentralStack';
export { type CentralActionScope, centralActionScopes } from './centralActionScopes';
export {
  DEFAULT_EVIDENCE_BREAK_GLASS_ROLE_NAME,
  DEFAULT_OBJECT_LOCK_RETENTION_DAYS,
  DEFAULT_RELEASE_OPERATOR_ROLE_NAME,
} from './centralParameters';
export { FORWARDER_ROLE_NAME_PREFIX } from './constructs/FindingForwardingBus';
export { INCIDENT_DATABASE_NAME, INCIDENT_WORKGROUP_NAME } from './constructs/IncidentQueries';
export { EVIDENCE_PROTECTING_ACTIONS } from './constructs/IncidentReportBucket';
export {
  CENTRAL_OUTPUT_NAMES,
  CENTRAL_PARAMETER_NAMES,
  FINDING_FORWARDING_BUS_NAME,
  FORWARDING_RULE_NAME,
  MEMBER_ROLE_STACK_SET_NAME,
  STACK_NAMES,
} from './deploymentNames';
export { AppSettingsError, CentralAppError, UnscopedCentralActionError } from './errors';
export { ForwarderStack, type ForwarderStackProps } from './ForwarderStack';
export { CENTRAL_INFRASTRUCTURE_ACTIONS } from './infrastructureActions';
export { INCIDENT_COLUMNS } from './queries/incidentColumns';
export { NAMED_QUERIES } from './queries/namedQueries';
export {
  type AlarmedMetric,
  RESPONDER_ALARMED_METRICS,
  UNDELIVERED_FINDINGS_METRIC,
} from './responderAlarmMetrics';
export { type SynthesizeTemplatesOptions, synthesizeTemplates, type Template } from './synthesizeTemplates';
