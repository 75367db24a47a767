import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackSequenceReportReason, derivedInstanceFindingId } from '../src/attackSequenceInstances';
import { classifyFinding } from '../src/classifyFinding';
import { findingStateKey, isFindingStateId } from '../src/findingStateKeys';
import { type GuardDutyFinding, parseGuardDutyFindingEvent } from '../src/guardDutyFindingEvent';

const ACCOUNT = '444455556666';
const FINDING_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** The documented shape (packages/testing/fixtures/README.md), with its sequence replaced. */
function sequenceFinding(sequence: Record<string, unknown> | null): GuardDutyFinding {
  const url = new URL(
    '../../testing/fixtures/guardduty/gd_AttackSequence_EC2_CompromisedInstanceGroup_api-reference.json',
    import.meta.url,
  );
  const event = JSON.parse(readFileSync(url, 'utf8')) as { detail: { service: Record<string, unknown> } };
  const service = { ...event.detail.service };
  if (sequence === null) delete service.detection;
  else service.detection = { sequence: { ...(service.detection as { sequence: object }).sequence, ...sequence } };
  return parseGuardDutyFindingEvent({ ...event, detail: { ...event.detail, service } }).detail;
}

const instance = (uid: string, where: Record<string, unknown> = {}) => ({
  uid,
  resourceType: 'EC2_INSTANCE',
  accountId: ACCOUNT,
  region: 'us-east-1',
  ...where,
});
const signal = (type: string, name: string) => ({ uid: `s-${name}`, type, name });
const CRYPTO = signal('FINDING', 'CryptoCurrency:EC2/BitcoinTool.B!DNS');

