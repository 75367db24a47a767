import {
  type FindingSummary,
  type PauseSwitchReading,
  policyNeedsOrganizationalUnits,
  type StepRecord,
  succeeded,
} from '@cryptominer-defense/core/cold-start';
import type { MembershipAnswer } from '../organizationMembership';
import { runAction } from '../runAction';
import { startPauseSwitchRead } from './pauseSwitchGuard';
import type { ResponseEngineDependencies } from './responseTypes';

/** A read before anything acts, with its record: the value is null when it failed. */
export type GuardRead<T> = Promise<{ readonly record: StepRecord; readonly value: T | null }>;

/**
 * The reads every response starts at once, before any change: the membership, the pause switch and, when the
 * policy needs them, the OUs.
 */
export interface GuardReads {
  readonly membership: GuardRead<MembershipAnswer>;
  /** Null when the response policy has no OU rule (nothing is read). */
  readonly organizationalUnits: GuardRead<readonly string[]> | null;
  /** Null when the engine was given no switch (pauseSwitchGuard.ts decides what it forces). */
  readonly pauseSwitch: GuardRead<PauseSwitchReading> | null;
}

export function startGuardReads(
  dependencies: ResponseEngineDependencies,
  finding: FindingSummary,
  now: () => Date,
): GuardReads {
  const { organizationalUnitsOf } = dependencies;
  const organizationalUnits =
    policyNeedsOrganizationalUnits(dependencies.configuration.responsePolicy) && organizationalUnitsOf !== undefined
      ? runAction<readonly string[] | null>(
          { step: 'resolveOrganizationalUnits', target: finding.accountId },
          async () => ({ result: succeeded, value: await organizationalUnitsOf(finding.accountId) }),
          null,
          now,
        )
      : null;
  const membership = runAction<MembershipAnswer | null>(
    { step: 'verifyOrganizationMembership', target: finding.accountId },
    async () => ({ result: succeeded, value: await dependencies.isOrganizationMember(finding.accountId) }),
    null,
    now,
  );
  return { membership, organizationalUnits, pauseSwitch: startPauseSwitchRead(dependencies, now) };
}

/** Why the finding is refused (nothing changes in the account), or null when the account is an ACTIVE member. */
export function refusalReason(membership: MembershipAnswer | null, accountId: string): string | null {
  if (membership === null) {
    return `Could not verify that account ${accountId} is an ACTIVE member of the organization: nothing was changed.`;
  }
  return membership.member ? null : membership.reason;
}
