import { ListParentsCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';

/** OUs nest at most 5 deep below the root (Organizations quotas). */
const MAX_DEPTH = 6;

/**
 * The OUs above an account, nearest first (Organizations ListParents from the central account, walked up to
 * the root), cached for a while: accounts rarely move, and the response policy asks for every finding.
 * Errors are thrown: the caller decides (the policy then cannot rule OU rules out).
 */
export function createOrganizationalUnitLookup(
  organizations: OrganizationsClient,
  options: { readonly ttlMs?: number; readonly now?: () => number } = {},
): (accountId: string) => Promise<readonly string[]> {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { readonly ous: readonly string[]; readonly expires: number }>();

  async function walk(accountId: string): Promise<string[]> {
    const ous: string[] = [];
    let child = accountId;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const answer = await organizations.send(new ListParentsCommand({ ChildId: child }));
      const parent = answer.Parents?.[0];
      if (parent?.Id === undefined || parent.Type !== 'ORGANIZATIONAL_UNIT') break;
      ous.push(parent.Id);
      child = parent.Id;
    }
    return ous;
  }

  return async (accountId) => {
    const cached = cache.get(accountId);
    if (cached !== undefined && cached.expires > now()) return cached.ous;
    const ous = await walk(accountId);
    cache.set(accountId, { ous, expires: now() + ttlMs });
    return ous;
  };
}
