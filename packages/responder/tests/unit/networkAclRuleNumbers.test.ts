import type { NetworkAclEntry } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { existingDeny, freeRuleNumbersBelowAllows, lowestAllow } from '../../src/steps/networkAclRuleNumbers';

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
});
