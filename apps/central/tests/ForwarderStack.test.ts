import { cryptoMiningInstanceEventPattern } from '@cryptominer-defense/core';
import { describe, expect, it } from 'vitest';
import { onlyResource, synthesizeCentralApp } from './helpers/synthesizeCentralApp';

describe('the forwarder stacks', () => {
  const { stacks, forwarders } = synthesizeCentralApp();

  it('need no CDK bootstrap in their region (no assets, no bootstrap version check)', () => {
    for (const template of forwarders) {
      expect(template.toJSON().Parameters).toBeUndefined();
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
      expect(rule.EventPattern).toEqual(cryptoMiningInstanceEventPattern());
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
        },
      ]);
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
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'events.amazonaws.com' } }],
      });
      const policies = role.Policies as { PolicyDocument: { Statement: { Action: string; Effect: string }[] } }[];
      expect(policies.flatMap((policy) => policy.PolicyDocument.Statement.map((s) => [s.Effect, s.Action]))).toEqual([
        ['Allow', 'events:PutEvents'],
      ]);
      expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    }
  });
});
