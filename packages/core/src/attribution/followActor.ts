import type { Actor } from '../classifyActor';
import { parseIamPrincipalArn } from '../parseIamPrincipalArn';
import { type ProtectedPrincipalOptions, protectedPrincipalReason } from '../protectedPrincipals';
import type { ResponseMode } from '../responsePolicy';
import type { FreezeDecision } from './whomToFreeze';

/** The calls that start instances for their caller; their responses name the instances (issue 15, follow the actor). */
export const FOLLOWED_LAUNCH_EVENTS: readonly string[] = ['RunInstances', 'CreateFleet', 'RequestSpotInstances'];

/**
 * How many instances of the followed person are contained at most unless configured (`MAX_FOLLOWED_INSTANCES`): as
 * many as the blast-radius cap lets one account contain in an hour by default (decision 0019's 10), so one finding's
 * follow can spend at most one account-hour's budget, and a person decides beyond it. Each instance is answered once
 * whatever the number of findings that reach it (its claim, decision 0023).
 */
export const DEFAULT_MAX_FOLLOWED_INSTANCES = 10;

/** How a person's calls are found in CloudTrail's event history: one lookup attribute (LookupEvents takes one). */
export interface FollowedPrincipal {
  readonly attribute: { readonly AttributeKey: 'Username' | 'AccessKeyId'; readonly AttributeValue: string };
  /** Whom the lookups follow, for the report: the user's or the role's ARN. */
  readonly principalArn: string;
}

const INSTANCE_SESSION = /^arn:[^:]+:sts::\d{12}:assumed-role\/[^/]+\/i-[0-9a-f]{8,17}$/;

/**
 * The person to follow across the account's regions, or null: only someone the decision freezes (not a service, a
 * deployment identity, an old launch's engineer, an instance's role session), who is not protected. A user is looked
 * up by user name (every key and the console); a role session by the access key it launched with (the role's name
 * would find every session of the role: other people, other workloads).
 */
export function followedPrincipalOf(
  decision: FreezeDecision,
  protection: ProtectedPrincipalOptions,
): FollowedPrincipal | null {
  if (decision.kind !== 'freeze') return null;
  const actor: Actor = decision.actor;
  const principalArn = actor.principalArn;
  if (principalArn === null || protectedPrincipalReason(principalArn, protection) !== null) return null;
  if (actor.type === 'IAMUser') {
    const user = parseIamPrincipalArn(principalArn);
    return user === null ? null : { attribute: { AttributeKey: 'Username', AttributeValue: user.name }, principalArn };
  }
  if (actor.type !== 'AssumedRole' || actor.accessKeyId === null) return null;
  if (actor.arn !== null && INSTANCE_SESSION.test(actor.arn)) return null;
  return { attribute: { AttributeKey: 'AccessKeyId', AttributeValue: actor.accessKeyId }, principalArn };
}

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/**
 * The instance ids a launch call answered with: RunInstances' `instancesSet.items[].instanceId`, an instant
 * CreateFleet's `fleetInstanceSet…instanceIds`, a fulfilled spot request's `instanceId`. Found at any depth (each
 * call nests them differently), under a key that names an instance, so an AMI or a subnet id is never taken.
 */
export function launchedInstanceIds(record: unknown): string[] {
  const found = new Set<string>();
  // The EC2 query API wraps lists in `item` / `items`: under an instance key they still name instances.
  const visit = (value: unknown, underInstanceKey: boolean, depth: number): void => {
    if (depth > 10) return;
    if (typeof value === 'string') {
      if (underInstanceKey && INSTANCE_ID.test(value)) found.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, underInstanceKey, depth + 1);
    } else if (typeof value === 'object' && value !== null) {
      for (const [name, item] of Object.entries(value)) {
        visit(item, /^instanceIds?$/i.test(name) || (underInstanceKey && /^items?$/.test(name)), depth + 1);
      }
    }
  };
  const response = typeof record === 'object' && record !== null ? (record as Record<string, unknown>) : {};
  visit(response.responseElements, false, 0);
  return [...found];
}

