import { describe, expect, it } from 'vitest';
import { classifyFinding } from '../src/classifyFinding';
import { CRYPTO_MINING_FINDING_TYPES } from '../src/findingTypes';
import { parseGuardDutyFindingEvent } from '../src/guardDutyFindingEvent';
import {
  CONTAINER_RUNTIME_FINDING,
  eventOf,
  readFixture,
  realCryptoEvent,
  SAMPLE_FINDING,
  SSH_BRUTE_FORCE_FINDING,
} from './fixtures';

function finding(overrides: Record<string, unknown> = {}) {
  const event = realCryptoEvent();
  return parseGuardDutyFindingEvent({ ...event, detail: { ...(event.detail as object), ...overrides } }).detail;
}

describe('classifyFinding', () => {
  it('responds to the real BitcoinTool.B!DNS finding on an instance, with what the steps need', () => {
    // Act
    const classification = classifyFinding(finding());

    // Assess
    expect(classification).toEqual({
      kind: 'respond',
      finding: {
        findingId: '92c1a1d65b221e96d6a6fae27aaaae43',
        findingType: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
        severity: 8,
        accountId: '111122223333',
        region: 'us-east-1',
        partition: 'aws',
        resourceType: 'Instance',
        instanceId: 'i-00aa97663294ffbbd',
        sample: false,
        // The documented ARN form, built from the checked fields (the real finding's `arn`, its account anonymized).
        guardDutyFinding: {
          findingId: '92c1a1d65b221e96d6a6fae27aaaae43',
          arn: 'arn:aws:guardduty:us-east-1:111122223333:detector/e2c1a19ae1a4e786e58e2a5abed1340a/finding/92c1a1d65b221e96d6a6fae27aaaae43',
          detectorId: 'e2c1a19ae1a4e786e58e2a5abed1340a',
        },
      },
    });
  });

  it.each(CRYPTO_MINING_FINDING_TYPES.filter((type) => !type.startsWith('CryptoCurrency:Lambda/')))(
    'responds to %s on an instance',
    (type) => {
      // Act
      const classification = classifyFinding(finding({ type }));

      // Assess
      expect(classification.kind).toBe('respond');
    },
  );

  it('ignores a finding that is not crypto-mining, saying so', () => {
    // Prepare
    const bruteForce = parseGuardDutyFindingEvent(eventOf(readFixture(SSH_BRUTE_FORCE_FINDING))).detail;

    // Act
    const classification = classifyFinding(bruteForce);

    // Assess
    expect(classification).toMatchObject({
      kind: 'ignore',
      reason: 'not a crypto-mining finding type: UnauthorizedAccess:EC2/SSHBruteForce',
    });
  });

  it('ignores a runtime finding on a container that is not crypto-mining, although it carries instanceDetails', () => {
    // Prepare
    const container = readFixture(CONTAINER_RUNTIME_FINDING) as Record<string, unknown>;
    const detail = parseGuardDutyFindingEvent(eventOf({ ...container, accountId: '123456789012' })).detail;

    // Act
    const classification = classifyFinding(detail);

    // Assess
    expect(classification.kind).toBe('ignore');
  });

  it.each([
    ['EKSCluster', 'CryptoCurrency:Runtime/BitcoinTool.B'],
    ['Container', 'Impact:Runtime/CryptoMinerExecuted'],
    ['Lambda', 'CryptoCurrency:Lambda/BitcoinTool.B'],
  ])('hands a crypto-mining finding on a %s resource to a person', (resourceType, type) => {
    // Prepare
    const detail = finding({
      type,
      resource: { resourceType, instanceDetails: { instanceId: 'i-00aa97663294ffbbd' } },
    });

    // Act
    const classification = classifyFinding(detail);

    // Assess
    expect(classification).toMatchObject({ kind: 'needs-person', reason: expect.stringContaining(resourceType) });
  });

  it('throttles the Lambda function a Lambda finding names, by its unqualified ARN', () => {
    // Prepare: GuardDuty names the function and its version.
    const detail = finding({
      type: 'CryptoCurrency:Lambda/BitcoinTool.B',
      accountId: '111122223333',
      resource: {
        resourceType: 'Lambda',
        lambdaDetails: {
          functionName: 'miner',
          functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:miner:3',
          functionVersion: '3',
        },
      },
    });

    // Act
    const classification = classifyFinding(detail);

    // Assess
    expect(classification).toMatchObject({
      kind: 'throttle-function',
      lambdaFunction: { functionName: 'miner', functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:miner' },
    });
  });

  it('builds the ARN of a Lambda finding that names the function only, and refuses a name that is not one', () => {
    // Prepare
    const named = (functionName: string) =>
      finding({
        type: 'CryptoCurrency:Lambda/BitcoinTool.B',
        resource: { resourceType: 'Lambda', lambdaDetails: { functionName } },
      });

    // Act
    const valid = classifyFinding(named('miner_2'));
    const invalid = classifyFinding(named('miner/../x'));

    // Assess
    expect(valid).toMatchObject({
      kind: 'throttle-function',
      lambdaFunction: { functionArn: expect.stringMatching(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:miner_2$/) },
    });
    expect(invalid.kind).toBe('needs-person');
  });

  it('hands an instance finding without an instance id to a person', () => {
    // Prepare
    const detail = finding({ resource: { resourceType: 'Instance', instanceDetails: { instanceId: null } } });

    // Act
    const classification = classifyFinding(detail);

    // Assess
    expect(classification.kind).toBe('needs-person');
  });

  it('marks GuardDuty sample findings', () => {
    // Prepare
    const sample = parseGuardDutyFindingEvent(eventOf(readFixture(SAMPLE_FINDING))).detail;

    // Act
    const classification = classifyFinding(sample);

    // Assess
    expect(classification).toMatchObject({ kind: 'respond', finding: { sample: true, instanceId: 'i-99999999' } });
  });

  it("ignores the original design's literal CryptoCurrency:EC2/BitcoinTool: GuardDuty never emits it", () => {
    // Act
    const classification = classifyFinding(finding({ type: 'CryptoCurrency:EC2/BitcoinTool' }));

    // Assess
    expect(classification).toMatchObject({
      kind: 'ignore',
      reason: expect.stringContaining('CryptoCurrency:EC2/BitcoinTool'),
    });
  });

  it('still responds to an unknown variant of a crypto-mining family (matched by prefix)', () => {
    // Act
    const classification = classifyFinding(finding({ type: 'CryptoCurrency:EC2/BitcoinTool.C' }));

    // Assess
    expect(classification.kind).toBe('respond');
  });

  it.each([
    ['a path traversal', '../../i-0123456789abcdef0'],
    ['upper case', 'I-0123456789ABCDEF0'],
    ['a list', 'i-0123456789abcdef0,i-0123456789abcdef1'],
    ['an ARN', 'arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0'],
  ])('hands an instance id with %s to a person', (_case, instanceId) => {
    // Act
    const classification = classifyFinding(
      finding({ resource: { resourceType: 'Instance', instanceDetails: { instanceId } } }),
    );

    // Assess
    expect(classification).toMatchObject({
      kind: 'needs-person',
      reason: expect.stringContaining('no valid instance id'),
    });
  });

  it('never copies control characters or an enormous id into the reason', () => {
    // Prepare
    const hostile = `i-0123\u0000\u202e${'a'.repeat(5000)}`;

    // Act
    const classification = classifyFinding(
      finding({ resource: { resourceType: 'Instance', instanceDetails: { instanceId: hostile } } }),
    );

    // Assess
    const reason = classification.kind === 'needs-person' ? classification.reason : '';
    expect(reason).toMatch(/^[\x20-\x7e…]+$/);
    expect(reason.length).toBeLessThan(200);
    expect(reason).toContain('(5008 characters)');
  });
});
