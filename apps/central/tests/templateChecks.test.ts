import { cfnLintFindings, nagViolations } from '@cryptominer-defense/testing/templates';
import { Stack } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildCentralApp } from '../src/index';
import { onlyResource, synthesizeCentralApp, TEST_SETTINGS } from './helpers/synthesizeCentralApp';

/** cfn-lint warnings accepted on purpose, each with its reason. */
const ACCEPTED_WARNINGS: Record<string, string> = {
  W3005: "CDK's Function adds DependsOn on its role, which the GetAtt already implies; harmless.",
};

const synthesized = synthesizeCentralApp();
const templates: [string, unknown][] = [
  [synthesized.stacks.central.stackName, synthesized.central.toJSON()],
  ...synthesized.stacks.forwarders.map((stack, index): [string, unknown] => [
    stack.stackName,
    synthesized.forwarders[index]?.toJSON(),
  ]),
  [synthesized.stacks.memberRole.stackName, synthesized.memberRole.toJSON()],
  [
    "the StackSet's template body",
    JSON.parse(onlyResource(synthesized.central, 'AWS::CloudFormation::StackSet').Properties.TemplateBody as string),
  ],
];

describe('checks on every template of the app', () => {
  it('leaves no cdk-nag AwsSolutions finding unacknowledged on any stack', () => {
    // Act
    const violations = nagViolations((app) => [...buildCentralApp(app, TEST_SETTINGS).all]);

    // Assess
    expect(violations).toEqual([]);
  });

  it('would report a finding (the check is live)', () => {
    // Act
    const violations = nagViolations((app) => {
      const stack = new Stack(app, 'Bad');
      new Queue(stack, 'Plain', { encryption: QueueEncryption.UNENCRYPTED });
      return [stack];
    });

    // Assess
    expect(violations.map((violation) => violation.rule)).toContain('AwsSolutions-SQS2');
  });

  it('lints every template: central, two forwarders, member role, StackSet body', () => {
    expect(templates.map(([name]) => name)).toEqual([
      'CryptominerCentral',
      'CryptominerForwarder-eu-west-1',
      'CryptominerForwarder-ap-southeast-2',
      'CryptominerMemberRole',
      "the StackSet's template body",
    ]);
  });

  it.each(templates)('passes cfn-lint without errors or unexplained warnings: %s', (_name, template) => {
    // Act
    const findings = cfnLintFindings(template);

    // Assess
    expect(findings.filter((finding) => finding.level === 'Error')).toEqual([]);
    expect(findings.filter((finding) => ACCEPTED_WARNINGS[finding.rule] === undefined)).toEqual([]);
  });
});
