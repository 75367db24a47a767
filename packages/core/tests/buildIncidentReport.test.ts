import { describe, expect, it } from 'vitest';
import { buildIncidentReport, EMPTY_UNDO, type ResponseRecord } from '../src/buildIncidentReport';
import { type Actor, classifyActor, UNKNOWN_ACTOR } from '../src/classifyActor';
import type { FindingSummary } from '../src/classifyFinding';
import { incidentReportSchema } from '../src/incidentReportSchema';
import type { StepName } from '../src/registry/stepQueries';
import {
  alreadyDone,
  failed,
  heldBack,
  type StepRecord,
  type StepResult,
  skipped,
  succeeded,
  toStepRecord,
} from '../src/stepOutcome';
import { expectValidReport } from './expectValidReport';

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

const user: Actor = classifyActor({
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/attacker' },
  sourceIPAddress: '198.51.100.42',
  userAgent: 'aws-cli/2.15.0',
});

const at = new Date('2026-11-26T10:00:00.000Z');

function step(name: StepName, result: StepResult, target?: string): StepRecord {
  return toStepRecord(target === undefined ? { step: name } : { step: name, target }, result, at, at);
}

/** Every step worked: the instance was in a group, two ENIs, the user frozen. */
const allSucceeded: StepRecord[] = [
  step('inspectInstance', succeeded),
  step('isolateNetworkInterfaces', succeeded, 'eni-1'),
  step('isolateNetworkInterfaces', alreadyDone('already on the isolation group'), 'eni-2'),
  step('disableAutoScalingGroup', succeeded, 'web'),
  step('stopInstance', succeeded),
  step('attributeLaunch', succeeded),
  step('freezeUser', succeeded, 'login profile'),
  step('freezeUser', succeeded, 'AKIAEXAMPLE'),
];

function record(overrides: Partial<ResponseRecord>): ResponseRecord {
  return {
    finding,
    disposition: 'responded',
    dispositionReason: null,
    actor: user,
    steps: allSucceeded,
    undo: EMPTY_UNDO,
    timestamp: at,
    ...overrides,
  };
}

function replaceStep(steps: StepRecord[], index: number, replacement: StepRecord): StepRecord[] {
  return steps.map((current, position) => (position === index ? replacement : current));
}

