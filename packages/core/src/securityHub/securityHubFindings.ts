import type { IncidentReport } from '../incidentReport';
import { type GuardDutyFindingReference, guardDutyFindingRegion } from './guardDutyFindingReference';

/** Who the notes name as their author (ASFF `Note.UpdatedBy`). */
export const SECURITY_HUB_NOTE_AUTHOR = 'cryptominer-auto-defense';
/** The imported finding's generator (ASFF `GeneratorId`): automation rules and connectors can match on it. */
export const SECURITY_HUB_GENERATOR_ID = 'cryptominer-auto-defense/response';
/** ASFF caps a note at 512 characters. */
const NOTE_MAX = 512;

/** Where Security Hub is told about an incident: the central function's own account and region. */
export interface SecurityHubHome {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

/** A finding as BatchUpdateFindings and RelatedFindings name it. */
export interface SecurityHubFindingIdentifier {
  readonly Id: string;
  readonly ProductArn: string;
}

/**
 * The GuardDuty finding as Security Hub names it: its id is the finding's ARN; the product is GuardDuty's in the
 * finding's own region (the region in its ARN), which a finding keeps when cross-region aggregation replicates it to
 * the aggregation region: a finding of eu-west-1 updated from us-east-1 is still `…:eu-west-1::product/aws/guardduty`.
 */
export function guardDutyFindingIdentifier(
  reference: GuardDutyFindingReference,
  home: SecurityHubHome,
): SecurityHubFindingIdentifier {
  return {
    Id: reference.arn,
    ProductArn: `arn:${home.partition}:securityhub:${guardDutyFindingRegion(reference)}::product/aws/guardduty`,
  };
}

/** The product a customer imports its own findings under: `product/<account>/default`. */
export function defaultProductArn(home: SecurityHubHome): string {
  return `arn:${home.partition}:securityhub:${home.region}:${home.accountId}:product/${home.accountId}/default`;
}

/** What the response did, in one line: the flags that are true, then what needs a person. */
function whatWasDone(report: IncidentReport): string {
  const done = Object.entries(report.response)
    .filter(([name, value]) => value && name !== 'manualInterventionRequired')
    .map(([name]) => name);
  const summary = done.length === 0 ? 'nothing contained' : done.join(', ');
  return report.response.manualInterventionRequired ? `${summary}; a person must act` : summary;
}

/** The note: mode, disposition, what was done, where the report is. The URI is kept whole; the rest is cut. */
export function responseNoteText(report: IncidentReport, reportUri: string): string {
  const head = `Cryptominer response (${report.responseMode.mode} mode): ${report.disposition}; ${whatWasDone(report)}.`;
  const tail = ` Report: ${reportUri}`;
  return `${head.slice(0, Math.max(0, NOTE_MAX - tail.length))}${tail}`;
}

/** The note release writes when the finding was a false positive. */
export function falsePositiveNoteText(operatorArn: string, reportUri: string): string {
  return `Released as a false positive by ${operatorArn}. Report: ${reportUri}`.slice(0, NOTE_MAX);
}

/** UserDefinedFields of both findings: the report, so a connector or a person can open it. */
export function reportFields(reportBucket: string, reportKey: string): Record<string, string> {
  return { cryptominerReportBucket: reportBucket, cryptominerReportKey: reportKey };
}

/** ASFF severity labels from GuardDuty's 0-10 scale (GuardDuty's own bands: low < 4, medium < 7, high < 9). */
function severityLabel(severity: number): 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' {
  if (severity >= 9) return 'CRITICAL';
  if (severity >= 7) return 'HIGH';
  if (severity >= 4) return 'MEDIUM';
  return 'LOW';
}

export interface ResponseFindingInput {
  readonly report: IncidentReport;
  readonly reference: GuardDutyFindingReference;
  readonly home: SecurityHubHome;
  readonly reportBucket: string;
  readonly reportKey: string;
  readonly now: Date;
}

/**
 * The response as an ASFF finding of its own, imported under the central account's default product (BatchImportFindings
 * is called by the finding's own account, so `AwsAccountId` is the central one; the instance's account is in its
 * resource). One per report: its id is the report's key, so a repeated import updates it rather than adding another.
 */
export function responseAsffFinding(input: ResponseFindingInput): Record<string, unknown> {
  const { report, reference, home, now } = input;
  const reportUri = `s3://${input.reportBucket}/${input.reportKey}`;
  const related = guardDutyFindingIdentifier(reference, home);
  const at = now.toISOString();
  const resource =
    report.instanceId === null
      ? { Type: 'Other', Id: reference.arn, Partition: report.partition, Region: report.region }
      : {
          Type: 'AwsEc2Instance',
          Id: `arn:${report.partition}:ec2:${report.region}:${report.accountId}:instance/${report.instanceId}`,
          Partition: report.partition,
          Region: report.region,
        };
  return {
    SchemaVersion: '2018-10-08',
    Id: `${defaultProductArn(home)}/${input.reportKey}`,
    ProductArn: defaultProductArn(home),
    GeneratorId: SECURITY_HUB_GENERATOR_ID,
    AwsAccountId: home.accountId,
    // ASFF's namespace/category/classifier: the effect the incident is about, as GuardDuty's crypto findings say.
    Types: ['Effects/Resource Consumption/Cryptominer Response'],
    CreatedAt: report.timestamp,
    UpdatedAt: at,
    Severity: { Label: severityLabel(report.severity), Original: String(report.severity) },
    Title: `Cryptominer response: ${report.guarddutyFindingType} on ${report.instanceId ?? report.resourceType} in ${report.accountId}`,
    Description: responseNoteText(report, reportUri),
    Resources: [resource],
    RelatedFindings: [related],
    ProductFields: { 'cryptominer/ReportUri': reportUri, 'cryptominer/Disposition': report.disposition },
    UserDefinedFields: reportFields(input.reportBucket, input.reportKey),
    RecordState: 'ACTIVE',
  };
}
