import { describe, expect, it, vi } from 'vitest';
import { startContainmentQuotaOnDemand } from '../../src/response/containmentQuotaOnDemand';
import type { InstanceFinding, ResponseEngineDependencies } from '../../src/response/responseTypes';

// The chunk of the steps loaded on demand cannot be loaded (a damaged deployment): the only way to make an import()
// fail, since the source tree always has the module.
vi.mock('../../src/steps/loadStepsOnDemand', () => ({
  loadStepsOnDemand: () => Promise.reject(new Error('Cannot find module stepsLoadedOnDemand-QX2Z.mjs')),
}));

const FINDING = { findingId: 'f-1', accountId: '111122223333', instanceId: 'i-0123456789abcdef0' } as InstanceFinding;
const DEPENDENCIES = {} as ResponseEngineDependencies;
const FACTS = {
  mayAct: Promise.resolve({ previous: null }),
  accountMode: Promise.resolve({ mode: 'full' as const, reason: 'the policy default' }),
};
const now = () => new Date('2026-12-04T21:00:00Z');

describe('the blast-radius cap loaded on demand, when its import fails', () => {
  it('keeps the response in observe (fail safe) with a failed claimContainmentSlot record naming the error', async () => {
    // Prepare
    const quota = startContainmentQuotaOnDemand(DEPENDENCIES, FINDING, FACTS, now);

    // Act
    const bound = await quota.bound({ mode: 'full', reason: 'the policy default' });

    // Assess
    expect(bound.mode.mode).toBe('observe');
    expect(bound.mode.reason).toContain('the blast-radius cap could not be loaded');
    expect(bound.mode.reason).toContain('the response policy chose full (the policy default)');
    expect(bound.records).toEqual([
      expect.objectContaining({
        step: 'claimContainmentSlot',
        status: 'failed',
        errorCode: 'Error',
        errorMessage: 'Cannot find module stepsLoadedOnDemand-QX2Z.mjs',
      }),
    ]);
  });

  it('changes nothing for an observe response, and its ways out that never ask for the mode end', async () => {
    // Prepare
    const quota = startContainmentQuotaOnDemand(DEPENDENCIES, FINDING, FACTS, now);

    // Act
    const bound = await quota.bound({ mode: 'observe', reason: 'an observe rule' });

    // Assess
    expect(bound).toEqual({ mode: { mode: 'observe', reason: 'an observe rule' }, records: [] });
    await expect(quota.settled()).resolves.toBeUndefined();
  });
});
