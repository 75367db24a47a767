export { applyRelease, type ReleaseStepRecord } from './applyRelease';
export {
  type FindReportOptions,
  type FoundReport,
  findIncidentReport,
  INCIDENT_REPORT_PREFIX,
  listIncidentReportObjects,
  looksLikeReportKey,
  mapWithConcurrency,
  readIncidentReport,
  type StoredReportObject,
} from './incidentReportStore';
export { planRelease, type ReleaseClients } from './planRelease';
export { NotAnIncidentReportError, ReleaseError } from './releaseErrors';
export type { PlannedReleaseStep, ReleaseActionName, ReleaseChange, ReleasePlan } from './releasePlan';
export {
  RELEASE_RECORD_PREFIX,
  type ReleaseRecord,
  releaseRecordKey,
  writeReleaseRecord,
} from './releaseRecord';
