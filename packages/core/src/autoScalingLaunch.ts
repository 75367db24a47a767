import * as z from 'zod';
import { type Actor, classifyActor } from './classifyActor';
import type { AttributionLink } from './incidentReport';

/** The CloudTrail events that configure what an Auto Scaling group launches (domain.md §4). */
export const AUTO_SCALING_GROUP_EVENTS = ['CreateAutoScalingGroup', 'UpdateAutoScalingGroup'] as const;
export const LAUNCH_TEMPLATE_EVENTS = ['CreateLaunchTemplate', 'CreateLaunchTemplateVersion'] as const;

const AUTO_SCALING_SERVICE = 'autoscaling.amazonaws.com';
const AUTO_SCALING_ROLE = ':role/aws-service-role/autoscaling.amazonaws.com/';
const GROUP_TAG = 'aws:autoscaling:groupName';

/** True when Auto Scaling's service-linked role made the RunInstances call: the person is behind the group. */
export function isAutoScalingLaunch(actor: Actor): boolean {
  return (
    actor.type === 'AWSService' &&
    (actor.invokedBy === AUTO_SCALING_SERVICE || actor.principalArn?.includes(AUTO_SCALING_ROLE) === true)
  );
}

const tag = z.looseObject({ key: z.string().nullish(), value: z.string().nullish() });
const runInstancesSchema = z.looseObject({
  requestParameters: z
    .looseObject({
      launchTemplate: z.looseObject({ launchTemplateId: z.string().nullish() }).nullish(),
      tagSpecificationSet: z
        .looseObject({ items: z.array(z.looseObject({ tags: z.array(tag).nullish() })).nullish() })
        .nullish(),
    })
    .nullish(),
  responseElements: z
    .looseObject({
      instancesSet: z
        .looseObject({
          items: z
            .array(z.looseObject({ tagSet: z.looseObject({ items: z.array(tag).nullish() }).nullish() }))
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

/** The group and launch template behind an Auto Scaling RunInstances record (either may be missing). */
export function autoScalingLaunchSource(runInstancesRecord: unknown): {
  readonly autoScalingGroupName: string | null;
  readonly launchTemplateId: string | null;
} {
  const parsed = runInstancesSchema.safeParse(runInstancesRecord);
  if (!parsed.success) return { autoScalingGroupName: null, launchTemplateId: null };
  const request = parsed.data.requestParameters;
  const tags = [
    ...(request?.tagSpecificationSet?.items ?? []).flatMap((item) => item.tags ?? []),
    ...(parsed.data.responseElements?.instancesSet?.items ?? []).flatMap((item) => item.tagSet?.items ?? []),
  ];
  return {
    autoScalingGroupName: tags.find((candidate) => candidate.key === GROUP_TAG)?.value ?? null,
    launchTemplateId: request?.launchTemplate?.launchTemplateId ?? null,
  };
}

/** A CloudTrail record found by resource name, with the name it was looked up by. */
export interface ConfigurationChange {
  readonly record: unknown;
  readonly resourceName: string;
}

/**
 * The person behind a service's launch: of the changes that configured it (the Auto Scaling group and its launch
 * template; the stack, fleet or spot request), the most recent one made by a person (not by an AWS service).
 * Null when there is none.
 */
export function latestChangeByPerson(
  changes: readonly ConfigurationChange[],
): { readonly actor: Actor; readonly link: AttributionLink } | null {
  const people = changes
    .map((change) => ({ change, actor: classifyActor(change.record), eventName: eventNameOf(change.record) }))
    .filter(({ actor }) => actor.type !== 'AWSService' && actor.type !== 'Unknown')
    .sort((left, right) => (right.actor.eventTime ?? '').localeCompare(left.actor.eventTime ?? ''));
  const latest = people[0];
  if (latest === undefined) return null;
  return {
    actor: latest.actor,
    link: {
      eventName: latest.eventName ?? 'Unknown',
      eventId: latest.actor.eventId,
      eventTime: latest.actor.eventTime,
      actorArn: latest.actor.arn,
      resourceName: latest.change.resourceName,
    },
  };
}

function eventNameOf(record: unknown): string | null {
  const parsed = z.looseObject({ eventName: z.string() }).safeParse(record);
  return parsed.success ? parsed.data.eventName : null;
}
