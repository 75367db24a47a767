import { describe, expect, it } from 'vitest';
import {
  CENTRAL_ACCOUNT_STEPS,
  ConflictingActionScopeError,
  MEMBER_ACCOUNT_STEPS,
  type MemberAccountStepName,
  memberAccountActions,
  memberActionScopes,
  RELEASE_STEPS,
  RESPONSE_MODES,
  STEPS_DONE_ONCE,
  type StepSubject,
  stepDefinition,
  stepDependencies,
  stepRunsIn,
  wouldDo,
  wouldDoAll,
} from '../src/index';

const MEMBER_STEPS = Object.keys(MEMBER_ACCOUNT_STEPS) as MemberAccountStepName[];

const SAMPLE_SUBJECT: StepSubject = {
  instanceId: 'i-0123456789abcdef0',
  findingId: 'finding-1',
  accountId: '111122223333',
  instance: null,
  isolationGroupName: 'isolation',
  connectionCutGroupName: 'cut',
  launcherArn: null,
};

const READ_SUBJECT: StepSubject = {
  ...SAMPLE_SUBJECT,
  instance: {
    networkInterfaceIds: ['eni-1', 'eni-2'],
    autoScalingGroupName: 'web',
    volumeCount: 2,
    hibernates: false,
    instanceProfileArn: null,
  },
  launcherArn: 'arn:aws:iam::111122223333:user/alice',
};

describe('the step registry (responseSteps.ts)', () => {
  it('lists every step a step waits for before it, so that the engine can start them in the registry order', () => {
    for (const [index, step] of MEMBER_STEPS.entries()) {
      for (const before of stepDefinition(step).after) {
        expect(MEMBER_STEPS.indexOf(before as MemberAccountStepName), `${step} waits for ${before}`).toBeGreaterThan(
          -1,
        );
        expect(MEMBER_STEPS.indexOf(before as MemberAccountStepName), `${before} before ${step}`).toBeLessThan(index);
      }
    }
  });

  it('says what every step would do in each mode that holds it back', () => {
    for (const step of MEMBER_STEPS) {
      const heldIn = RESPONSE_MODES.filter((mode) => !stepRunsIn(step, mode));
      if (heldIn.length === 0) continue;
      // A step on a Lambda function says what it would do for a function's finding (it never runs for an instance).
      const subject =
        stepDefinition(step).phase === 'function'
          ? { ...READ_SUBJECT, lambdaFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:miner' }
          : READ_SUBJECT;
      expect(wouldDo(step, subject), `${step} is held back in ${heldIn.join(', ')}`).toMatch(/\S/);
    }
  });

  it('names only registered release steps as the undo of a step', () => {
    for (const step of MEMBER_STEPS) {
      for (const release of stepDefinition(step).releasedBy) expect(Object.keys(RELEASE_STEPS)).toContain(release);
    }
  });

  it('runs every step in full mode, and changes nothing in observe mode', () => {
    for (const step of MEMBER_STEPS) {
      expect(stepRunsIn(step, 'full'), step).toBe(true);
      const phase = stepDefinition(step).phase;
      expect(stepRunsIn(step, 'observe'), step).toBe(phase === 'read' || phase === 'attribution');
    }
  });

  it('repeats on a later delivery only what must be read again', () => {
    expect(STEPS_DONE_ONCE).not.toContain('inspectInstance');
    expect(STEPS_DONE_ONCE).toEqual(MEMBER_STEPS.filter((step) => step !== 'inspectInstance'));
  });

  it('gives every action of the member role one scope (the member role policy is built from it)', () => {
    const scopes = memberActionScopes();
    expect([...scopes.keys()]).toEqual(memberAccountActions());
    // ec2:CreateTags serves evidence and, only inside CreateSecurityGroup, the purpose tag: one scope for both.
    expect(scopes.get('ec2:CreateTags')?.sid).toBe('TagEvidenceWithIncidentTags');
    expect(scopes.get('ec2:CreateTags')?.alsoAllowed?.map((scope) => scope.sid)).toEqual([
      'TagOwnGroupsAtCreationOnly',
    ]);
  });

  it('follows the waits through other steps (the stop waits for the instance read through the evidence)', () => {
    expect(stepDependencies('stopInstance')).toEqual([
      'inspectInstance',
      'disableAutoScalingGroup',
      'preserveEvidence',
      'liftStopProtection',
    ]);
    expect(stepDependencies('inspectInstance')).toEqual([]);
    // The hard cut runs beside the group swap: it waits for the instance read and nothing else.
    expect(stepDependencies('denyInNetworkAcls')).toEqual(['inspectInstance']);
  });

  it('makes the sample report out of what each step would do, the central guards first', () => {
    expect(wouldDoAll(SAMPLE_SUBJECT).map((entry) => entry.step)).toEqual([
      'verifyOrganizationMembership',
      'assumeResponderRole',
      'isolateNetworkInterfaces',
      'denyInNetworkAcls',
      'revokeInstanceCredentials',
      'disableAutoScalingGroup',
      'preserveEvidence',
      'liftStopProtection',
      'stopInstance',
      'attributeLaunch',
      'freezeUser',
    ]);
    expect(Object.keys(CENTRAL_ACCOUNT_STEPS)).toContain('verifyOrganizationMembership');
  });

  it('names the instance, its interfaces and groups in what isolation would do', () => {
    expect(wouldDo('isolateNetworkInterfaces', READ_SUBJECT)).toBe(
      'move every ENI (eni-1, eni-2) onto cut, then onto isolation, in its VPC',
    );
    expect(wouldDo('denyInNetworkAcls', READ_SUBJECT)).toBe(
      'deny the private addresses of eni-1, eni-2, inbound and outbound, in the network ACL of each subnet, below its allows',
    );
    expect(wouldDo('freezeRole', SAMPLE_SUBJECT)).toBeNull();
  });
});

describe('memberActionScopes', () => {
  it('refuses two scopes for one action, naming the action, both steps and where to fix it', () => {
    const { isolateNetworkInterfaces, preserveEvidence } = MEMBER_ACCOUNT_STEPS;
    const conflicting = {
      isolateNetworkInterfaces,
      preserveEvidence: {
        actions: {
          ...preserveEvidence.actions,
          'ec2:CreateTags': isolateNetworkInterfaces.actions['ec2:CreateSecurityGroup'],
        },
      },
    };

    const build = () => memberActionScopes(conflicting);

    expect(build).toThrow(ConflictingActionScopeError);
    expect(build).toThrow(/ec2:CreateTags .* isolateNetworkInterfaces and preserveEvidence .*responseSteps\.ts/);
  });
});
