import { describe, expect, it } from 'vitest';
import {
  chooseResponseMode,
  policyNeedsOrganizationalUnits,
  type ResponseModeFacts,
  type ResponsePolicy,
} from '../src/responsePolicy';

const policy: ResponsePolicy = {
  default: 'full',
  rules: [
    { organizationalUnit: 'ou-ab12-prod0001', mode: 'contain' },
    { organizationalUnit: 'ou-ab12-lab00001', mode: 'observe' },
    { account: '111122223333', mode: 'observe' },
    { tag: { key: 'Environment', value: 'production' }, mode: 'contain' },
    { tag: { key: 'Honeypot' }, mode: 'observe' },
    { tag: { key: 'Sandbox' }, mode: 'full' },
  ],
};

const facts: ResponseModeFacts = {
  sample: false,
  accountId: '444455556666',
  organizationalUnitIds: ['ou-ab12-team0001'],
  instanceTags: {},
};

describe('chooseResponseMode', () => {
  it.each([
    ['nothing matches: the default', {}, 'full', 'policy default: full'],
    [
      'an OU above the account',
      { organizationalUnitIds: ['ou-ab12-team0001', 'ou-ab12-prod0001'] },
      'contain',
      'ou-ab12-prod0001',
    ],
    [
      'the account beats its OU',
      { accountId: '111122223333', organizationalUnitIds: ['ou-ab12-prod0001'] },
      'observe',
      'account 111122223333',
    ],
    [
      'a tag raises the account',
      { accountId: '111122223333', instanceTags: { Sandbox: 'yes' } },
      'full',
      'tag Sandbox',
    ],
    [
      'a tag with its value raises an OU',
      { accountId: '111122223333', instanceTags: { Environment: 'production' } },
      'contain',
      'Environment=production: contain (raised from account 111122223333',
    ],
    [
      'a tag never lowers (the launcher sets the tags: a miner tagged Honeypot)',
      { instanceTags: { Honeypot: '1' } },
      'full',
      'asks for observe, but a tag may only raise',
    ],
    [
      'a tag with its value never lowers the default either',
      { instanceTags: { Environment: 'production' } },
      'full',
      'asks for contain',
    ],
    ['a tag with another value does not match', { instanceTags: { Environment: 'dev' } }, 'full', 'policy default'],
    [
      'two tags above an observe account: the cautious one, if it raises',
      { accountId: '111122223333', instanceTags: { Sandbox: '1', Environment: 'production' } },
      'contain',
      'Environment=production',
    ],
    [
      'OUs unknown: never more than an OU rule could allow',
      { organizationalUnitIds: null },
      'observe',
      'could not be read',
    ],
    ['a sample, whatever the rules say', { sample: true, instanceTags: { Sandbox: '1' } }, 'observe', 'sample'],
  ] as const)('%s', (_case, overrides, mode, because) => {
    // Act
    const decision = chooseResponseMode(policy, { ...facts, ...overrides });

    // Assess
    expect(decision.mode).toBe(mode);
    expect(decision.reason).toContain(because);
  });

  it('is full when there is no policy, observe for samples', () => {
    // Prepare
    const none: ResponsePolicy = { default: 'full', rules: [] };

    // Act / Assess
    expect(chooseResponseMode(none, { ...facts, organizationalUnitIds: null }).mode).toBe('full');
    expect(chooseResponseMode(none, { ...facts, sample: true }).mode).toBe('observe');
  });

  it('needs the OUs only when a rule names one', () => {
    // Act / Assess
    expect(policyNeedsOrganizationalUnits(policy)).toBe(true);
    expect(
      policyNeedsOrganizationalUnits({ default: 'full', rules: [{ account: '111122223333', mode: 'observe' }] }),
    ).toBe(false);
  });
});
