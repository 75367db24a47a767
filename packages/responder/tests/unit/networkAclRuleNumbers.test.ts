import type { NetworkAclEntry } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import {
  existingDeny,
  freeRuleNumbersBelowAllows,
  lowestAllow,
  SPREAD_WINDOW,
  spreadRuleNumbers,
} from '../../src/steps/networkAclRuleNumbers';

const entry = (ruleNumber: number, action: 'allow' | 'deny', egress: boolean, cidr = '0.0.0.0/0'): NetworkAclEntry => ({
  RuleNumber: ruleNumber,
  RuleAction: action,
  Egress: egress,
  Protocol: '-1',
  ...(cidr.includes(':') ? { Ipv6CidrBlock: cidr } : { CidrBlock: cidr }),
});

const ACL = [
  entry(90, 'deny', false, '10.0.0.9/32'),
  entry(99, 'deny', false, '10.0.0.8/32'),
  entry(100, 'allow', false),
  entry(32767, 'deny', false),
  entry(50, 'allow', true),
  entry(32767, 'deny', true),
];

describe('the rule numbers of the network ACL hard cut', () => {
  it('finds the lowest allow of each direction, and the default entry when there is none', () => {
    expect(lowestAllow(ACL, false)).toBe(100);
    expect(lowestAllow(ACL, true)).toBe(50);
    expect(lowestAllow([entry(32767, 'deny', false)], false)).toBe(32767);
  });

  it('takes the highest free numbers below the first allow, skipping taken ones, never more than asked', () => {
    expect(freeRuleNumbersBelowAllows(ACL, false, 3)).toEqual([98, 97, 96]);
    expect(freeRuleNumbersBelowAllows(ACL, true, 2)).toEqual([49, 48]);
  });

  it('returns fewer numbers, or none, when the room below the first allow runs out', () => {
    const crowded = [entry(1, 'deny', false, '10.0.0.1/32'), entry(3, 'allow', false)];
    expect(freeRuleNumbersBelowAllows(crowded, false, 2)).toEqual([2]);
    expect(freeRuleNumbersBelowAllows([entry(1, 'allow', true)], true, 1)).toEqual([]);
  });

  it('counts a deny of the address before the first allow as done, not one after it or in the other direction', () => {
    const late = [...ACL, entry(200, 'deny', false, '10.0.0.7/32')];
    expect(existingDeny(late, { networkInterfaceId: 'eni-1', cidrBlock: '10.0.0.8/32', egress: false })).toMatchObject({
      RuleNumber: 99,
    });
    expect(existingDeny(late, { networkInterfaceId: 'eni-1', cidrBlock: '10.0.0.7/32', egress: false })).toBeNull();
    expect(existingDeny(late, { networkInterfaceId: 'eni-1', cidrBlock: '10.0.0.8/32', egress: true })).toBeNull();
  });

  it('compares IPv6 addresses whatever their case', () => {
    const acl = [entry(10, 'deny', true, '2001:DB8::5/128'), entry(100, 'allow', true)];
    expect(
      existingDeny(acl, { networkInterfaceId: 'eni-1', cidrBlock: '2001:db8::5/128', egress: true }),
    ).not.toBeNull();
  });

  it('spreads the addresses of concurrent responses over the highest free numbers, each its own, stable per address', () => {
    // Prepare: a miner fleet of 20 addresses, each answered by its own response reading the same ACL.
    const fleet = Array.from({ length: 20 }, (_, index) => `10.0.1.${index + 10}/32`);

    // Act
    const apart = fleet.map((cidr) => spreadRuleNumbers(ACL, false, [cidr], 1)[0]);
    const together = spreadRuleNumbers(ACL, false, fleet, 1);
    const again = spreadRuleNumbers(ACL, false, [fleet[0] ?? ''], 1)[0];

    // Assess: apart, most ask for different numbers (the highest-first rule had them all ask for 98); together, all
    // distinct; all free, below the first allow, within the window; the same address asks for the same again.
    expect(new Set(apart).size).toBeGreaterThan(12);
    expect(new Set(together).size).toBe(fleet.length);
    const window = freeRuleNumbersBelowAllows(ACL, false, SPREAD_WINDOW);
    for (const number of [...apart, ...together]) expect(window).toContain(number);
    expect(again).toBe(apart[0]);
  });

  it('gives what is left, then nothing, when the addresses outnumber the free numbers', () => {
    const crowded = [entry(1, 'deny', false, '10.0.0.1/32'), entry(4, 'allow', false)];
    expect([...spreadRuleNumbers(crowded, false, ['10.0.0.2/32', '10.0.0.3/32', '10.0.0.4/32'], 1)].sort()).toEqual([
      2,
      3,
      undefined,
    ]);
  });
});
