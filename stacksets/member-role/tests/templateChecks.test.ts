import { cfnLintFindings, nagViolations } from '@cryptominer-defense/testing/templates';
import { Stack } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { MemberRoleStack, memberRoleTemplate } from '../src/index';

describe('checks on the member-role template', () => {
  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    // Act
    const violations = nagViolations((app) => [new MemberRoleStack(app, 'MemberRole')]);

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

  it('passes cfn-lint without an error or a warning', () => {
    // Act
    const findings = cfnLintFindings(memberRoleTemplate());

    // Assess
    expect(findings).toEqual([]);
  });

  it('would fail cfn-lint if broken (the check is live)', () => {
    // Prepare
    const broken = { Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { MaxSessionDuration: 60 } } } };

    // Act
    const findings = cfnLintFindings(broken);

    // Assess
    expect(findings.filter((finding) => finding.level === 'Error').length).toBeGreaterThan(0);
  });
});
