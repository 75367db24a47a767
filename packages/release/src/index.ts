// cli release's AWS side, run with the operator's credentials (never the responder role): find the report,
// plan from the account's current state, apply, and record the release beside the report.
export { applyRelease, type ReleaseStepRecord } from './applyRelease';
export {
  type ApprovalDecision,
  ApprovalError,
  type ApprovalOutcome,
  decidedReportKeys,
  describeDecision,
  readApprovalDecision,
  writeApprovalDecision,
  writeApprovalOutcome,
} from './approvals/approvalRecords';
export { withApprovedUndo } from './approvals/approvedUndo';
export { awaitingDecision } from './approvals/awaitingDecision';
export {
  type FalsePositiveClients,
  type FalsePositiveStepRecord,
  releaseFalsePositive,
} from './falsePositive';
export { leftForPerson } from './planning/leftForPerson';
export { planRelease } from './planRelease';
export type { ReleaseClients } from './releaseClients';
export { NotAnIncidentReportError, ReleaseError } from './releaseErrors';
export type { PlannedReleaseStep, ReleaseActionName, ReleaseChange, ReleasePlan } from './releasePlan';
export { type ReleaseRecord, releasedReportKeys, writeReleaseRecord } from './releaseRecord';
export {
  type FindReportOptions,
  type FoundReport,
  findIncidentReport,
  looksLikeReportKey,
} from './reports/findIncidentReport';
export { type LinkedIncident, linkedIncidentReports } from './reports/linkedIncidentReports';
export { listIncidentReportObjects, type StoredReportObject } from './reports/listIncidentReportObjects';
export { readIncidentReport } from './reports/readIncidentReport';
