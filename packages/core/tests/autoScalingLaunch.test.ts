import { describe, expect, it } from 'vitest';
import { autoScalingLaunchSource, isAutoScalingLaunch, latestChangeByPerson } from '../src/autoScalingLaunch';
import { classifyActor } from '../src/classifyActor';
import { readFixture } from './fixtures';

const autoScalingRunInstances = readFixture(
  'ct_RunInstances_AssumedRole_AWSServiceRoleForAutoScaling_classicASG_2026.json',
);

function change(eventName: string, eventTime: string, identity: Record<string, unknown>, resourceName: string) {
  return {
    record: { eventName, eventTime, eventID: `${eventName}-${eventTime}`, userIdentity: identity },
    resourceName,
  };
}

const alice = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' };
const deployRole = {
  type: 'AssumedRole',
  arn: 'arn:aws:sts::111122223333:assumed-role/Deploy/ci',
  sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/Deploy' } },
};
const service = { type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' };

describe('following an Auto Scaling launch to a person', () => {
  it('recognises the service-linked role launching, and reads the group and template from the real record', () => {
    // Act
    const actor = classifyActor(autoScalingRunInstances);
    const source = autoScalingLaunchSource(autoScalingRunInstances);

    // Assess
    expect(isAutoScalingLaunch(actor)).toBe(true);
    expect(isAutoScalingLaunch(classifyActor({ userIdentity: alice }))).toBe(false);
    expect(source).toEqual({
      autoScalingGroupName: 'practica-asg-santiagorojas',
      launchTemplateId: 'lt-03a70e6a9f2f6657d',
    });
  });

  it('picks the most recent change made by a person, and says which', () => {
    // Prepare
    const changes = [
      change('CreateAutoScalingGroup', '2026-11-01T10:00:00Z', alice, 'web'),
      change('CreateLaunchTemplateVersion', '2026-11-20T10:00:00Z', deployRole, 'lt-1'),
      change('UpdateAutoScalingGroup', '2026-11-21T10:00:00Z', service, 'web'),
    ];

    // Act
    const person = latestChangeByPerson(changes);

    // Assess
    expect(person?.actor).toMatchObject({ type: 'AssumedRole', principalArn: 'arn:aws:iam::111122223333:role/Deploy' });
    expect(person?.link).toEqual({
      eventName: 'CreateLaunchTemplateVersion',
      eventId: 'CreateLaunchTemplateVersion-2026-11-20T10:00:00Z',
      eventTime: '2026-11-20T10:00:00Z',
      actorArn: 'arn:aws:sts::111122223333:assumed-role/Deploy/ci',
      resourceName: 'lt-1',
    });
  });

  it('finds nobody when only services changed the group', () => {
    // Act / Assess
    expect(latestChangeByPerson([change('UpdateAutoScalingGroup', '2026-11-21T10:00:00Z', service, 'web')])).toBeNull();
    expect(autoScalingLaunchSource('not a record')).toEqual({ autoScalingGroupName: null, launchTemplateId: null });
  });
});