describe('buildIncidentReport', () => {
  it("keeps the original design's fields and meanings, plus what a person needs", () => {
    // Act
    const report = buildIncidentReport(record({}));

    // Assess
    expectValidReport(report);
    expect(report).toMatchObject({
      schemaVersion: '2.6',
      timestamp: '2026-11-26T10:00:00.000Z',
      guarddutyFindingType: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
      instanceId: 'i-00aa97663294ffbbd',
      region: 'us-east-1',
      findingId: '92c1a1d65b221e96d6a6fae27aaaae43',
      accountId: '111122223333',
      severity: 8,
      actor: {
        type: 'IAMUser',
        arn: 'arn:aws:iam::111122223333:user/attacker',
        sourceIp: '198.51.100.42',
        userAgent: 'aws-cli/2.15.0',
      },
      response: {
        asgDisabled: true,
        networkIsolated: true,
        instanceStopped: true,
        actorFrozen: true,
        rootInvolved: false,
        manualInterventionRequired: false,
      },
      manualInterventionReasons: [],
    });
    expect(report.steps).toHaveLength(allSucceeded.length);
  });

  it.each([
    ['networkIsolated', 2, 'isolateNetworkInterfaces', 'eni-2'],
    ['networkIsolated', 0, 'inspectInstance', undefined],
    ['asgDisabled', 3, 'disableAutoScalingGroup', 'web'],
    ['instanceStopped', 4, 'stopInstance', undefined],
    ['actorFrozen', 7, 'freezeUser', 'AKIAEXAMPLE'],
  ] as const)('sets %s false when one action behind it failed, and asks for a person', (flag, index, name, target) => {
    // Prepare
    const steps = replaceStep(allSucceeded, index, step(name, failed('AccessDenied', 'not authorized'), target));

    // Act
    const report = buildIncidentReport(record({ steps }));

    // Assess
    expectValidReport(report);
    expect(report.response[flag]).toBe(false);
    expect(report.response.manualInterventionRequired).toBe(true);
    expect(report.manualInterventionReasons).toEqual([expect.stringContaining('failed: AccessDenied: not authorized')]);
  });

  it('still reads a 2.0 report, written before the network ACL hard cut (no undo.networkAclEntries)', () => {
    // Prepare
    const { networkAclEntries: _none, ...undoOf20 } = buildIncidentReport(record({})).undo;
    const report20 = { ...buildIncidentReport(record({})), schemaVersion: '2.0', undo: undoOf20 };

    // Act
    const parsed = incidentReportSchema.parse(report20);

    // Assess
    expect(parsed.schemaVersion).toBe('2.0');
    expect(parsed.undo.networkAclEntries).toBeUndefined();
    expect(() => incidentReportSchema.parse({ ...report20, schemaVersion: '1.9' })).toThrow();
  });

  it('says the instance is stopped when hibernating failed and the plain stop it fell back to worked, keeping the failure', () => {
    // Prepare
    const hibernation = toStepRecord(
      { step: 'stopInstance', action: 'hibernate', target: 'i-00aa97663294ffbbd' },
      failed('UnsupportedHibernationConfiguration', 'hibernation is not supported'),
      at,
      at,
    );
    const stop = step('stopInstance', succeeded, 'i-00aa97663294ffbbd');
    const steps = [...allSucceeded.slice(0, 4), hibernation, stop, ...allSucceeded.slice(5)];

    // Act
    const report = buildIncidentReport(record({ steps }));

    // Assess
    expectValidReport(report);
    expect(report.response.instanceStopped).toBe(true);
    expect(report.steps).toContainEqual(hibernation);
    expect(report.response.manualInterventionRequired).toBe(true);
    expect(report.manualInterventionReasons).toEqual([
      'stopInstance hibernate (i-00aa97663294ffbbd) failed: UnsupportedHibernationConfiguration: hibernation is not supported (fell back: the instance was stopped without hibernation (its memory was not kept))',
    ]);
  });

  it('does not say the instance is stopped when both the hibernation and the plain stop failed, or only the hibernation ran', () => {
    // Prepare
    const hibernation = toStepRecord(
      { step: 'stopInstance', action: 'hibernate' },
      failed('UnsupportedHibernationConfiguration', 'x'),
      at,
      at,
    );
    const bothFailed = replaceStep(allSucceeded, 4, step('stopInstance', failed('UnauthorizedOperation', 'y')));

    // Act
    const stopFailed = buildIncidentReport(record({ steps: [hibernation, ...bothFailed] }));
    const onlyAttempt = buildIncidentReport(record({ steps: replaceStep(allSucceeded, 4, hibernation) }));

    // Assess
    expect(stopFailed.response.instanceStopped).toBe(false);
    expect(onlyAttempt.response.instanceStopped).toBe(false);
  });

  it('does not claim a flag for a step that never ran', () => {
    // Act
    const report = buildIncidentReport(record({ steps: [] }));

    // Assess
    expectValidReport(report);
    expect(report.response).toMatchObject({
      asgDisabled: false,
      networkIsolated: false,
      instanceStopped: false,
      actorFrozen: false,
    });
  });

  it('leaves asgDisabled false without asking for a person when the instance is in no group', () => {
    // Prepare
    const steps = replaceStep(
      allSucceeded,
      3,
      step('disableAutoScalingGroup', skipped('not in an Auto Scaling group')),
    );

    // Act
    const report = buildIncidentReport(record({ steps }));

    // Assess
    expect(report.response.asgDisabled).toBe(false);
    expect(report.response.manualInterventionRequired).toBe(false);
  });

  it('asks for a person when a freeze was skipped because the principal is protected', () => {
    // Prepare
    const steps = [
      ...allSucceeded.filter((record) => record.step !== 'freezeUser'),
      step('freezeRole', skipped("protected principal: the organization's account access role"), 'arn:role'),
    ];

    // Act
    const report = buildIncidentReport(
      record({ steps, actor: classifyActor({ userIdentity: { type: 'AssumedRole' } }) }),
    );

    // Assess
    expectValidReport(report);
    expect(report.response.actorFrozen).toBe(false);
    expect(report.manualInterventionReasons).toEqual([
      expect.stringMatching(/^freezeRole \(arn:role\) skipped: protected/),
    ]);
  });

  it('flags root as involved and for a person', () => {
    // Prepare
    const root = classifyActor({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' } });
    const steps = allSucceeded.filter((record) => record.step !== 'freezeUser');

    // Act
    const report = buildIncidentReport(record({ steps, actor: root }));

    // Assess
    expectValidReport(report);
    expect(report.response).toMatchObject({ rootInvolved: true, actorFrozen: false, manualInterventionRequired: true });
    expect(report.manualInterventionReasons).toEqual([expect.stringContaining('root user')]);
  });

  it.each([
    ['nothing was found', UNKNOWN_ACTOR, /unknown/],
    [
      'an AWS service launched it',
      classifyActor({ userIdentity: { type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' } }),
      /autoscaling\.amazonaws\.com/,
    ],
  ])('asks for a person when %s', (_case, actor, reason) => {
    // Prepare
    const steps = allSucceeded.filter((record) => record.step !== 'freezeUser');

    // Act
    const report = buildIncidentReport(record({ steps, actor }));

    // Assess
    expectValidReport(report);
    expect(report.response.manualInterventionRequired).toBe(true);
    expect(report.manualInterventionReasons).toEqual([expect.stringMatching(reason)]);
  });

  it('names a failed attribution once, not also as an unknown actor', () => {
    // Prepare
    const steps = [
      ...allSucceeded.filter((record) => !['attributeLaunch', 'freezeUser'].includes(record.step)),
      step('attributeLaunch', failed('ThrottlingException', 'Rate exceeded')),
    ];

    // Act
    const report = buildIncidentReport(record({ steps, actor: null }));

    // Assess
    expect(report.actor.type).toBe('Unknown');
    expect(report.manualInterventionReasons).toEqual(['attributeLaunch failed: ThrottlingException: Rate exceeded']);
  });

  it.each([
    ['refused', 'Account 111122223333 is not an ACTIVE member of the organization: nothing was touched.'],
    ['needs-person', 'crypto-mining on a resource of type EKSCluster: there is no EC2 instance to contain'],
  ] as const)('reports a %s finding with its reason, every response flag false', (disposition, reason) => {
    // Act
    const report = buildIncidentReport(
      record({
        disposition,
        dispositionReason: reason,
        steps: [],
        actor: null,
        finding: { ...finding, instanceId: null },
      }),
    );

    // Assess
    expectValidReport(report);
    expect(report).toMatchObject({
      disposition,
      dispositionReason: reason,
      instanceId: null,
      manualInterventionReasons: [reason],
      response: {
        asgDisabled: false,
        networkIsolated: false,
        instanceStopped: false,
        actorFrozen: false,
        rootInvolved: false,
        manualInterventionRequired: true,
      },
    });
  });

  it('carries the undo information through', () => {
    // Prepare
    const undo = {
      ...EMPTY_UNDO,
      networkInterfaces: [
        {
          networkInterfaceId: 'eni-1',
          vpcId: 'vpc-1',
          previousSecurityGroupIds: ['sg-1', 'sg-2'],
          isolationSecurityGroupId: 'sg-9',
          connectionCutSecurityGroupId: 'sg-8',
        },
      ],
      autoScalingGroup: {
        autoScalingGroupName: 'web',
        detachedInstanceId: 'i-00aa97663294ffbbd',
        previousMinSize: 1,
        previousMaxSize: 3,
        previousDesiredCapacity: 2,
      },
    };

    // Act
    const report = buildIncidentReport(record({ undo }));

    // Assess
    expectValidReport(report);
    expect(report.undo).toEqual(undo);
  });

  it('sums up what the response mode held back in one reason, and none for a sample', () => {
    // Prepare
    const steps = [
      step('isolateNetworkInterfaces', succeeded, 'eni-1'),
      step('stopInstance', heldBack('contain', 'stop i-00aa97663294ffbbd')),
    ];
    const contain = { mode: 'contain' as const, reason: 'account 111122223333: contain' };

    // Act
    const report = buildIncidentReport(record({ steps, responseMode: contain, actor: user }));
    const sample = buildIncidentReport(
      record({ steps, responseMode: { mode: 'observe', reason: 'sample' }, finding: { ...finding, sample: true } }),
    );

    // Assess
    expectValidReport(report);
    expect(report.responseMode).toEqual(contain);
    expect(report.manualInterventionReasons).toEqual([expect.stringMatching(/^Contain mode \(account 111122223333/)]);
    expect(report.response.instanceStopped).toBe(false);
    expect(sample.manualInterventionReasons.filter((reason) => reason.includes('mode'))).toEqual([]);
  });

  it('in approval mode, lists the stop and the freeze as pending and asks a person to approve or reject', () => {
    // Prepare
    const steps = [
      step('isolateNetworkInterfaces', succeeded, 'eni-1'),
      step('liftStopProtection', heldBack('approval', 'turn stop protection of i-00aa97663294ffbbd off if it is on')),
      step('stopInstance', heldBack('approval', 'stop i-00aa97663294ffbbd'), 'i-00aa97663294ffbbd'),
      step('freezeUser', heldBack('approval', `freeze ${user.principalArn}`), user.principalArn ?? ''),
    ];
    const approval = { mode: 'approval' as const, reason: 'account 111122223333: approval' };

    // Act
    const report = buildIncidentReport(record({ steps, responseMode: approval, actor: user }));
    const contained = buildIncidentReport(
      record({ steps, responseMode: { mode: 'contain', reason: 'account 111122223333: contain' }, actor: user }),
    );

    // Assess
    expectValidReport(report);
    expect(report.approval).toEqual({
      status: 'pending',
      pendingSteps: [
        {
          step: 'liftStopProtection',
          target: expect.any(String),
          wouldDo: 'turn stop protection of i-00aa97663294ffbbd off if it is on',
        },
        { step: 'stopInstance', target: 'i-00aa97663294ffbbd', wouldDo: 'stop i-00aa97663294ffbbd' },
        { step: 'freezeUser', target: user.principalArn, wouldDo: `freeze ${user.principalArn}` },
      ],
    });
    expect(report.steps.find((record) => record.step === 'stopInstance')).toMatchObject({
      reason: 'approval mode: waits for a person (cli approve)',
    });
    expect(report.manualInterventionReasons).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Approval mode \\(account 111122223333: approval\\): contained; waiting for a person: .*cli approve ${finding.findingId}`,
        ),
      ),
    ]);
    expect(report.response.manualInterventionRequired).toBe(true);
    expect(contained.approval).toBeNull();
  });
});
