import { describe, expect, it } from 'vitest';
import { authorizedRequestsOf } from '../../src/recording/authorizedRequestsOf';
import type { RecordedAwsCall } from '../../src/recording/awsActionRecorder';

const MEMBER = '222222222222';
const SETTING = {
  defaultAccountId: '111111111111',
  organizationId: 'o-a1b2c3d4e5',
  managementAccountId: '333333333333',
  bucketKeys: { reports: 'arn:aws:kms:us-east-1:111111111111:key/k' },
};

function call(action: string, input: Record<string, unknown>, accountId: string | undefined = MEMBER): RecordedAwsCall {
  const [service = '', operation = ''] = action.split(':');
  return {
    action,
    clientName: `${service}Client`,
    commandName: `${operation}Command`,
    ...(accountId === undefined ? {} : { accountId }),
    region: 'eu-west-1',
    outcome: 'ok',
    input,
  };
}

describe('authorizedRequestsOf', () => {
  it('names the resources of a call in its own account and region, over TLS', () => {
    // Act
    const requests = authorizedRequestsOf(
      call('ec2:ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: 'eni-1', Groups: ['sg-1', 'sg-2'] }),
      SETTING,
    );

    // Assess
    expect(requests.map((request) => [request.resource, request.context['aws:SecureTransport']])).toEqual([
      [`arn:aws:ec2:eu-west-1:${MEMBER}:network-interface/eni-1`, 'true'],
      [`arn:aws:ec2:eu-west-1:${MEMBER}:security-group/sg-1`, 'true'],
      [`arn:aws:ec2:eu-west-1:${MEMBER}:security-group/sg-2`, 'true'],
    ]);
  });

  it('authorizes a network ACL entry on its ACL only, and the ACL read on any resource', () => {
    // Act
    const entry = { NetworkAclId: 'acl-1', RuleNumber: 99, Egress: true, RuleAction: 'deny', CidrBlock: '10.0.0.5/32' };
    const created = authorizedRequestsOf(call('ec2:CreateNetworkAclEntry', entry), SETTING);
    const deleted = authorizedRequestsOf(call('ec2:DeleteNetworkAclEntry', entry), SETTING);
    const read = authorizedRequestsOf(call('ec2:DescribeNetworkAcls', { NetworkAclIds: ['acl-1'] }), SETTING);

    // Assess
    for (const requests of [created, deleted]) {
      expect(requests.map((request) => request.resource)).toEqual([
        `arn:aws:ec2:eu-west-1:${MEMBER}:network-acl/acl-1`,
      ]);
    }
    expect(read.map((request) => request.resource)).toEqual(['*']);
  });

  it('carries the request tags of TagSpecifications and the CreateTags AWS authorizes for them', () => {
    // Act
    const requests = authorizedRequestsOf(
      call('ec2:CreateSecurityGroup', {
        VpcId: 'vpc-1',
        GroupName: 'CryptominerIsolationGroup',
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'purpose', Value: 'isolation' }] }],
      }),
      SETTING,
    );

    // Assess
    expect(requests.map((request) => request.action)).toEqual([
      'ec2:CreateSecurityGroup',
      'ec2:CreateSecurityGroup',
      'ec2:CreateTags',
    ]);
    expect(requests[2]?.context).toMatchObject({
      'aws:RequestTag/purpose': 'isolation',
      'aws:TagKeys': ['purpose'],
      'ec2:CreateAction': 'CreateSecurityGroup',
    });
    expect(requests[2]?.derived).toContain('implied: TagSpecifications');
  });

  it('reads ec2:Attribute, the S3 write headers and the KMS call S3 makes for the caller', () => {
    // Act
    const [attribute] = authorizedRequestsOf(
      call('ec2:ModifyInstanceAttribute', { InstanceId: 'i-1', DisableApiTermination: { Value: true } }),
      SETTING,
    );
    const written = authorizedRequestsOf(
      call(
        's3:PutObject',
        { Bucket: 'reports', Key: 'incidents/a.json', IfNoneMatch: '*', ServerSideEncryption: 'aws:kms' },
        undefined,
      ),
      SETTING,
    );

    // Assess
    expect(attribute?.context['ec2:Attribute']).toBe('disableApiTermination');
    expect(written.map((request) => [request.action, request.resource])).toEqual([
      ['s3:PutObject', 'arn:aws:s3:::reports/incidents/a.json'],
      ['kms:GenerateDataKey', 'arn:aws:kms:us-east-1:111111111111:key/k'],
    ]);
    expect(written[0]?.context).toMatchObject({
      's3:if-none-match': '*',
      's3:x-amz-server-side-encryption': 'aws:kms',
    });
    expect(written[1]?.context['kms:ViaService']).toBe('s3.eu-west-1.amazonaws.com');
  });

  it('implies sts:SetSourceIdentity when AssumeRole sets a source identity', () => {
    // Act
    const requests = authorizedRequestsOf(
      call(
        'sts:AssumeRole',
        { RoleArn: `arn:aws:iam::${MEMBER}:role/R`, RoleSessionName: 'finding-1', SourceIdentity: 'finding-1' },
        undefined,
      ),
      SETTING,
    );

    // Assess
    expect(requests.map((request) => request.action)).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity']);
    expect(requests[0]?.context).toMatchObject({
      'sts:RoleSessionName': 'finding-1',
      'sts:SourceIdentity': 'finding-1',
    });
  });

  it('refuses an action it has no entry for, so that a new call is not evaluated as something else', () => {
    expect(() => authorizedRequestsOf(call('ec2:TerminateInstances', { InstanceIds: ['i-1'] }), SETTING)).toThrow(
      /does not know ec2:TerminateInstances/,
    );
  });
});
