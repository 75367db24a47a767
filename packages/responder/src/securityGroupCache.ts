/**
 * Security group ids by account, region, VPC and name, kept for a few minutes: a burst of findings in one VPC
 * does not describe (or race to create) the same groups again. An id that turns out to be gone is evicted by
 * the caller and found again.
 */
export interface SecurityGroupCache {
  resolve(key: string, find: () => Promise<string>): Promise<string>;
  /** Whether a fresh entry (found, or being found) is there. */
  knows(key: string): boolean;
  evict(key: string): void;
}

/** The cache key of a group: ids are only valid in their account, region and VPC. */
export function groupCacheKey(scope: string, vpcId: string, groupName: string): string {
  return `${scope}/${vpcId}/${groupName}`;
}

export function createSecurityGroupCache(
  options: { readonly ttlMs?: number; readonly now?: () => number } = {},
): SecurityGroupCache {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { readonly groupId: Promise<string>; readonly expires: number }>();
  return {
    resolve(key, find) {
      const cached = entries.get(key);
      if (cached !== undefined && cached.expires > now()) return cached.groupId;
      const groupId = find();
      entries.set(key, { groupId, expires: now() + ttlMs });
      // A failed look-up is not remembered: the next caller tries again.
      groupId.catch(() => {
        if (entries.get(key)?.groupId === groupId) entries.delete(key);
      });
      return groupId;
    },
    knows(key) {
      const cached = entries.get(key);
      return cached !== undefined && cached.expires > now();
    },
    evict(key) {
      entries.delete(key);
    },
  };
}
