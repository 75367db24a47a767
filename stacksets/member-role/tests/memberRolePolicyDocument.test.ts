import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { MEMBER_ACTION_SCOPES, memberRolePolicyDocument, UnscopedActionError } from '../src/index';

describe('memberRolePolicyDocument', () => {
  it('refuses an engine action that has no resource scope, naming it and the file to edit', () => {
    // Prepare
    const actions = ['ec2:StopInstances', 'ec2:TerminateInstances'];

    // Act
    const build = () => memberRolePolicyDocument('CryptominerResponderRole', actions);

    // Assess
    expect(build).toThrow(UnscopedActionError);
    expect(build).toThrow(/ec2:TerminateInstances.*memberActionScopes\.ts/);
  });

  it('grants only the actions it is given, grouped by scope', () => {
    // Prepare
    const stack = new Stack(new App(), 'Policy');

    // Act
    const document = stack.resolve(
      memberRolePolicyDocument('CryptominerResponderRole', [
        'ec2:StopInstances',
        'iam:ListAttachedRolePolicies',
      ]).toJSON(),
    );

    // Assess
    const sids = document.Statement.map((statement: { Sid: string; Effect: string }) => [
      statement.Sid,
      statement.Effect,
    ]);
    // ListAttachedRolePolicies only reads: no Deny statement is needed for it.
    expect(sids).toEqual([
      ['StopInstances', 'Allow'],
      ['ReadRoles', 'Allow'],
    ]);
  });

  it('gives every scope a reason a reviewer can read', () => {
    for (const [action, scope] of Object.entries(MEMBER_ACTION_SCOPES)) {
      expect(scope.reason.length, action).toBeGreaterThan(20);
    }
  });
});
