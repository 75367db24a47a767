import { describe, expect, it } from 'vitest';
import { classifyActor, UNKNOWN_ACTOR } from '../src/classifyActor';
import { readFixture } from './fixtures';

function lookupEventsRecord(): unknown {
  const response = readFixture('ct_LookupEvents_response_AssumedRole_ConsoleLogin_aws-cli-docs.json') as {
    Events: { CloudTrailEvent: string }[];
  };
  const [event] = response.Events;
  return JSON.parse(event?.CloudTrailEvent ?? 'null');
}

describe('classifyActor', () => {
  it('reads an IAM user with its ARN, source IP and user agent', () => {
    // Prepare
    const record = readFixture('ct_RunInstances_IAMUser_awscli_elastic-integrations.json');

    // Act
    const actor = classifyActor(record);

    // Assess
    expect(actor).toMatchObject({
      type: 'IAMUser',
      arn: 'arn:aws:iam::1010101010101:user/testcloudtrail@elastic.co',
      principalArn: 'arn:aws:iam::1010101010101:user/testcloudtrail@elastic.co',
      sourceIp: '216.160.83.56',
      userAgent: expect.stringMatching(/^aws-cli\/2\.14\.5/),
      eventId: '5e1fb8e0-231d-4527-a146-d051e37d0d4f',
    });
  });

  it('reads an assumed role, naming the role (not the session) as the principal to freeze', () => {
    // Act
    const actor = classifyActor(lookupEventsRecord());

    // Assess
    expect(actor).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/my-role/my-session-name',
      principalArn: 'arn:aws:iam::123456789012:role/my-role',
      sourceIp: '72.21.198.70',
    });
  });

  it('derives the role from the session ARN when the session issuer is missing', () => {
    // Prepare
    const record = {
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws-cn:sts::123456789012:assumed-role/Builder/ci' },
    };

    // Act
    const actor = classifyActor(record);

    // Assess
    expect(actor.principalArn).toBe('arn:aws-cn:iam::123456789012:role/Builder');
  });

  it("classifies Auto Scaling's service-linked role as an AWS service, not as the attacker", () => {
    // Prepare
    const record = readFixture('ct_RunInstances_AssumedRole_AWSServiceRoleForAutoScaling_classicASG_2026.json');

    // Act
    const actor = classifyActor(record);

    // Assess
    expect(actor).toMatchObject({
      type: 'AWSService',
      identityType: 'AssumedRole',
      invokedBy: 'autoscaling.amazonaws.com',
      principalArn:
        'arn:aws:iam::654654478122:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    });
  });

  it('reads root', () => {
    // Prepare
    const trail = readFixture('ct_TerminateInstances_Root_awsdocs-ec2-user-guide.json') as { Records: unknown[] };

    // Act
    const actor = classifyActor(trail.Records[0]);

    // Assess
    expect(actor).toMatchObject({ type: 'Root', arn: 'arn:aws:iam::123456789012:root', sourceIp: '198.51.100.1' });
  });

  it('reads an AWSService identity', () => {
    // Prepare
    const record = { userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } };

    // Act / Assess
    expect(classifyActor(record)).toMatchObject({ type: 'AWSService', invokedBy: 'ec2.amazonaws.com' });
  });

  it.each([
    [
      'a federated user',
      { userIdentity: { type: 'FederatedUser', arn: 'arn:aws:sts::123456789012:federated-user/bob' } },
    ],
    ['no identity', { eventName: 'RunInstances' }],
    ['not an object', 'RunInstances'],
    ['a malformed identity', { userIdentity: { type: 42 } }],
  ])('returns an Unknown actor for %s, never an error', (_case, record) => {
    // Act
    const actor = classifyActor(record);

    // Assess
    expect(actor.type).toBe('Unknown');
    expect(actor.principalArn).toBeNull();
  });

  it('keeps the CloudTrail identity type of an unknown actor for a person to read', () => {
    // Act
    const actor = classifyActor({ userIdentity: { type: 'FederatedUser' } });

    // Assess
    expect(actor).toEqual({ ...UNKNOWN_ACTOR, identityType: 'FederatedUser' });
  });
});
