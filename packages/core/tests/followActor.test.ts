import { describe, expect, it } from 'vitest';
import {
  type FollowedInstance,
  followedPrincipalOf,
  launchedFleetIds,
  launchedInstanceIds,
  maximumReachedReason,
  planLinkedInstances,
} from '../src/attribution/followActor';
import { followedInstanceFindingsOf } from '../src/attribution/linkedInstanceFinding';
import type { FreezeDecision } from '../src/attribution/whomToFreeze';
import { buildIncidentReport, EMPTY_UNDO } from '../src/buildIncidentReport';
import { type Actor, UNKNOWN_ACTOR } from '../src/classifyActor';
import { expectValidReport } from './expectValidReport';

const ACCOUNT = '111122223333';
const PROTECTION = { responderRoleName: 'CryptominerResponderRole', patterns: ['arn:aws:iam::*:role/BreakGlass*'] };

function user(name: string, accessKeyId: string | null = 'AKIAIOSFODNN7EXAMPLE'): Actor {
  const arn = `arn:aws:iam::${ACCOUNT}:user/${name}`;
  return { ...UNKNOWN_ACTOR, type: 'IAMUser', arn, principalArn: arn, accessKeyId };
}

function roleSession(role: string, session: string, accessKeyId: string | null = 'ASIAIOSFODNN7EXAMPLE'): Actor {
  return {
    ...UNKNOWN_ACTOR,
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    principalArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
    accessKeyId,
  };
}

const freeze = (actor: Actor): FreezeDecision => ({ kind: 'freeze', actor, reason: 'launched it' });

describe('whom the response follows across the regions', () => {
  it.each<[string, FreezeDecision, ReturnType<typeof followedPrincipalOf>]>([
    [
      'a user, by user name (every key and the console)',
      freeze(user('alice')),
      {
        attribute: { AttributeKey: 'Username', AttributeValue: 'alice' },
        principalArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      },
    ],
    [
      'a role session, by the access key it launched with',
      freeze(roleSession('Deployer', 'bob')),
      {
        attribute: { AttributeKey: 'AccessKeyId', AttributeValue: 'ASIAIOSFODNN7EXAMPLE' },
        principalArn: `arn:aws:iam::${ACCOUNT}:role/Deployer`,
      },
    ],
    ['a role session whose key is unknown: nobody', freeze(roleSession('Deployer', 'bob', null)), null],
    ["an instance's role session: nobody", freeze(roleSession('AppRole', 'i-0123456789abcdef0')), null],
    ['a protected role: nobody', freeze(roleSession('BreakGlassAdmin', 'carol')), null],
    ['a decision that freezes nobody: nobody', { kind: 'freeze-nobody', reason: 'old launch' }, null],
    [
      'a launching instance contained instead: nobody',
      {
        kind: 'contain-launching-instance',
        instanceId: 'i-0123456789abcdef0',
        actor: roleSession('AppRole', 'i-0123456789abcdef0'),
        reason: 'shared role',
      },
      null,
    ],
  ])('%s', (_case, decision, expected) => {
    // Act / Assess
    expect(followedPrincipalOf(decision, PROTECTION)).toEqual(expected);
  });
});

describe('the instances a launch call started', () => {
  it.each([
    [
      'RunInstances',
      {
        responseElements: {
          instancesSet: {
            items: [
              { instanceId: 'i-0aaa1111bbbb2222c', imageId: 'ami-760aaa0f', subnetId: 'subnet-0b2fbf6da06d9ba4b' },
              { instanceId: 'i-0aaa1111bbbb2222d' },
            ],
          },
        },
      },
      ['i-0aaa1111bbbb2222c', 'i-0aaa1111bbbb2222d'],
    ],
    [
      'an instant CreateFleet',
      {
        responseElements: {
          CreateFleetResponse: {
            fleetId: 'fleet-0a1b2c3d4e5f60718',
            fleetInstanceSet: { item: [{ instanceIds: { item: ['i-0ccc3333dddd4444e'] } }] },
          },
        },
      },
      ['i-0ccc3333dddd4444e'],
    ],
    [
      'a spot request not yet fulfilled',
      { responseElements: { spotInstanceRequestSet: { items: [{ spotInstanceRequestId: 'sir-1' }] } } },
      [],
    ],
    ['a failed call (no response)', { responseElements: null, errorCode: 'UnauthorizedOperation' }, []],
    [
      'an id in the request only',
      { requestParameters: { instanceId: 'i-0aaa1111bbbb2222c' }, responseElements: {} },
      [],
    ],
  ])('%s', (_case, record, expected) => {
    // Act / Assess
    expect(launchedInstanceIds(record)).toEqual(expected);
  });
});

