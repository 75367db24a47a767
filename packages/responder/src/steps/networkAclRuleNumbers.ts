import type { NetworkAclEntry } from '@aws-sdk/client-ec2';
import { stablePosition } from '@cryptominer-defense/core';

/** The rule number of the default `*` entry of every network ACL, in both directions: it denies all. */
export const DEFAULT_RULE_NUMBER = 32767;

/** One deny entry the hard cut wants in a network ACL: an address of an ENI, in one direction. */
export interface WantedDeny {
  readonly networkInterfaceId: string;
  /** An IPv4 /32 or an IPv6 /128. */
  readonly cidrBlock: string;
  readonly egress: boolean;
}

export const isIpv6 = (cidrBlock: string) => cidrBlock.includes(':');

const cidrOf = (entry: NetworkAclEntry) => (entry.Ipv6CidrBlock ?? entry.CidrBlock ?? '').toLowerCase();

const inDirection = (entries: readonly NetworkAclEntry[], egress: boolean) =>
  entries.filter((entry) => (entry.Egress ?? false) === egress && entry.RuleNumber !== undefined);

/** The lowest rule number of an allow entry in that direction; the default entry's when there is none. */
export function lowestAllow(entries: readonly NetworkAclEntry[], egress: boolean): number {
  const allows = inDirection(entries, egress).filter((entry) => entry.RuleAction === 'allow');
  return Math.min(DEFAULT_RULE_NUMBER, ...allows.map((entry) => entry.RuleNumber ?? DEFAULT_RULE_NUMBER));
}

/**
 * The entry that denies this address already, for all traffic, in that direction, before any allow: the cut is
 * there (an earlier delivery, or a person). A deny after an allow does not count, it cuts nothing.
 */
export function existingDeny(entries: readonly NetworkAclEntry[], wanted: WantedDeny): NetworkAclEntry | null {
  const before = lowestAllow(entries, wanted.egress);
  return (
    inDirection(entries, wanted.egress).find(
      (entry) =>
        entry.RuleAction === 'deny' &&
        entry.Protocol === '-1' &&
        (entry.RuleNumber ?? DEFAULT_RULE_NUMBER) < before &&
        cidrOf(entry) === wanted.cidrBlock.toLowerCase(),
    ) ?? null
  );
}

/**
 * Up to `count` free rule numbers in that direction below its lowest allow, the highest first (entries a person
 * keeps at the top stay first); fewer when there are not that many. Other entries are never moved.
 */
export function freeRuleNumbersBelowAllows(
  entries: readonly NetworkAclEntry[],
  egress: boolean,
  count: number,
): readonly number[] {
  const taken = new Set(inDirection(entries, egress).map((entry) => entry.RuleNumber));
  const free: number[] = [];
  for (let number = lowestAllow(entries, egress) - 1; number >= 1 && free.length < count; number -= 1) {
    if (!taken.has(number)) free.push(number);
  }
  return free;
}

/** How many of the highest free numbers the entries of concurrent responses are spread over. */
export const SPREAD_WINDOW = 64;

/**
 * A free rule number below the lowest allow for each address, in order (undefined when none is left). Responses
 * that run at once in one subnet (a miner fleet) read the same ACL: taking the highest free numbers, they would all
 * ask for the same one and all but one would clash. Each address starts instead at its own place among the
 * highest {@link SPREAD_WINDOW} free numbers (from the address and the attempt), and takes the next one not given.
 */
export function spreadRuleNumbers(
  entries: readonly NetworkAclEntry[],
  egress: boolean,
  cidrBlocks: readonly string[],
  attempt: number,
): readonly (number | undefined)[] {
  const window = freeRuleNumbersBelowAllows(entries, egress, Math.max(SPREAD_WINDOW, cidrBlocks.length));
  const given = new Set<number>();
  return cidrBlocks.map((cidrBlock) => {
    if (given.size === window.length) return undefined;
    let index = stablePosition(`${cidrBlock}#${attempt}`, window.length);
    while (given.has(window[index] ?? -1)) index = (index + 1) % window.length;
    const number = window[index];
    if (number !== undefined) given.add(number);
    return number;
  });
}
