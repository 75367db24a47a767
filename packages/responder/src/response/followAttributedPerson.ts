import {
  followedPrincipalOf,
  type IncidentReport,
  type LinkedInstance,
  planLinkedInstances,
  type ResponseModeDecision,
  type StepRecord,
} from '@cryptominer-defense/core';
import type { Attribution } from './attributeInstance';
import { claimLinkedInstances } from './claimLinkedInstances';
import type { InstanceFinding, MemberAccount, ResponseEngineDependencies } from './responseTypes';

/** What following the person found: the step's records, the instances listed in the report and what each gets. */
export interface FollowedPerson {
  readonly records: readonly StepRecord[];
  /** Absent when nobody was followed (the report then has no `linkedInstances`). */
  readonly linkedInstances?: readonly LinkedInstance[];
}

const NOBODY: FollowedPerson = { records: [] };

/** A linked incident (`<findingId>/linked/<i-…>`) is not followed further: one level only, as for its launcher. */
function isDerived(finding: InstanceFinding): boolean {
  return finding.findingId.includes('/');
}

/**
 * The attributed person's other running instances, in every enabled region: looked up once a person is frozen (or
 * would be, in observe mode), unless protected; planned by the mode and MAX_FOLLOWED_INSTANCES, and those to contain
 * claimed for their linked incidents (claimLinkedInstances.ts: one answer per instance). A later delivery
 * keeps what an earlier one listed (those instances are stopped by now, and no longer running) and adds what it
 * finds; an earlier complete follow is not repeated.
 */
export async function followAttributedPerson(
  reached: MemberAccount,
  { decision }: Pick<Attribution, 'decision'>,
  finding: InstanceFinding,
  mode: ResponseModeDecision,
  previous: { readonly report: IncidentReport | null; readonly completed: ReadonlySet<string> },
  dependencies: ResponseEngineDependencies,
): Promise<FollowedPerson> {
  const earlier = previous.report?.linkedInstances ?? [];
  const kept: FollowedPerson = earlier.length === 0 ? NOBODY : { records: [], linkedInstances: earlier };
  if (previous.completed.has('followActor')) return kept;
  const { configuration } = dependencies;
  const principal = followedPrincipalOf(decision, {
    responderRoleName: configuration.responderRoleName,
    patterns: configuration.protectedPrincipalPatterns,
  });
  if (principal === null || isDerived(finding)) return kept;
  const now = dependencies.now ?? (() => new Date());
  const followed = await reached.steps.followActor({
    principal,
    ec2: reached.clients.ec2,
    clientsIn: (region) => dependencies.clients.memberAccount({ ...finding, region }),
    instanceId: finding.instanceId,
    region: finding.region,
    now,
    ...(dependencies.recentAnswers === undefined ? {} : { recentAnswers: dependencies.recentAnswers }),
  });
  const known = new Set(earlier.map((instance) => instance.instanceId));
  const containedBefore = earlier.filter((instance) => instance.action === 'contain').length;
  const planned = planLinkedInstances(
    followed.running.filter((instance) => !known.has(instance.instanceId)),
    { mode: mode.mode, maximum: Math.max(0, configuration.maxFollowedInstances - containedBefore) },
  );
  const found =
    dependencies.instanceClaims === undefined
      ? { linkedInstances: planned, records: [] }
      : await claimLinkedInstances(dependencies.instanceClaims, planned, finding, now);
  return { records: [...followed.records, ...found.records], linkedInstances: [...earlier, ...found.linkedInstances] };
}
