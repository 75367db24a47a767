import { DescribeAccountCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { isAwsError } from '@cryptominer-defense/core/cold-start';

/** Whether an account may be acted on: only ACTIVE members of the organization. */
export type MembershipAnswer = { readonly member: true } | { readonly member: false; readonly reason: string };

export interface OrganizationMembershipOptions {
  /** How long an answer is reused; default 60 s (an account can leave the organization). */
  readonly ttlMs?: number;
  readonly now?: () => Date;
}

/**
 * Checks membership with Organizations DescribeAccount from the central account, caching answers briefly.
 * Reads the account's `State` (the newer field) and falls back to `Status`. Other errors (AccessDenied,
 * throttling after retries) are thrown: the caller fails closed and touches nothing.
 */
export function createOrganizationMembership(
  organizations: OrganizationsClient,
  options: OrganizationMembershipOptions = {},
): (accountId: string) => Promise<MembershipAnswer> {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, { readonly answer: MembershipAnswer; readonly expires: number }>();

  async function ask(accountId: string): Promise<MembershipAnswer> {
    try {
      const { Account: account } = await organizations.send(new DescribeAccountCommand({ AccountId: accountId }));
      const state = account?.State ?? account?.Status;
      if (state === 'ACTIVE') return { member: true };
      return {
        member: false,
        reason: `Account ${accountId} is in the organization but ${state ?? 'in an unknown state'}, not ACTIVE: nothing was changed.`,
      };
    } catch (error) {
      if (isAwsError(error, 'AccountNotFoundException')) {
        return {
          member: false,
          reason: `Account ${accountId} is not a member of the organization: nothing was changed.`,
        };
      }
      throw error;
    }
  }

  return async (accountId) => {
    const cached = cache.get(accountId);
    if (cached !== undefined && cached.expires > now().getTime()) return cached.answer;
    const answer = await ask(accountId);
    cache.set(accountId, { answer, expires: now().getTime() + ttlMs });
    return answer;
  };
}
