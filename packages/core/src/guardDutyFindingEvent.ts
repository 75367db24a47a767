import { InvalidFindingEventError } from './errors';
import { printable } from './printable';
import * as z from './zodMini';

const accountId = z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit AWS account id'));
const regionName = z
  .string()
  .check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region name such as us-east-1'));

const networkInterface = z.looseObject({
  networkInterfaceId: z.optional(z.string()),
  vpcId: z.optional(z.string()),
  securityGroups: z.optional(
    z.array(z.looseObject({ groupId: z.optional(z.string()), groupName: z.optional(z.string()) })),
  ),
});

const instanceDetails = z.looseObject({
  // GuardDuty fills the instance id on every instance finding; absent (or null) means "nothing to isolate".
  instanceId: z.nullish(z.string()),
  networkInterfaces: z.nullish(z.array(networkInterface)),
});

/**
 * The parts of a GuardDuty finding this tool reads (domain.md §1). Unknown fields are kept, so a finding
 * stays intact in logs; only the fields the response depends on are checked.
 */
export const guardDutyFindingSchema = z.looseObject({
  schemaVersion: z.optional(z.string()),
  accountId,
  region: regionName,
  partition: z
    .string()
    .check(z.regex(/^aws(-[a-z]+)*$/, 'expected an AWS partition such as aws, aws-cn or aws-us-gov')),
  id: z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,300}$/, 'expected a GuardDuty finding id')),
  type: z.string().check(z.minLength(1, 'expected a GuardDuty finding type')),
  severity: z.number().check(z.gte(0), z.lte(10)),
  resource: z.looseObject({
    resourceType: z.string().check(z.minLength(1, 'expected a resource type such as Instance')),
    instanceDetails: z.nullish(instanceDetails),
  }),
  service: z.optional(
    z.looseObject({
      count: z.optional(z.number()),
      eventLastSeen: z.optional(z.string()),
      additionalInfo: z.nullish(z.looseObject({})),
    }),
  ),
});

/** The EventBridge envelope the central function receives (one finding per event). */
export const guardDutyFindingEventSchema = z.looseObject({
  version: z.optional(z.string()),
  id: z.optional(z.string()),
  'detail-type': z.literal('GuardDuty Finding'),
  source: z.literal('aws.guardduty'),
  account: z.optional(z.string()),
  time: z.optional(z.string()),
  region: z.optional(z.string()),
  resources: z.optional(z.array(z.unknown())),
  detail: guardDutyFindingSchema,
});

export type GuardDutyFinding = z.infer<typeof guardDutyFindingSchema>;
export type GuardDutyFindingEvent = z.infer<typeof guardDutyFindingEventSchema>;

/** Checks an EventBridge event; throws InvalidFindingEventError naming the first field at fault. */
export function parseGuardDutyFindingEvent(input: unknown): GuardDutyFindingEvent {
  const result = guardDutyFindingEventSchema.safeParse(input);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = issue === undefined || issue.path.length === 0 ? '(event)' : issue.path.map(String).join('.');
  throw new InvalidFindingEventError(field, issue?.message ?? 'not a GuardDuty finding event', {
    cause: result.error,
  });
}

/** The same, from the event's JSON text (the CLI's file, an SQS message body): text that is not JSON is refused too. */
export function parseGuardDutyFindingEventJson(text: string): GuardDutyFindingEvent {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    // The parser's message quotes the input: keep only what is printable.
    const reason = printable(error instanceof Error ? error.message : String(error), 120);
    throw new InvalidFindingEventError('(event)', `not JSON (${reason})`, { cause: error });
  }
  return parseGuardDutyFindingEvent(event);
}
