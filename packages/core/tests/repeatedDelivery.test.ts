import { describe, expect, it } from 'vitest';
import { buildIncidentReport, EMPTY_UNDO, type ResponseRecord } from '../src/buildIncidentReport';
import type { FindingSummary } from '../src/classifyFinding';
import { deliveryOfKey, findingClaimKey, findingDeliveryKey, findingStateKey } from '../src/findingStateKeys';
import type { IncidentUndo } from '../src/incidentReport';
import type { StepName } from '../src/registry/stepQueries';
import { attributionComplete, completedSteps, mergeSteps, mergeUndo } from '../src/repeatedDelivery';
import { failed, heldBack, type StepResult, succeeded, toStepRecord } from '../src/stepOutcome';

const finding: FindingSummary = {
  findingId: '92c1a1d65b221e96d6a6fae27aaaae43',
  findingType: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
  severity: 8,
  accountId: '111122223333',
  region: 'us-east-1',
  partition: 'aws',
  resourceType: 'Instance',
  instanceId: 'i-00aa97663294ffbbd',
  sample: false,
};
const at = new Date('2026-11-26T10:00:00.000Z');

function step(name: StepName, result: StepResult, action?: string) {
  return toStepRecord(action === undefined ? { step: name } : { step: name, action }, result, at, at);
}

function report(overrides: Partial<ResponseRecord>) {
  return buildIncidentReport({
    finding,
    disposition: 'responded',
    dispositionReason: null,
    actor: null,
    steps: [],
    undo: EMPTY_UNDO,
    timestamp: at,
    ...overrides,
  });
}

const eni = (id: string, previous: string[]) => ({
  networkInterfaceId: id,
  vpcId: 'vpc-1',
  previousSecurityGroupIds: previous,
  isolationSecurityGroupId: 'sg-iso',
  connectionCutSecurityGroupId: 'sg-open',
});

