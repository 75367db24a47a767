import { describe, expect, it } from 'vitest';
import { parseGuardDutyFindingEvent } from '../src/guardDutyFindingEvent';
import { instanceHintsOf, NO_INSTANCE_HINTS } from '../src/instanceHints';
import { simulatedInstanceFindingEvent } from '../src/simulatedFindingEvent';
import { realCryptoEvent } from './fixtures';

function findingWithInstanceDetails(instanceDetails: unknown) {
  const event = realCryptoEvent();
  const detail = event.detail as { resource: object };
  return parseGuardDutyFindingEvent({
    ...event,
    detail: { ...detail, resource: { ...detail.resource, instanceDetails } },
  }).detail;
}

describe('instanceHintsOf', () => {
  it('reads the VPCs of every ENI (once each) and the Auto Scaling group tag', () => {
    // Prepare
    const event = simulatedInstanceFindingEvent({
      accountId: '111122223333',
      region: 'us-east-1',
      instanceId: 'i-0123456789abcdef0',
      networkInterfaces: [
        { networkInterfaceId: 'eni-0a', vpcId: 'vpc-0123456789abcdef0' },
        { networkInterfaceId: 'eni-0b', vpcId: 'vpc-0123456789abcdef0' },
        { networkInterfaceId: 'eni-0c', vpcId: 'vpc-0fedcba9' },
      ],
      tags: { Name: 'web', 'aws:autoscaling:groupName': 'web-asg' },
    });

    // Act
    const hints = instanceHintsOf(parseGuardDutyFindingEvent(event).detail);

    // Assess
    expect(hints).toMatchObject({ vpcIds: ['vpc-0123456789abcdef0', 'vpc-0fedcba9'], autoScalingGroupName: 'web-asg' });
  });

  it('gives no hint for the real finding without the group tag', () => {
    // Act
    const hints = instanceHintsOf(parseGuardDutyFindingEvent(realCryptoEvent()).detail);

    // Assess
    expect(hints).toEqual({
      vpcIds: ['vpc-dd59d8a0'],
      autoScalingGroupName: null,
      launchTime: '2026-11-26T10:00:00Z',
      firstSeen: '2026-11-26T10:00:00Z',
    });
  });

  it.each([
    ['no instance details', null],
    ['tags not a list', { instanceId: 'i-0123456789abcdef0', tags: { 'aws:autoscaling:groupName': 'x' } }],
    [
      'a VPC id that is not one, and an empty group name',
      {
        instanceId: 'i-0123456789abcdef0',
        networkInterfaces: [{ vpcId: 'vpc-; DROP' }, {}],
        tags: [{ key: 'aws:autoscaling:groupName', value: '' }, 'tag'],
      },
    ],
    [
      'more VPCs than an instance has',
      {
        instanceId: 'i-0123456789abcdef0',
        networkInterfaces: Array.from({ length: 9 }, (_, index) => ({ vpcId: `vpc-0000000${index}` })),
      },
    ],
  ])('gives no hint, and no error, for %s', (_case, instanceDetails) => {
    // Act
    const hints = instanceHintsOf(findingWithInstanceDetails(instanceDetails));

    // Assess: the finding's first sighting is still read (it is not in instanceDetails)
    expect(hints).toEqual({ ...NO_INSTANCE_HINTS, firstSeen: '2026-11-26T10:00:00Z' });
  });

  it("reads the instance's launch time and the first sighting of the activity, for the launch-age rule", () => {
    // Prepare
    const event = simulatedInstanceFindingEvent({
      accountId: '111122223333',
      region: 'us-east-1',
      instanceId: 'i-0123456789abcdef0',
      launchTime: new Date('2026-10-01T08:00:00Z'),
      eventTime: new Date('2026-12-01T09:30:00Z'),
    });

    // Act
    const hints = instanceHintsOf(parseGuardDutyFindingEvent(event).detail);

    // Assess
    expect(hints).toMatchObject({ launchTime: '2026-10-01T08:00:00.000Z', firstSeen: '2026-12-01T09:30:00.000Z' });
  });
});