const FLEET_ID = /^fleet-[0-9a-f-]{8,40}$/;

/**
 * The EC2 Fleets a CreateFleet call created (`CreateFleetResponse.fleetId`). A fleet of type `maintain` or `request`
 * answers without instance ids: its instances come later, tagged `aws:ec2:fleet-id` by EC2, and are found by that tag.
 * Empty for any other call.
 */
export function launchedFleetIds(record: unknown): string[] {
  const { eventName, responseElements } = (typeof record === 'object' && record !== null ? record : {}) as {
    eventName?: unknown;
    responseElements?: unknown;
  };
  if (eventName !== 'CreateFleet') return [];
  const found = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 10 || typeof value !== 'object' || value === null) return;
    for (const [name, item] of Object.entries(value)) {
      if (name === 'fleetId' && typeof item === 'string' && FLEET_ID.test(item)) found.add(item);
      else visit(item, depth + 1);
    }
  };
  visit(responseElements, 0);
  return [...found];
}

/** An instance the followed person launched that is still pending or running. */
export interface FollowedInstance {
  readonly instanceId: string;
  readonly region: string;
  /** When it was launched (DescribeInstances' LaunchTime, else the launch call's time); null when unknown. */
  readonly launchedAt: string | null;
  readonly state: string;
  /**
   * The finding whose response holds the instance already (its `cryptominer-defense:incident` tag, set with the
   * evidence); null when none does. Such an instance is answered by that incident, not linked again.
   */
  readonly answeredBy?: string | null | undefined;
}

/** What the response does with a followed instance. */
export const LINKED_INSTANCE_ACTIONS = [
  'contain',
  'listed: observe mode',
  'not contained: maximum reached',
  'answered by its own incident',
] as const;
export type LinkedInstanceAction = (typeof LINKED_INSTANCE_ACTIONS)[number];

export type LinkedInstance = FollowedInstance & { readonly action: LinkedInstanceAction };

/**
 * What is done with each instance found: in observe mode, listed only; otherwise the newest `maximum` are contained
 * (each as a linked incident of its own, in its own mode), the rest listed as not contained. Newest first: a miner
 * launched in the attack is more likely among the recent launches than a months-old workload of the same person.
 */
export function planLinkedInstances(
  found: readonly FollowedInstance[],
  options: { readonly mode: ResponseMode; readonly maximum: number },
): LinkedInstance[] {
  const newestFirst = [...found].sort(
    (a, b) => (b.launchedAt ?? '').localeCompare(a.launchedAt ?? '') || a.instanceId.localeCompare(b.instanceId),
  );
  let toContain = options.maximum;
  return newestFirst.map((instance) => {
    // Another finding's response holds it (a miner fleet of one stolen key, each with a finding of its own): that
    // incident answers it; a second, linked one would only write a second report and take a second cap slot.
    if ((instance.answeredBy ?? null) !== null) return { ...instance, action: 'answered by its own incident' };
    if (options.mode === 'observe') return { ...instance, action: 'listed: observe mode' };
    if (toContain <= 0) return { ...instance, action: 'not contained: maximum reached' };
    toContain -= 1;
    return { ...instance, action: 'contain' };
  });
}

/** The line a person reads for the instances left running because of the maximum; null when there are none. */
export function maximumReachedReason(linked: readonly LinkedInstance[]): string | null {
  const left = linked.filter((instance) => instance.action === 'not contained: maximum reached');
  if (left.length === 0) return null;
  const named = left.map((instance) => `${instance.instanceId} (${instance.region})`).join(', ');
  return `The person who launched the instance has ${left.length} more running instance(s) beyond MAX_FOLLOWED_INSTANCES, not contained: ${named}. Check and contain them.`;
}