describe('a later delivery of the same finding', () => {
  it('does not repeat steps that worked, and repeats failed and held-back ones', () => {
    // Prepare
    const previous = report({
      steps: [
        step('isolateNetworkInterfaces', succeeded, 'moveToIsolationGroup'),
        step('disableAutoScalingGroup', succeeded, 'detachInstance'),
        step('disableAutoScalingGroup', failed('Throttling', 'slow down'), 'scaleToZero'),
        step('stopInstance', heldBack('contain', 'stop i-00aa97663294ffbbd')),
        step('attributeLaunch', succeeded),
      ],
    });

    // Act
    const completed = completedSteps(previous);

    // Assess
    expect([...completed].sort()).toEqual(['attributeLaunch', 'isolateNetworkInterfaces']);
    expect(completedSteps(null).size).toBe(0);
  });

  it('does not repeat a stop that fell back from a failed hibernation, so its records (the failure too) are kept', () => {
    // Prepare
    const hibernation = step('stopInstance', failed('UnsupportedHibernationConfiguration', 'x'), 'hibernate');
    const stop = step('stopInstance', succeeded);
    const previous = report({ steps: [hibernation, stop] });

    // Act
    const completed = completedSteps(previous);
    const merged = mergeSteps(previous, completed, [step('stopInstance', succeeded)]);

    // Assess
    expect(completed.has('stopInstance')).toBe(true);
    expect(merged).toEqual([hibernation, stop]);
    expect(completedSteps(report({ steps: [hibernation] })).has('stopInstance')).toBe(false);
  });

  it('reuses the actor only when the launch record and any Auto Scaling trace were both found', () => {
    // Prepare
    const traced = report({ steps: [step('attributeLaunch', succeeded), step('traceAutoScalingLaunch', succeeded)] });
    const traceFailed = report({
      steps: [step('attributeLaunch', succeeded), step('traceAutoScalingLaunch', failed('ThrottlingException', 'x'))],
    });
    const launchFailed = report({
      steps: [step('attributeLaunch', failed('ThrottlingException', 'x')), step('traceAutoScalingLaunch', succeeded)],
    });

    // Act / Assess
    expect(attributionComplete(traced)).toBe(true);
    expect(attributionComplete(report({ steps: [step('attributeLaunch', succeeded)] }))).toBe(true);
    expect(attributionComplete(traceFailed)).toBe(false);
    expect(attributionComplete(launchFailed)).toBe(false);
    expect(completedSteps(launchFailed).has('traceAutoScalingLaunch')).toBe(false);
  });

  it('keeps the earlier records of completed steps and this delivery’s records of the others', () => {
    // Prepare
    const earlier = step('isolateNetworkInterfaces', succeeded, 'moveToIsolationGroup');
    const previous = report({ steps: [earlier, step('stopInstance', failed('IncorrectInstanceState', 'x'))] });
    const retried = step('stopInstance', succeeded);
    const rerunIsolation = step('isolateNetworkInterfaces', succeeded, 'moveToIsolationGroup');

    // Act
    const steps = mergeSteps(previous, new Set<StepName>(['isolateNetworkInterfaces']), [rerunIsolation, retried]);

    // Assess
    expect(steps).toEqual([earlier, retried]);
  });

  it('never overwrites the undo data: the first delivery saw the pre-incident state', () => {
    // Prepare
    const previous: IncidentUndo = {
      ...EMPTY_UNDO,
      networkInterfaces: [eni('eni-1', ['sg-app'])],
      autoScalingGroup: {
        autoScalingGroupName: 'web',
        detachedInstanceId: 'i-00aa97663294ffbbd',
        previousMinSize: 2,
        previousMaxSize: 4,
        previousDesiredCapacity: 2,
      },
      role: {
        roleArn: 'arn:aws:iam::111122223333:role/Deploy',
        originalTrustPolicy: '{"original":1}',
        trustPolicyReplaced: true,
        revokeSessionsPolicyName: null,
      },
    };
    const current: IncidentUndo = {
      ...EMPTY_UNDO,
      networkInterfaces: [eni('eni-1', ['sg-iso']), eni('eni-2', ['sg-db'])],
      autoScalingGroup: {
        autoScalingGroupName: 'web',
        detachedInstanceId: null,
        previousMinSize: 0,
        previousMaxSize: 0,
        previousDesiredCapacity: 0,
      },
      role: {
        roleArn: 'arn:aws:iam::111122223333:role/Deploy',
        originalTrustPolicy: null,
        trustPolicyReplaced: false,
        revokeSessionsPolicyName: 'AWSRevokeOlderSessions',
      },
    };

    // Act
    const merged = mergeUndo(previous, current);

    // Assess
    expect(merged.networkInterfaces).toEqual([eni('eni-1', ['sg-app']), eni('eni-2', ['sg-db'])]);
    expect(merged.autoScalingGroup).toEqual(previous.autoScalingGroup);
    expect(merged.role).toEqual({ ...previous.role, revokeSessionsPolicyName: 'AWSRevokeOlderSessions' });
  });

  it('keeps an unknown earlier termination protection unknown once the response turned protection on', () => {
    // Prepare
    const evidence = {
      instanceId: 'i-00aa97663294ffbbd',
      volumesKeptOnTermination: [],
      taggedResourceIds: [],
      incidentTagKeys: [],
    };
    const unreadThenEnabled: IncidentUndo = {
      ...EMPTY_UNDO,
      evidence: { ...evidence, previousTerminationProtection: null, terminationProtectionEnabled: true },
    };
    const unreadNotEnabled: IncidentUndo = {
      ...EMPTY_UNDO,
      evidence: { ...evidence, previousTerminationProtection: null, terminationProtectionEnabled: false },
    };
    // The later delivery reads protection on (the first delivery's doing) and changes nothing.
    const readOnLater: IncidentUndo = {
      ...EMPTY_UNDO,
      evidence: { ...evidence, previousTerminationProtection: true, terminationProtectionEnabled: false },
    };
    const readOffAndEnabledLater: IncidentUndo = {
      ...EMPTY_UNDO,
      evidence: { ...evidence, previousTerminationProtection: false, terminationProtectionEnabled: true },
    };

    // Act
    const afterOwnChange = mergeUndo(unreadThenEnabled, readOnLater);
    const beforeAnyChange = mergeUndo(unreadNotEnabled, readOffAndEnabledLater);

    // Assess
    expect(afterOwnChange.evidence).toMatchObject({
      previousTerminationProtection: null,
      terminationProtectionEnabled: true,
    });
    expect(beforeAnyChange.evidence).toMatchObject({
      previousTerminationProtection: false,
      terminationProtectionEnabled: true,
    });
  });
});

describe('the finding state keys', () => {
  it('live outside incidents/ and carry each delivery in their name', () => {
    // Prepare
    const delivery = {
      receivedAt: '2026-11-26T10:00:00.000Z',
      eventId: 'c7c8c9ca-0000-4000-8000-000000000001',
      serviceCount: 3,
      outcome: 'repeated' as const,
    };

    // Act
    const key = findingDeliveryKey('abc', delivery);

    // Assess
    expect(findingClaimKey('abc', 2)).toBe('responder-state/abc/claim-000002.json');
    expect(findingStateKey('abc')).toBe('responder-state/abc/state.json');
    expect(key.startsWith('responder-state/abc/deliveries/')).toBe(true);
    expect(deliveryOfKey(key)).toEqual(delivery);
    expect(deliveryOfKey(findingDeliveryKey('abc', { ...delivery, eventId: '../../etc', serviceCount: null }))).toEqual(
      {
        ...delivery,
        eventId: null,
        serviceCount: null,
      },
    );
    expect(deliveryOfKey('responder-state/abc/deliveries/garbage.json')).toBeNull();
  });
});
