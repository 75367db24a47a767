import type { LinkedInstance } from '@cryptominer-defense/core';
import { describe, expect, it } from 'vitest';
import { claimLinkedInstances } from '../../src/response/claimLinkedInstances';
import type { InstanceClaim, InstanceClaims } from '../../src/state/instanceClaims';

const FINDING = { findingId: 'f0123456789abcdef0123456789abcde', accountId: '111122223333' };

function instance(index: number, action: LinkedInstance['action']): LinkedInstance {
  return {
    instanceId: `i-${String(index).padStart(17, '0')}`,
    region: 'eu-west-1',
    launchedAt: null,
    state: 'running',
    action,
  };
}

/** Claims as the bucket would answer them: the instances in `heldByOthers` are another finding's already. */
function claimsWith(heldByOthers: ReadonlySet<string>): InstanceClaims & { readonly asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async claim(target, findingId): Promise<InstanceClaim> {
      asked.push(target.instanceId);
      const key = `responder-state/instances/${target.accountId}/${target.region}/${target.instanceId}.json`;
      if (!heldByOthers.has(target.instanceId)) return { kind: 'held', key, since: null };
      return {
        kind: 'answered',
        key,
        holder: { ...target, findingId: `other-of-${findingId.length}`, claimedAt: '2026-12-04T10:00:00.000Z' },
      };
    },
  };
}

describe('claimLinkedInstances', () => {
  it('gives the place of an instance another finding holds to the next one the maximum had left out', async () => {
    // Prepare: a maximum of 2 over 4 instances, the first held by another finding's response.
    const planned = [
      instance(1, 'contain'),
      instance(2, 'contain'),
      instance(3, 'not contained: maximum reached'),
      instance(4, 'not contained: maximum reached'),
    ];
    const claims = claimsWith(new Set([planned[0]?.instanceId ?? '']));

    // Act
    const claimed = await claimLinkedInstances(claims, planned, FINDING, () => new Date());

    // Assess
    expect(claimed.linkedInstances.map((linked) => linked.action)).toEqual([
      'answered by its own incident',
      'contain',
      'contain',
      'not contained: maximum reached',
    ]);
    expect(claimed.linkedInstances[0]?.answeredBy).toMatch(/^other-of-/);
    expect(claims.asked).toEqual(planned.slice(0, 3).map((linked) => linked.instanceId));
    expect(claimed.records.map((record) => record.status)).toEqual(['already-done', 'succeeded', 'succeeded']);
  });

  it('claims nothing for instances listed in observe mode or answered by their incident tag', async () => {
    // Prepare
    const planned = [instance(1, 'listed: observe mode'), instance(2, 'answered by its own incident')];
    const claims = claimsWith(new Set());

    // Act
    const claimed = await claimLinkedInstances(claims, planned, FINDING, () => new Date());

    // Assess
    expect(claimed.linkedInstances).toEqual(planned);
    expect(claims.asked).toEqual([]);
  });

  it('keeps an instance to contain when its claim cannot be written (its linked incident claims again)', async () => {
    // Prepare
    const planned = [instance(1, 'contain')];
    const failing: InstanceClaims = {
      claim: async () => {
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      },
    };

    // Act
    const claimed = await claimLinkedInstances(failing, planned, FINDING, () => new Date());

    // Assess
    expect(claimed.linkedInstances.map((linked) => linked.action)).toEqual(['contain']);
    expect(claimed.records).toEqual([expect.objectContaining({ status: 'failed', errorCode: 'AccessDenied' })]);
  });
});
