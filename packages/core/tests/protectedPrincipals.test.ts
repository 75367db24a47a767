import { describe, expect, it } from 'vitest';
import { parseIamPrincipalArn } from '../src/parseIamPrincipalArn';
import { protectedPrincipalReason } from '../src/protectedPrincipals';

const options = {
  responderRoleName: 'CryptominerResponderRole',
  patterns: ['arn:aws:iam::*:role/BreakGlass*', 'arn:aws:iam::111122223333:user/oncall'],
};

describe('protectedPrincipalReason', () => {
  it.each([
    [
      'arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
      /service-linked/,
    ],
    [
      'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef',
      /Identity Center/,
    ],
    ['arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef', /Identity Center/],
    ['arn:aws:iam::111122223333:role/CryptominerResponderRole', /responder's own/],
    ['arn:aws:iam::111122223333:role/cryptominerresponderrole', /responder's own/],
    ['arn:aws:iam::111122223333:role/OrganizationAccountAccessRole', /organization/],
    ['arn:aws:iam::111122223333:role/AWSControlTowerExecution', /Control Tower/],
    ['arn:aws:iam::111122223333:role/stacksets-exec-0123456789abcdef0123456789abcdef', /StackSet/],
    ['arn:aws:iam::111122223333:role/AWSCloudFormationStackSetExecutionRole', /StackSet/],
    ['arn:aws:iam::444455556666:role/BreakGlassAdmin', /operator \(arn:aws:iam::\*:role\/BreakGlass\*\)/],
    ['arn:aws:iam::111122223333:user/oncall', /operator/],
    ['arn:aws:iam::111122223333:user/ONCALL', /operator/],
  ])('protects %s', (arn, reason) => {
    // Act / Assess
    expect(protectedPrincipalReason(arn, options)).toMatch(reason);
  });

  it.each([
    'arn:aws:iam::111122223333:role/my-role',
    'arn:aws:iam::111122223333:user/attacker',
    'arn:aws:iam::111122223333:user/oncall-intern',
    'arn:aws:iam::111122223333:role/path/OrganizationAccountAccessRoleCopy',
    'arn:aws:iam::111122223333:role/NotBreakGlass',
    // Patterns match the whole ARN, path included: role/BreakGlass* does not cover role/team/BreakGlassAdmin.
    'arn:aws:iam::444455556666:role/team/BreakGlassAdmin',
  ])('does not protect %s', (arn) => {
    // Act / Assess
    expect(protectedPrincipalReason(arn, options)).toBeNull();
  });

  it('treats pattern characters other than * literally', () => {
    // Prepare
    const dotted = { responderRoleName: 'x', patterns: ['arn:aws:iam::111122223333:user/a.b'] };

    // Act / Assess
    expect(protectedPrincipalReason('arn:aws:iam::111122223333:user/aXb', dotted)).toBeNull();
    expect(protectedPrincipalReason('arn:aws:iam::111122223333:user/a.b', dotted)).not.toBeNull();
  });
});

describe('parseIamPrincipalArn', () => {
  it.each([
    ['arn:aws:iam::111122223333:user/attacker', { kind: 'user', path: '/', name: 'attacker' }],
    [
      'arn:aws-cn:iam::111122223333:role/team/ci/Builder',
      { partition: 'aws-cn', kind: 'role', path: '/team/ci/', name: 'Builder' },
    ],
  ])('reads %s', (arn, expected) => {
    // Act / Assess
    expect(parseIamPrincipalArn(arn)).toMatchObject(expected);
  });

  it.each(['arn:aws:iam::111122223333:root', 'arn:aws:sts::111122223333:assumed-role/R/s', 'not an arn'])(
    'returns null for %s',
    (arn) => {
      // Act / Assess
      expect(parseIamPrincipalArn(arn)).toBeNull();
    },
  );
});
