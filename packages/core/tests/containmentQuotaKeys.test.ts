import { describe, expect, it } from 'vitest';
import {
  CONTAINMENT_QUOTA_PREFIX,
  capReachedReason,
  containmentHour,
  containmentSlotKey,
  containmentSlotsPrefix,
  firstFreeSlot,
  freeSlotsInClaimOrder,
  instancePlaceInSlots,
  slotOfKey,
} from '../src/containmentQuotaKeys';

const ACCOUNT = { kind: 'account', accountId: '111122223333' } as const;
const ORGANIZATION = { kind: 'organization' } as const;

describe('the hour a containment counts in', () => {
  it.each([
    ['2026-12-02T13:00:00.000Z', '2026-12-02T13'],
    ['2026-12-02T13:59:59.999Z', '2026-12-02T13'],
    ['2026-12-02T14:00:00.000Z', '2026-12-02T14'],
    // Another offset is the same instant: the hour is UTC's.
    ['2026-12-03T00:30:00.000+02:00', '2026-12-02T22'],
    ['2026-12-31T23:59:59.999Z', '2026-12-31T23'],
  ])('%s counts in %s', (instant, hour) => {
    // Act / Assess
    expect(containmentHour(new Date(instant))).toBe(hour);
  });
});

describe('the keys of the slots', () => {
  it('keeps an account and the organization apart, under the quota prefix of the responder state', () => {
    // Act
    const account = containmentSlotKey(ACCOUNT, '2026-12-02T13', 3);
    const organization = containmentSlotKey(ORGANIZATION, '2026-12-02T13', 12);

    // Assess
    expect(account).toBe('responder-state/quota/account/111122223333/2026-12-02T13/slot-0003.json');
    expect(organization).toBe('responder-state/quota/organization/2026-12-02T13/slot-0012.json');
    expect(account.startsWith(containmentSlotsPrefix(ACCOUNT, '2026-12-02T13'))).toBe(true);
    expect(containmentSlotsPrefix(ACCOUNT, '2026-12-02T14')).not.toBe(containmentSlotsPrefix(ACCOUNT, '2026-12-02T13'));
    expect(CONTAINMENT_QUOTA_PREFIX).toBe('responder-state/quota/');
  });

  it('reads the slot number back from a listed key, and nothing from a key it did not write', () => {
    // Act / Assess
    expect(slotOfKey(containmentSlotKey(ACCOUNT, '2026-12-02T13', 1000))).toBe(1000);
    expect(slotOfKey(containmentSlotKey(ORGANIZATION, '2026-12-02T13', 7))).toBe(7);
    expect(slotOfKey('responder-state/quota/organization/2026-12-02T13/notes.txt')).toBeNull();
    expect(slotOfKey('responder-state/quota/organization/2026-12-02T13/slot-7.json')).toBeNull();
  });
});

describe('the first free slot', () => {
  it.each([
    [[], 5, 1, 1],
    [[1, 2], 5, 1, 3],
    [[1, 3], 5, 1, 2],
    [[1, 2, 3, 4, 5], 5, 1, null],
    [[1, 2, 3], 3, 1, null],
    [[1, 2], 5, 4, 4],
    [[4, 5], 5, 4, null],
    [[], 1, 2, null],
  ])('taken %j of %i, from %i: %s', (taken, cap, from, expected) => {
    // Act / Assess
    expect(firstFreeSlot(new Set(taken), cap, from)).toBe(expected);
  });
});

describe('the order in which a claim tries the free slots', () => {
  it('tries every free slot once, none taken and none above the cap, from a place of its own', () => {
    // Act
    const order = freeSlotsInClaimOrder(new Set([2, 5]), 8, 'finding-a');

    // Assess
    expect([...order].sort((a, b) => a - b)).toEqual([1, 3, 4, 6, 7, 8]);
    expect(freeSlotsInClaimOrder(new Set([2, 5]), 8, 'finding-a')).toEqual(order);
    expect(freeSlotsInClaimOrder(new Set([1, 2]), 2, 'finding-a')).toEqual([]);
  });

  it('has concurrent claims of a burst ask first for different slots (not all for the first free one)', () => {
    // Prepare: 30 findings of one account at once, a cap of 1000, nothing taken yet.
    const findings = Array.from({ length: 30 }, (_, index) => `0ab1c2d3e4f5a6b7c8d9e0f1a2b3c4d${index}`);

    // Act
    const firstAsked = findings.map((finding) => freeSlotsInClaimOrder(new Set(), 1000, finding)[0]);

    // Assess
    expect(new Set(firstAsked).size).toBeGreaterThan(25);
  });
});

describe('the reason a finding is observed when the cap is reached', () => {
  it('names the cap, the scope and the setting', () => {
    // Act / Assess
    expect(capReachedReason(ACCOUNT, 5)).toBe(
      'cap reached: 5 instances contained in account 111122223333 this hour (CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR)',
    );
    expect(capReachedReason(ORGANIZATION, 50)).toBe(
      'cap reached: 50 instances contained in the organization this hour (CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR)',
    );
  });

  it("gives an instance one place among a scope's slots, whichever finding asks", () => {
    // Prepare
    const instance = { accountId: '111122223333', instanceId: 'i-0123456789abcdef0' };

    // Act
    const places = [8, 8, 1000].map((cap) => instancePlaceInSlots(instance, cap));

    // Assess
    expect(places[0]).toBe(places[1]);
    expect(places[0]).toBeGreaterThanOrEqual(1);
    expect(places[0]).toBeLessThanOrEqual(8);
    expect(instancePlaceInSlots({ ...instance, accountId: '444455556666' }, 1000)).not.toBe(places[2]);
  });
});