describe('an AttackSequence:EC2/CompromisedInstanceGroup finding', () => {
  it('as documented (fixture): contains its two instances as findings of their own', () => {
    // Act
    const classification = classifyFinding(sequenceFinding({}));

    // Assess
    expect(classification.kind).toBe('attack-sequence');
    if (classification.kind !== 'attack-sequence') return;
    expect(classification.derived.cryptoMiningSignals).toEqual(['CryptoCurrency:EC2/BitcoinTool.B!DNS']);
    expect(classification.derived.derived).toEqual([
      expect.objectContaining({
        findingId: `${FINDING_ID}/instance/i-0aaaaaaaaaaaaaaa1`,
        findingType: 'AttackSequence:EC2/CompromisedInstanceGroup',
        accountId: ACCOUNT,
        region: 'us-east-1',
        resourceType: 'Instance',
        instanceId: 'i-0aaaaaaaaaaaaaaa1',
        severity: 9,
        sample: false,
      }),
      expect.objectContaining({ findingId: `${FINDING_ID}/instance/i-0aaaaaaaaaaaaaaa2` }),
    ]);
    expect(classification.derived.leftForPerson).toEqual([]);
    expect(classification.finding.findingId).toBe(FINDING_ID);
  });

  it.each([
    {
      name: 'no crypto-mining signal: C&C finding and a CloudTrail activity named like a crypto type',
      sequence: {
        resources: [instance('i-0aaaaaaaaaaaaaaa1')],
        signals: [
          signal('FINDING', 'Backdoor:EC2/C&CActivity.B!DNS'),
          signal('CLOUD_TRAIL', 'CryptoCurrency:EC2/BitcoinTool.B'),
        ],
      },
      reason: /no crypto-mining finding among its signals/,
    },
    {
      name: "a signal naming the nonexistent type 'CryptoCurrency:EC2/BitcoinTool'",
      sequence: {
        resources: [instance('i-0aaaaaaaaaaaaaaa1')],
        signals: [signal('FINDING', 'CryptoCurrency:EC2/BitcoinTool')],
      },
      reason: /no crypto-mining finding among its signals/,
    },
    {
      name: 'crypto-mining signals but no EC2 instance among the resources',
      sequence: {
        resources: [{ uid: 'arn:aws:iam::444455556666:role/x', resourceType: 'ACCESS_KEY' }],
        signals: [CRYPTO],
      },
      reason: /no EC2 instance among its resources/,
    },
    { name: 'no detection.sequence at all', sequence: null, reason: /without service.detection.sequence/ },
  ])('$name → a report for a person only', ({ sequence, reason }) => {
    // Act
    const classification = classifyFinding(sequenceFinding(sequence));

    // Assess
    expect(classification.kind).toBe('needs-person');
    if (classification.kind === 'needs-person') expect(classification.reason).toMatch(reason);
  });

  it.each([
    {
      name: 'an instance of another account',
      resource: instance('i-0bbbbbbbbbbbbbbb1', { accountId: '999988887777' }),
      reason: /in account 999988887777, not the finding's 444455556666/,
    },
    {
      name: 'an instance of another region',
      resource: instance('i-0bbbbbbbbbbbbbbb2', { region: 'eu-west-1' }),
      reason: /in region eu-west-1/,
    },
    {
      name: 'an instance of another partition',
      resource: instance('i-0bbbbbbbbbbbbbbb3', { cloudPartition: 'aws-cn' }),
      reason: /in partition aws-cn/,
    },
    { name: 'a uid that is no instance id', resource: instance('../../etc'), reason: /not a valid instance id/ },
  ])('$name is listed for a person, never contained; the others are', ({ resource, reason }) => {
    // Act
    const classification = classifyFinding(
      sequenceFinding({ resources: [instance('i-0aaaaaaaaaaaaaaa1'), resource], signals: [CRYPTO] }),
    );

    // Assess
    expect(classification.kind).toBe('attack-sequence');
    if (classification.kind !== 'attack-sequence') return;
    expect(classification.derived.derived.map((finding) => finding.instanceId)).toEqual(['i-0aaaaaaaaaaaaaaa1']);
    expect(classification.derived.leftForPerson).toEqual([
      { instanceId: expect.any(String), reason: expect.stringMatching(reason) },
    ]);
  });

  it('takes an instance ARN as uid, a missing account and region as the finding’s, and a repeated instance once', () => {
    // Act
    const classification = classifyFinding(
      sequenceFinding({
        resources: [
          { uid: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0ccccccccccccccc1`, resourceType: 'EC2_INSTANCE' },
          instance('i-0ccccccccccccccc1'),
        ],
        signals: [CRYPTO],
      }),
    );

    // Assess
    expect(classification.kind === 'attack-sequence' && classification.derived.derived.map((f) => f.findingId)).toEqual(
      [`${FINDING_ID}/instance/i-0ccccccccccccccc1`],
    );
  });

  it('contains at most the configured number; the excess is listed for a person in the parent’s reason', () => {
    // Prepare
    const resources = Array.from({ length: 5 }, (_unused, index) => instance(`i-0ddddddddddddddd${index}`));

    // Act
    const classification = classifyFinding(sequenceFinding({ resources, signals: [CRYPTO] }), {
      maxInstancesPerSequence: 3,
    });

    // Assess
    expect(classification.kind).toBe('attack-sequence');
    if (classification.kind !== 'attack-sequence') return;
    expect(classification.derived.derived).toHaveLength(3);
    expect(classification.derived.leftForPerson.map((left) => left.instanceId)).toEqual([
      'i-0ddddddddddddddd3',
      'i-0ddddddddddddddd4',
    ]);
    const reason = attackSequenceReportReason(classification.derived);
    expect(reason).toContain(`${FINDING_ID}/instance/i-0ddddddddddddddd0`);
    expect(reason).toMatch(/not contained: i-0ddddddddddddddd3 \(over the 3 instances/);
  });

  it('defaults to 50 instances per sequence', () => {
    // Prepare
    const resources = Array.from({ length: 52 }, (_unused, index) =>
      instance(`i-0${index.toString(16).padStart(16, 'e')}`),
    );

    // Act
    const classification = classifyFinding(sequenceFinding({ resources, signals: [CRYPTO] }));

    // Assess
    expect(classification.kind === 'attack-sequence' && classification.derived.derived.length).toBe(50);
    expect(classification.kind === 'attack-sequence' && classification.derived.leftForPerson.length).toBe(2);
  });
});

describe('the ledger key of an instance of a sequence', () => {
  it('sits under the sequence’s own state, beside its claims, state and deliveries', () => {
    // Act
    const derivedId = derivedInstanceFindingId(FINDING_ID, 'i-0aaaaaaaaaaaaaaa1');

    // Assess
    expect(findingStateKey(derivedId)).toBe(`responder-state/${FINDING_ID}/instance/i-0aaaaaaaaaaaaaaa1/state.json`);
    expect(isFindingStateId(derivedId)).toBe(true);
    expect(isFindingStateId(FINDING_ID)).toBe(true);
  });

  it.each([
    `${FINDING_ID}/instance/../../x`,
    `${FINDING_ID}/deliveries/i-0aaaaaaaaaaaaaaa1`,
    `${FINDING_ID}/instance/i-0aaaaaaaaaaaaaaa1/instance/i-0aaaaaaaaaaaaaaa2`,
    '../x',
  ])('refuses %s as a finding id to read state under', (findingId) => {
    // Act / Assess
    expect(isFindingStateId(findingId)).toBe(false);
  });
});
