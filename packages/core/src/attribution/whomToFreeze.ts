import type { Actor } from '../classifyActor';
import { matchesArnPattern } from '../protectedPrincipals';
import { describeLaunchOrigin, type LaunchOrigin } from './launchOrigin';

/** What the freeze acts on (issue 15): the person, nobody (and why), or the instance whose credentials were used. */
export type FreezeDecision =
  | { readonly kind: 'freeze'; readonly actor: Actor; readonly reason: string }
  /** The launch used an instance's role credentials: that instance is contained as a linked incident, the role kept. */
  | {
      readonly kind: 'contain-launching-instance';
      readonly instanceId: string;
      readonly actor: Actor;
      readonly reason: string;
    }
  | { readonly kind: 'freeze-nobody'; readonly reason: string };

export const FREEZE_DECISION_KINDS = ['freeze', 'contain-launching-instance', 'freeze-nobody'] as const;

export interface AttributionSettings {
  /** `LAUNCH_AGE_THRESHOLD_HOURS`: a launch this much older than the first sighting is a workload exploited later. */
  readonly launchAgeThresholdHours: number;
  /** `DEPLOYMENT_PRINCIPALS`: ARN patterns of CI/CD identities, never frozen (they deploy everything). */
  readonly deploymentPrincipalPatterns: readonly string[];
}

export interface FreezeDecisionFacts {
  /** Who made the RunInstances call. */
  readonly launcher: Actor;
  readonly origin: LaunchOrigin;
  /** The person found behind the service (stack, fleet, request, group); null when none was looked for or found. */
  readonly requester: Actor | null;
  /** The finding's `resource.instanceDetails.launchTime`; null when unknown. */
  readonly launchTime: string | null;
  /** The finding's `service.eventFirstSeen`: when GuardDuty first saw the mining; null when unknown. */
  readonly firstSeen: string | null;
  /** The instance the finding is about (a launcher's instance session naming it is not another instance). */
  readonly instanceId: string;
  readonly settings: AttributionSettings;
}

const INSTANCE_SESSION = /^arn:[^:]+:sts::\d{12}:assumed-role\/[^/]+\/(i-[0-9a-f]{8,17})$/;
const HOUR = 3_600_000;

function hoursBetween(earlier: string | null, later: string | null): number | null {
  if (earlier === null || later === null) return null;
  const span = Date.parse(later) - Date.parse(earlier);
  return Number.isFinite(span) ? span / HOUR : null;
}

function whoIs(actor: Actor): string {
  return actor.arn ?? actor.principalArn ?? actor.invokedBy ?? 'an unnamed identity';
}

/** The person behind the launch: the requester found, else a direct caller, else a user's own keys through a service. */
function personOf(facts: FreezeDecisionFacts): Actor | null {
  if (facts.requester !== null) return facts.requester;
  if (facts.origin.kind === 'direct') return facts.launcher;
  // Services act with roles; a user's own access key through CloudFormation is still that user's call.
  return facts.launcher.type === 'IAMUser' ? facts.launcher : null;
}

/**
 * Decides whom the response freezes, in this order: nobody when the person is unknown, a service, the root user,
 * a deployment identity, or launched long before the mining began (an old workload exploited later: the attacker's
 * foothold is the instance, its credentials are revoked by containment); the launching instance when the launch
 * used an instance's role session (its siblings share the role); else the person. Pure: the same facts always give
 * the same decision, and the reason is written for a person to read.
 */
export function decideWhomToFreeze(facts: FreezeDecisionFacts): FreezeDecision {
  const person = personOf(facts);
  if (person === null) {
    return {
      kind: 'freeze-nobody',
      reason: `Launched by ${describeLaunchOrigin(facts.origin)} as ${whoIs(facts.launcher)}, and CloudTrail names nobody who asked for it: nobody is frozen (the service's role deploys more than this instance). Find who asked and freeze them.`,
    };
  }
  if (person.type === 'Unknown') {
    return { kind: 'freeze-nobody', reason: 'Who launched the instance is unknown: nobody is frozen.' };
  }
  if (person.type === 'AWSService') {
    return {
      kind: 'freeze-nobody',
      reason: `An AWS service launched the instance (${whoIs(person)}): nobody is frozen.`,
    };
  }
  if (person.type === 'Root') {
    return {
      kind: 'freeze-nobody',
      reason: 'The root user launched the instance: IAM cannot freeze root; a person must secure it.',
    };
  }
  const deployment = facts.settings.deploymentPrincipalPatterns.find(
    (pattern) =>
      (person.principalArn !== null && matchesArnPattern(person.principalArn, pattern)) ||
      (person.arn !== null && matchesArnPattern(person.arn, pattern)),
  );
  if (deployment !== undefined) {
    return {
      kind: 'freeze-nobody',
      reason: `${whoIs(person)} is a deployment identity (DEPLOYMENT_PRINCIPALS ${deployment}): freezing it would stop every deployment in the account, so nobody is frozen. Check the pipeline that used it and rotate its credentials.`,
    };
  }
  const age = hoursBetween(facts.launchTime, facts.firstSeen);
  if (age !== null && age > facts.settings.launchAgeThresholdHours) {
    const days = Math.floor(age / 24);
    return {
      kind: 'freeze-nobody',
      reason: `The instance ran ${days} days (${Math.floor(age)} h) before GuardDuty first saw mining on it, more than LAUNCH_AGE_THRESHOLD_HOURS (${facts.settings.launchAgeThresholdHours} h): ${whoIs(person)} most likely deployed a workload that was exploited later, so nobody is frozen. The attacker's foothold is the instance: it is contained, its own credentials revoked.`,
    };
  }
  const session = person.type === 'AssumedRole' && person.arn !== null ? INSTANCE_SESSION.exec(person.arn) : null;
  const launchingInstance = session?.[1];
  if (launchingInstance !== undefined && launchingInstance !== facts.instanceId) {
    return {
      kind: 'contain-launching-instance',
      instanceId: launchingInstance,
      actor: person,
      reason: `The instance was launched with the role credentials of instance ${launchingInstance} (${person.principalArn ?? whoIs(person)}), which every instance with that profile shares: the role is not frozen; ${launchingInstance} is contained as a linked incident.`,
    };
  }
  return { kind: 'freeze', actor: person, reason: `${whoIs(person)} launched the instance: frozen.` };
}
