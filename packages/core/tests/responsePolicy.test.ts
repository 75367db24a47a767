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
    { organizationalUnit: 'ou-ab12-fin00001', mode: 'approval' },
    { account: '777788889999', mode: 'approval' },
    { tag: { key: 'NeedsApproval' }, mode: 'approval' },
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
    [
      'approval by an OU',
      { organizationalUnitIds: ['ou-ab12-fin00001'] },
      'approval',
      'organizational unit ou-ab12-fin00001: approval',
    ],
    ['approval by an account', { accountId: '777788889999' }, 'approval', 'account 777788889999: approval'],
    [
      'a tag raises contain to approval (approval contains as much, then a person decides the rest)',
      { organizationalUnitIds: ['ou-ab12-prod0001'], instanceTags: { NeedsApproval: '1' } },
      'approval',
      'tag NeedsApproval: approval (raised from organizational unit ou-ab12-prod0001',
    ],
    [
      'a tag raises approval to full',
      { accountId: '777788889999', instanceTags: { Sandbox: '1' } },
      'full',
      'tag Sandbox: full (raised from account 777788889999',
    ],
    [
      'a tag never lowers approval to contain',
      { accountId: '777788889999', instanceTags: { Environment: 'production' } },
      'approval',
      'asks for contain, but a tag may only raise',
    ],
    [
      'a tag never lowers full to approval',
      { instanceTags: { NeedsApproval: '1' } },
      'full',
      'asks for approval, but a tag may only raise',
    ],
    [
      'approval and full tags together: the cautious one, approval, raising observe',
      { accountId: '111122223333', instanceTags: { NeedsApproval: '1', Sandbox: '1' } },
      'approval',
      'raised from account 111122223333',
    ],
    [
      'an OU of approval and one of contain above the account: the least intrusive, contain',
      { organizationalUnitIds: ['ou-ab12-fin00001', 'ou-ab12-prod0001'] },
      'contain',
      'ou-ab12-prod0001',
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
