import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { IncidentReport } from '@cryptominer-defense/core';

/** The alert's text: what happened, what worked, and whether a person must act. */
export function incidentAlertMessage(report: IncidentReport, location: string): string {
  const { response } = report;
  const flags = Object.entries(response)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return [
    `${report.guarddutyFindingType} on ${report.instanceId ?? report.resourceType} in ${report.accountId}/${report.region} (finding ${report.findingId}): ${report.disposition}.`,
    `Actor: ${report.actor.type} ${report.actor.arn ?? ''}`.trim(),
    flags,
    ...(response.manualInterventionRequired
      ? ['A person must act:', ...report.manualInterventionReasons.map((reason) => `- ${reason}`)]
      : []),
    `Report: ${location}`,
  ].join('\n');
}

/** Publishes a short summary of the report to the alert topic. */
export async function publishIncidentAlert(
  sns: SNSClient,
  topicArn: string,
  report: IncidentReport,
  location: string,
): Promise<void> {
  const subject = `Cryptominer response: ${report.accountId} ${report.instanceId ?? report.resourceType}${
    report.response.manualInterventionRequired ? ' (action needed)' : ''
  }`;
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subject.slice(0, 100),
      Message: incidentAlertMessage(report, location),
    }),
  );
}
