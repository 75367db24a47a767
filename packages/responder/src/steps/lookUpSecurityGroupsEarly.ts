import type { EC2Client, SecurityGroup } from '@aws-sdk/client-ec2';
import type { ReadsInFlight } from '../recentAnswers';
import { groupCacheKey, type SecurityGroupCache } from '../securityGroupCache';
import { describeCandidateGroups } from './findOrCreateSecurityGroup';

/** Look-ups of groups by VPC and name (every candidate name of it, findOrCreateSecurityGroup.ts), started before the instance was read; each is handed out once. */
export interface SecurityGroupLookups {
  take(vpcId: string, groupName: string): Promise<readonly SecurityGroup[]> | undefined;
  /** Settles once every look-up started has answered (taken or not). */
  settled(): Promise<void>;
}

export const NO_LOOKUPS: SecurityGroupLookups = { take: () => undefined, settled: async () => undefined };

/**
 * Starts, for the VPCs the finding names, the look-up of each group the cache does not know: run while
 * DescribeInstances is on the wire, it takes a round trip off the first finding of a VPC. Reads only; a VPC
 * the finding named wrongly costs one unused read, and a failed read is simply done again when needed.
 */
export function lookUpSecurityGroupsEarly(
  ec2: EC2Client,
  vpcIds: readonly string[],
  options: {
    readonly groupNames: readonly string[];
    readonly cache: SecurityGroupCache;
    readonly scope: string;
    /** Shared with the container's concurrent responses while on the wire: a burst in one VPC asks once. */
    readonly shared?: ReadsInFlight;
  },
): SecurityGroupLookups {
  const started = new Map<string, Promise<readonly SecurityGroup[]>>();
  for (const vpcId of vpcIds) {
    for (const groupName of options.groupNames) {
      if (options.cache.knows(groupCacheKey(options.scope, vpcId, groupName))) continue;
      const describe = () => describeCandidateGroups(ec2, vpcId, groupName);
      const { shared } = options;
      const key = `securityGroups/${groupCacheKey(options.scope, vpcId, groupName)}`;
      const lookup = shared === undefined ? describe() : shared(key, describe);
      lookup.catch(() => undefined);
      started.set(`${vpcId}/${groupName}`, lookup);
    }
  }
  const all = Promise.allSettled([...started.values()]).then(() => undefined);
  return {
    settled: () => all,
    take(vpcId, groupName) {
      const key = `${vpcId}/${groupName}`;
      const lookup = started.get(key);
      started.delete(key);
      return lookup;
    },
  };
}
