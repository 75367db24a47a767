import { describe, expect, it } from 'vitest';
import { type LaunchOrigin, launchOriginOf } from '../src/attribution/launchOrigin';
import { launchRequestSearchOf, stackNameOf } from '../src/attribution/launchRequests';
import { decideWhomToFreeze, type FreezeDecisionFacts } from '../src/attribution/whomToFreeze';
import { type Actor, UNKNOWN_ACTOR } from '../src/classifyActor';

const ACCOUNT = '111122223333';
const STACK_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/web/4f6c1e20-91d6-11ef-8f31-0affd1a2b3c4`;

function user(name: string): Actor {
  const arn = `arn:aws:iam::${ACCOUNT}:user/${name}`;
  return { ...UNKNOWN_ACTOR, type: 'IAMUser', arn, principalArn: arn };
}

function roleSession(role: string, session: string, invokedBy: string | null = null): Actor {
  return {
    ...UNKNOWN_ACTOR,
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    principalArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
    invokedBy,
  };
}

const SERVICE: Actor = {
  ...UNKNOWN_ACTOR,
  type: 'AWSService',
  principalArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
  invokedBy: 'autoscaling.amazonaws.com',
};
const ROOT: Actor = { ...UNKNOWN_ACTOR, type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root` };
const DIRECT: LaunchOrigin = { kind: 'direct' };
const STACK: LaunchOrigin = { kind: 'cloudFormation', stackId: STACK_ID };

function facts(overrides: Partial<FreezeDecisionFacts>): FreezeDecisionFacts {
  return {
    launcher: user('alice'),
    origin: DIRECT,
    requester: null,
    launchTime: '2026-12-01T10:00:00Z',
    firstSeen: '2026-12-01T10:30:00Z',
    instanceId: 'i-0aaaaaaaaaaaaaaaa',
    settings: { launchAgeThresholdHours: 48, deploymentPrincipalPatterns: ['arn:aws:iam::*:role/GitHubActions*'] },
    ...overrides,
  };
}

describe('decideWhomToFreeze', () => {
  it.each([
    ['a direct launch by a user: that user', facts({}), 'freeze', user('alice').arn],
    [
      'a stack launched by its role: the CreateStack caller',
      facts({
        launcher: roleSession('CfnRole', 'AWSCloudFormation', 'cloudformation.amazonaws.com'),
        origin: STACK,
        requester: user('bob'),
      }),
      'freeze',
      user('bob').arn,
    ],
    [
      "a stack launched with a user's own key and no CreateStack found: that user",
      facts({ launcher: { ...user('carol'), invokedBy: 'cloudformation.amazonaws.com' }, origin: STACK }),
      'freeze',
      user('carol').arn,
    ],
    [
      'a stack launched by its role and nobody found: nobody (not the stack role)',
      facts({ launcher: roleSession('CfnRole', 'AWSCloudFormation', 'cloudformation.amazonaws.com'), origin: STACK }),
      'freeze-nobody',
      null,
    ],
    [
      'Auto Scaling with nobody behind it: nobody',
      facts({ launcher: SERVICE, origin: { kind: 'autoScaling' } }),
      'freeze-nobody',
      null,
    ],
    ['root: nobody (flagged for a person)', facts({ launcher: ROOT }), 'freeze-nobody', null],
    ['no launch record: nobody', facts({ launcher: UNKNOWN_ACTOR }), 'freeze-nobody', null],
    [
      'a deployment identity: nobody',
      facts({ launcher: roleSession('GitHubActionsDeploy', 'run-4711') }),
      'freeze-nobody',
      null,
    ],
    [
      'a launch 40 days before the first sighting: nobody',
      facts({ launchTime: '2026-10-22T10:00:00Z', firstSeen: '2026-12-01T10:00:00Z' }),
      'freeze-nobody',
      null,
    ],
    [
      'a launch 47 hours before the first sighting: the launcher',
      facts({ launchTime: '2026-11-29T11:00:00Z', firstSeen: '2026-12-01T10:00:00Z' }),
      'freeze',
      user('alice').arn,
    ],
    ['unknown times: the launcher', facts({ launchTime: null, firstSeen: null }), 'freeze', user('alice').arn],
    [
      "an instance's role session: the launching instance, not the role",
      facts({ launcher: roleSession('AppRole', 'i-0bbbbbbbbbbbbbbbb') }),
      'contain-launching-instance',
      null,
    ],
    [
      'an ordinary role session: the role',
      facts({ launcher: roleSession('AppDeployRole', 'alice@example.com') }),
      'freeze',
      `arn:aws:sts::${ACCOUNT}:assumed-role/AppDeployRole/alice@example.com`,
    ],
  ] as const)('%s', (_name, input, kind, frozenArn) => {
    // Act
    const decision = decideWhomToFreeze(input);

    // Assess
    expect(decision.kind).toBe(kind);
    expect(decision.kind === 'freeze' ? decision.actor.arn : null).toBe(frozenArn);
    expect(decision.reason.length).toBeGreaterThan(20);
  });

  it("names the launching instance of an instance session, and never the finding's own instance", () => {
    // Act
    const other = decideWhomToFreeze(facts({ launcher: roleSession('AppRole', 'i-0bbbbbbbbbbbbbbbb') }));
    const itself = decideWhomToFreeze(facts({ launcher: roleSession('AppRole', 'i-0aaaaaaaaaaaaaaaa') }));

    // Assess
    expect(other).toMatchObject({ kind: 'contain-launching-instance', instanceId: 'i-0bbbbbbbbbbbbbbbb' });
    expect(itself.kind).toBe('freeze');
  });
});

