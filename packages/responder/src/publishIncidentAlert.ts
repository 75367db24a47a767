import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type IncidentReport, incidentChatNotification } from '@cryptominer-defense/core';

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

/**
 * Publishes the same alert as an Amazon Q Developer in chat applications custom notification to the chat topic:
 * a topic of its own, because the chat service shows only messages in its format, and the plain-text topic's
 * subscribers (mail, queues, ticketing) keep getting exactly what they got (docs/decisions/0022).
 */
export async function publishChatNotification(
  sns: SNSClient,
  topicArn: string,
  report: IncidentReport,
  location: string,
): Promise<void> {
  await sns.send(
    new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(incidentChatNotification(report, location)) }),
  );
}
