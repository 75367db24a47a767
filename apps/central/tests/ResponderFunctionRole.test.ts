import { App, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ResponderFunctionRole } from '../src/constructs/ResponderFunctionRole';
import { UnscopedCentralActionError } from '../src/index';

describe('ResponderFunctionRole', () => {
  it('refuses an engine action that has no scope, naming it and the file to edit', () => {
    // Act
    const build = () => {
      const stack = new Stack(new App(), 'Role');
      return new ResponderFunctionRole(stack, 'Role', {
        roleName: 'R',
        organizationId: 'o-abcdefghij',
        responderRoleName: 'CryptominerResponderRole',
        reportObjectsArn: 'arn:aws:s3:::b/incidents/*',
        alertTopicArn: 'arn:aws:sns:us-east-1:111111111111:t',
        chatAlertTopicArn: 'arn:aws:sns:us-east-1:111111111111:chat',
        queue: new Queue(stack, 'Q'),
        logGroup: new LogGroup(stack, 'L'),
        key: new Key(stack, 'K'),
        engineActions: ['sts:AssumeRole', 's3:DeleteObject'],
      });
    };

    // Assess
    expect(build).toThrow(UnscopedCentralActionError);
    expect(build).toThrow(/s3:DeleteObject.*centralActionScopes\.ts/);
  });
});
