import * as z from 'zod';
import type { IncidentReport } from './incidentReport';

/**
 * Amazon Q Developer in chat applications (AWS Chatbot) custom notifications: the documented event shape
 * (docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html, "Event schema"): `version` must be "1.0",
 * `source` must be "custom", `textType` may only be "client-markdown"; everything but those two is optional. The
 * lengths are this project's own ceilings (docs/decisions/0022): well under what a chat message shows, and the
 * whole JSON far under SNS's 256 KiB message limit.
 */
export const CHAT_LIMITS = {
  title: 250,
  description: 8_000,
  nextSteps: 5,
  nextStep: 500,
  keywords: 10,
  keyword: 75,
  summary: 250,
  threadId: 250,
  relatedResources: 10,
  additionalContext: 10,
  contextValue: 1_000,
  message: 256 * 1024,
} as const;

const text = (max: number) => z.string().min(1).max(max);

export const chatNotificationSchema = z
  .object({
    version: z.literal('1.0'),
    source: z.literal('custom'),
    id: z.string().optional(),
    content: z.object({
      textType: z.literal('client-markdown').optional(),
      title: text(CHAT_LIMITS.title).optional(),
      description: text(CHAT_LIMITS.description),
      nextSteps: z.array(text(CHAT_LIMITS.nextStep)).max(CHAT_LIMITS.nextSteps).optional(),
      keywords: z.array(text(CHAT_LIMITS.keyword)).max(CHAT_LIMITS.keywords).optional(),
    }),
    metadata: z
      .object({
        threadId: text(CHAT_LIMITS.threadId).optional(),
        summary: text(CHAT_LIMITS.summary).optional(),
        eventType: z.string().min(1).optional(),
        relatedResources: z.array(z.string().min(1)).max(CHAT_LIMITS.relatedResources).optional(),
        additionalContext: z
          .record(z.string(), z.string().max(CHAT_LIMITS.contextValue))
          .refine((context) => Object.keys(context).length <= CHAT_LIMITS.additionalContext)
          .optional(),
      })
      .optional(),
  })
  .refine((notification) => new TextEncoder().encode(JSON.stringify(notification)).length <= CHAT_LIMITS.message, {
    message: `the notification must fit in an SNS message (${CHAT_LIMITS.message} bytes)`,
  });

export type ChatNotification = z.infer<typeof chatNotificationSchema>;

/** The event type chat custom actions and filters can match on. */
export const CHAT_EVENT_TYPE = 'CryptominerIncidentResponse';

/**
 * Report text for client-markdown: `&`, `<` and `>` as entities (in Slack `<!channel>` pings everyone and
 * `<url|text>` is a link), backticks and asterisks dropped (they would end a code span or start bold), one line.
 */
export function chatText(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .replace(/[`*]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

const code = (value: string) => `\`${chatText(value)}\``;

/** The incident as a chat notification: what happened, what worked, what failed, and what a person must do. */
export function incidentChatNotification(report: IncidentReport, location: string): ChatNotification {
  const { response } = report;
  const subject = report.instanceId ?? report.resourceType;
  const needsPerson = response.manualInterventionRequired;
  const failed = report.steps.filter((step) => step.status === 'failed');
  const outcome = [
    ['isolated', response.networkIsolated],
    ['stopped', response.instanceStopped],
    ['Auto Scaling disabled', response.asgDisabled],
    ['actor frozen', response.actorFrozen],
  ]
    .map(([label, done]) => `${done ? ':white_check_mark:' : ':x:'} ${label}`)
    .join('  ');
  const description = [
    `*Account* ${code(report.accountId)} · *Region* ${code(report.region)} · *Instance* ${code(subject)}`,
    `*Finding* ${code(report.findingId)} (${chatText(report.guarddutyFindingType)}, severity ${report.severity})`,
    `*Disposition* ${chatText(report.disposition)} · *Mode* ${chatText(report.responseMode.mode)}`,
    `*Actor* ${chatText(report.actor.type)}${report.actor.arn === null ? '' : ` ${code(report.actor.arn)}`}`,
    outcome,
    ...(failed.length === 0
      ? []
      : [
          `*Failed steps (${failed.length})*`,
          ...failed
            .slice(0, 10)
            .map(
              (step) =>
                `• ${chatText(step.step)}${step.target === undefined ? '' : ` ${code(step.target)}`}: ${code(step.errorCode)}`,
            ),
        ]),
    `*Report* ${code(location)}`,
  ].join('\n');
  return {
    version: '1.0',
    source: 'custom',
    id: cut(`${report.findingId}:${report.timestamp}`, 250),
    content: {
      textType: 'client-markdown',
      title: cut(
        `${needsPerson ? ':rotating_light:' : ':shield:'} Cryptominer response${needsPerson ? ' (a person must act)' : ''}: ${chatText(subject)} in ${report.accountId}`,
        CHAT_LIMITS.title,
      ),
      description: cut(description, CHAT_LIMITS.description),
      nextSteps: [
        ...report.manualInterventionReasons
          .slice(0, CHAT_LIMITS.nextSteps - 1)
          .map((reason) => cut(chatText(reason), CHAT_LIMITS.nextStep)),
        cut(`Read the report: ${code(`cli reports show ${report.findingId} --format html`)}`, CHAT_LIMITS.nextStep),
      ],
      keywords: [report.disposition, report.responseMode.mode, ...(needsPerson ? ['needs-person'] : [])],
    },
    metadata: {
      threadId: cut(report.findingId, CHAT_LIMITS.threadId),
      summary: cut(
        `Cryptominer response to ${report.guarddutyFindingType} on ${subject}: ${report.disposition}`,
        CHAT_LIMITS.summary,
      ),
      eventType: CHAT_EVENT_TYPE,
      relatedResources: [...(report.instanceId === null ? [] : [report.instanceId]), location],
      additionalContext: {
        findingId: cut(report.findingId, CHAT_LIMITS.contextValue),
        accountId: report.accountId,
        region: report.region,
        report: cut(location, CHAT_LIMITS.contextValue),
      },
    },
  };
}