describe('launchedFleetIds', () => {
  it.each([
    [
      'a maintain fleet (no instances in the answer)',
      { eventName: 'CreateFleet', responseElements: { CreateFleetResponse: { fleetId: 'fleet-0a1b2c3d4e5f60718' } } },
      ['fleet-0a1b2c3d4e5f60718'],
    ],
    [
      'a fleet id of the UUID form',
      {
        eventName: 'CreateFleet',
        responseElements: { CreateFleetResponse: { fleetId: 'fleet-73fdd2ce-7b29-4ca5-8b29-81b2b9e51e21' } },
      },
      ['fleet-73fdd2ce-7b29-4ca5-8b29-81b2b9e51e21'],
    ],
    ['another call naming a fleet', { eventName: 'DeleteFleets', responseElements: { fleetId: 'fleet-0a1b2c3d' } }, []],
    ['a value that is not a fleet id', { eventName: 'CreateFleet', responseElements: { fleetId: '*' } }, []],
    ['no answer (a failed call)', { eventName: 'CreateFleet', responseElements: null }, []],
  ])('%s', (_case, record, expected) => {
    // Act
    const found = launchedFleetIds(record);

    // Assess
    expect(found).toEqual(expected);
  });
});

function running(instanceId: string, launchedAt: string, region = 'eu-west-1'): FollowedInstance {
  return { instanceId, region, launchedAt, state: 'running' };
}

const FOUND = [
  running('i-0000000000000000a', '2026-12-01T10:00:00.000Z'),
  running('i-0000000000000000b', '2026-12-03T10:00:00.000Z', 'us-west-2'),
  running('i-0000000000000000c', '2026-12-02T10:00:00.000Z'),
];

describe('what the response does with each instance found', () => {
  it('contains the newest up to the maximum and lists the rest as not contained, for a person', () => {
    // Act
    const planned = planLinkedInstances(FOUND, { mode: 'full', maximum: 2 });

    // Assess
    expect(planned.map((instance) => [instance.instanceId, instance.action])).toEqual([
      ['i-0000000000000000b', 'contain'],
      ['i-0000000000000000c', 'contain'],
      ['i-0000000000000000a', 'not contained: maximum reached'],
    ]);
    expect(maximumReachedReason(planned)).toContain('i-0000000000000000a (eu-west-1)');
  });

  it("leaves an instance that another finding's incident holds to that incident, without counting it", () => {
    // Prepare: the newest one carries the incident tag of its own finding's response.
    const [newest, ...others] = [FOUND[1], FOUND[2], FOUND[0]] as FollowedInstance[];
    const held = { ...newest, answeredBy: 'f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5' } as FollowedInstance;

    // Act
    const planned = planLinkedInstances([held, ...others], { mode: 'full', maximum: 2 });
    const observed = planLinkedInstances([held], { mode: 'observe', maximum: 2 });

    // Assess
    expect(planned.map((instance) => [instance.instanceId, instance.action])).toEqual([
      ['i-0000000000000000b', 'answered by its own incident'],
      ['i-0000000000000000c', 'contain'],
      ['i-0000000000000000a', 'contain'],
    ]);
    expect(observed[0]?.action).toBe('answered by its own incident');
    expect(maximumReachedReason(planned)).toBeNull();
  });

  it('only lists them in observe mode, and asks a person nothing more for that', () => {
    // Act
    const planned = planLinkedInstances(FOUND, { mode: 'observe', maximum: 20 });

    // Assess
    expect(new Set(planned.map((instance) => instance.action))).toEqual(new Set(['listed: observe mode']));
    expect(maximumReachedReason(planned)).toBeNull();
  });

  it('makes a linked incident of each one to contain, in its own region, and shows the maximum in the report', () => {
    // Prepare
    const linkedInstances = planLinkedInstances(FOUND, { mode: 'full', maximum: 2 });
    const report = buildIncidentReport({
      finding: {
        findingId: '92c1a1d65b221e96d6a6fae27aaaae43',
        findingType: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
        severity: 8,
        accountId: ACCOUNT,
        region: 'us-east-1',
        partition: 'aws',
        resourceType: 'Instance',
        instanceId: 'i-00aa97663294ffbbd',
        sample: false,
      },
      disposition: 'responded',
      dispositionReason: null,
      actor: user('alice'),
      steps: [],
      undo: EMPTY_UNDO,
      timestamp: new Date('2026-12-04T10:00:00Z'),
      linkedInstances,
    });

    // Act
    const linked = followedInstanceFindingsOf(report);

    // Assess
    expectValidReport(report);
    expect(report.actor.accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(linked.map((finding) => [finding.findingId, finding.region, finding.instanceId])).toEqual([
      ['92c1a1d65b221e96d6a6fae27aaaae43/linked/i-0000000000000000b', 'us-west-2', 'i-0000000000000000b'],
      ['92c1a1d65b221e96d6a6fae27aaaae43/linked/i-0000000000000000c', 'eu-west-1', 'i-0000000000000000c'],
    ]);
    expect(report.manualInterventionReasons).toContainEqual(expect.stringContaining('MAX_FOLLOWED_INSTANCES'));
    expect(followedInstanceFindingsOf({ ...report, sample: true })).toEqual([]);
  });
});
