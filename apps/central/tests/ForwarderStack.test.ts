import { cryptoMiningEventPattern } from '@cryptominer-defense/core';
import { describe, expect, it } from 'vitest';
import { onlyResource, synthesizeCentralApp } from './helpers/synthesizeCentralApp';

describe('the forwarder stacks', () => {
  const { stacks, forwarders } = synthesizeCentralApp();

  it('need no CDK bootstrap in their region (no assets, no bootstrap version check)', () => {
    for (const template of forwarders) {
      // The alarm topic's optional e-mail is its one parameter: no BootstrapVersion.
      expect(Object.keys(template.toJSON().Parameters ?? {})).toEqual(['AlertEmail']);
      expect(template.toJSON().Rules).toBeUndefined();
    }
  });

  it('exist once for each forwarded region, in that region', () => {
    expect(stacks.forwarders.map((stack) => [stack.stackName, stack.region])).toEqual([
      ['CryptominerForwarder-eu-west-1', 'eu-west-1'],
      ['CryptominerForwarder-ap-southeast-2', 'ap-southeast-2'],
    ]);
  });

  it('forward exactly the crypto-mining pattern to the home forwarding bus', () => {
    for (const template of forwarders) {
      // Prepare
      const rule = onlyResource(template, 'AWS::Events::Rule').Properties;

      // Assess
      expect(rule.EventPattern).toEqual(cryptoMiningEventPattern());
      expect(rule.EventBusName).toBeUndefined();
      expect(rule.Targets).toEqual([
        {
          Id: 'Target0',
          Arn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':events:us-east-1:',
                { Ref: 'AWS::AccountId' },
                ':event-bus/cryptominer-findings',
              ],
            ],
          },
          RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^ForwarderRole/), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^UndeliveredFindings/), 'Arn'] } },
        },
      ]);
      expect(rule.Name).toBe('CryptominerForwardFindings');
    }
  });

  it('keep what could not be forwarded in an encrypted dead-letter queue, alarmed at the first message', () => {
    for (const template of forwarders) {
      // Prepare
      const queue = onlyResource(template, 'AWS::SQS::Queue').Properties;
      const alarm = onlyResource(template, 'AWS::CloudWatch::Alarm').Properties;

      // Assess
      expect(queue).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
      expect(alarm).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('alarm to a topic of their own region, encrypted with a key CloudWatch may use for this account only', () => {
    for (const template of forwarders) {
      // Prepare
      const resources = template.toJSON().Resources as Record<string, { Type: string }>;
      const idOf = (type: string) => Object.entries(resources).find(([, resource]) => resource.Type === type)?.[0];
      const alarm = onlyResource(template, 'AWS::CloudWatch::Alarm').Properties;
      const topic = onlyResource(template, 'AWS::SNS::Topic').Properties;
      const key = onlyResource(template, 'AWS::KMS::Key').Properties as {
        EnableKeyRotation: boolean;
        KeyPolicy: { Statement: { Sid?: string; Principal?: unknown; Condition?: unknown }[] };
      };
      const topicPolicy = onlyResource(template, 'AWS::SNS::TopicPolicy').Properties as {
        PolicyDocument: { Statement: { Sid?: string; Effect: string; Principal?: unknown }[] };
      };

      // Assess
      expect(alarm.AlarmActions).toEqual([{ Ref: idOf('AWS::SNS::Topic') }]);
      expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [idOf('AWS::KMS::Key'), 'Arn'] });
      expect(key.EnableKeyRotation).toBe(true);
      const forCloudWatch = key.KeyPolicy.Statement.find(
        (statement) => statement.Sid === 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
      );
      expect(forCloudWatch?.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
      expect(JSON.stringify(forCloudWatch?.Condition)).toContain('aws:SourceAccount');
      expect(JSON.stringify(forCloudWatch?.Condition)).toContain(':alarm:*');
      expect(topicPolicy.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
        }),
      );
    }
  });

  it('use a role per region that may only put events on the home forwarding bus', () => {
    for (const [index, template] of forwarders.entries()) {
      // Prepare
      const role = onlyResource(template, 'AWS::IAM::Role').Properties;
      const region = stacks.forwarders[index]?.region;

      // Assess
      expect(role.RoleName).toBe(`CryptominerFindingForwarder-${region}`);
      expect(role.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'events.amazonaws.com' },
            // Only this account's forwarding rule may have EventBridge assume it.
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      `:events:${region}:`,
                      { Ref: 'AWS::AccountId' },
                      ':rule/CryptominerForwardFindings',
                    ],
                  ],
                },
              },
            },
          },
        ],
      });
      const policies = role.Policies as { PolicyDocument: { Statement: { Action: string; Effect: string }[] } }[];
      expect(policies.flatMap((policy) => policy.PolicyDocument.Statement.map((s) => [s.Effect, s.Action]))).toEqual([
        ['Allow', 'events:PutEvents'],
      ]);
      expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    }
  });
});