describe('launchOriginOf', () => {
  it.each([
    [
      'the stack tag first, even in an Auto Scaling group',
      { 'aws:cloudformation:stack-id': STACK_ID, 'aws:autoscaling:groupName': 'web' },
      null,
      SERVICE,
      'cloudFormation',
    ],
    ['the EC2 Fleet tag', { 'aws:ec2:fleet-id': 'fleet-0a1b2c3d4e5f60718' }, null, UNKNOWN_ACTOR, 'ec2Fleet'],
    ['the Spot Fleet tag', { 'aws:ec2spot:fleet-request-id': 'sfr-1' }, null, UNKNOWN_ACTOR, 'spotFleet'],
    ['a spot instance request', {}, 'sir-abcd1234', UNKNOWN_ACTOR, 'spotInstances'],
    ['Auto Scaling by its service-linked role', { 'aws:autoscaling:groupName': 'web' }, null, SERVICE, 'autoScaling'],
    ['nothing else: direct', { Name: 'web' }, null, user('alice'), 'direct'],
  ] as const)('%s', (_name, instanceTags, spotInstanceRequestId, launcher, kind) => {
    expect(launchOriginOf({ launcher, instanceTags, spotInstanceRequestId }).kind).toBe(kind);
  });
});

describe('launchRequestSearchOf', () => {
  it("matches CreateStack by this stack's id only, UpdateStack by its name or id", () => {
    // Prepare
    const search = launchRequestSearchOf(STACK);
    const otherStack = STACK_ID.replace('4f6c1e20', '0000aaaa');

    // Assess
    expect(search?.eventNames).toEqual(['CreateStack', 'UpdateStack']);
    expect(search?.matches('CreateStack', { responseElements: { stackId: STACK_ID } })).toBe(true);
    expect(
      search?.matches('CreateStack', {
        requestParameters: { stackName: 'web' },
        responseElements: { stackId: otherStack },
      }),
    ).toBe(false);
    expect(search?.matches('UpdateStack', { requestParameters: { stackName: 'web' } })).toBe(true);
    expect(search?.matches('UpdateStack', { requestParameters: { stackName: 'api' } })).toBe(false);
    expect(stackNameOf(STACK_ID)).toBe('web');
  });

  it('matches a fleet or spot request by its id wherever the response names it', () => {
    // Prepare
    const fleet = launchRequestSearchOf({ kind: 'ec2Fleet', fleetId: 'fleet-1' });
    const spot = launchRequestSearchOf({ kind: 'spotInstances', spotInstanceRequestId: 'sir-1' });

    // Assess
    expect(fleet?.matches('CreateFleet', { responseElements: { CreateFleetResponse: { fleetId: 'fleet-1' } } })).toBe(
      true,
    );
    expect(fleet?.matches('CreateFleet', { responseElements: { CreateFleetResponse: { fleetId: 'fleet-2' } } })).toBe(
      false,
    );
    expect(
      spot?.matches('RequestSpotInstances', {
        responseElements: { spotInstanceRequestSet: { items: [{ spotInstanceRequestId: 'sir-1' }] } },
      }),
    ).toBe(true);
    expect(launchRequestSearchOf({ kind: 'direct' })).toBeNull();
  });
});
