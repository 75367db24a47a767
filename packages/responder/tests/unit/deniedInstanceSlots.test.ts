import {
  DescribeIamInstanceProfileAssociationsCommand,
  DisassociateIamInstanceProfileCommand,
  EC2Client,
  ModifyInstanceMetadataOptionsCommand,
} from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  GetInstanceProfileCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRoleTagsCommand,
  type Tag,
  TagRoleCommand,
  type TagRoleCommandInput,
} from '@aws-sdk/client-iam';
import { DENIED_INSTANCE_TAG_KEYS } from '@cryptominer-defense/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fillDeniedInstanceSlot } from '../../src/steps/fillDeniedInstanceSlot';
import type { InstanceFacts } from '../../src/steps/inspectInstance';
import { revokeInstanceCredentials } from '../../src/steps/revokeInstanceCredentials';
import { awsError } from '../support/awsError';

// What the emulator cannot do: evaluate IAM's refusal of a taken slot, or answer two writers in one container in
// the order a race needs. The role's tags are kept here as IAM would keep them.
const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const clients = { ec2: new EC2Client({ region: 'us-east-1' }), iam: new IAMClient({ region: 'us-east-1' }) };
const ARN = (id: string) => `arn:aws:ec2:us-east-1:111122223333:instance/${id}`;
let roleTags: Tag[] = [];

function answerAsIam(): void {
  iam.on(ListRoleTagsCommand).callsFake(async () => ({ Tags: [...roleTags] }));
  iam.on(TagRoleCommand).callsFake(async (input: TagRoleCommandInput) => {
    roleTags = [...roleTags.filter((tag) => !input.Tags?.some((each) => each.Key === tag.Key)), ...(input.Tags ?? [])];
    return {};
  });
}

beforeEach(() => {
  roleTags = [];
  ec2.reset();
  iam.reset();
  answerAsIam();
});

afterEach(() => {
  ec2.reset();
  iam.reset();
});

describe('the denied-instance slots of a role', () => {
  it('give two instances of one role answered at once in one container a slot each', async () => {
    // Act
    const [first, second] = await Promise.all([
      fillDeniedInstanceSlot(clients.iam, 'AppRole', ARN('i-0aaaaaaaaaaaaaaa1')),
      fillDeniedInstanceSlot(clients.iam, 'AppRole', ARN('i-0aaaaaaaaaaaaaaa2')),
    ]);

    // Assess
    expect([first.tagKey, second.tagKey]).toEqual([DENIED_INSTANCE_TAG_KEYS[0], DENIED_INSTANCE_TAG_KEYS[1]]);
    expect(roleTags).toEqual([
      { Key: DENIED_INSTANCE_TAG_KEYS[0], Value: ARN('i-0aaaaaaaaaaaaaaa1') },
      { Key: DENIED_INSTANCE_TAG_KEYS[1], Value: ARN('i-0aaaaaaaaaaaaaaa2') },
    ]);
  });

  it('read the tags again once when IAM refuses a slot another container took meanwhile, and take the next', async () => {
    // Prepare: the first write finds slot 1 taken (by another container, after the read).
    let refused = false;
    iam.on(TagRoleCommand).callsFake(async (input: TagRoleCommandInput) => {
      if (!refused) {
        refused = true;
        roleTags = [{ Key: DENIED_INSTANCE_TAG_KEYS[0], Value: ARN('i-0other0000000000') }];
        throw awsError('AccessDenied');
      }
      roleTags = [...roleTags, ...(input.Tags ?? [])];
      return {};
    });

    // Act
    const slot = await fillDeniedInstanceSlot(clients.iam, 'AppRole', ARN('i-0aaaaaaaaaaaaaaa1'));

    // Assess
    expect(slot).toMatchObject({ tagKey: DENIED_INSTANCE_TAG_KEYS[1], record: { status: 'succeeded' } });
    expect(iam.commandCalls(TagRoleCommand)).toHaveLength(2);
    expect(roleTags[0]).toEqual({ Key: DENIED_INSTANCE_TAG_KEYS[0], Value: ARN('i-0other0000000000') });
  });

  it('record a refusal that persists as failed, without a third try', async () => {
    // Prepare
    iam.on(TagRoleCommand).rejects(awsError('AccessDenied'));

    // Act
    const slot = await fillDeniedInstanceSlot(clients.iam, 'AppRole', ARN('i-0aaaaaaaaaaaaaaa1'));

    // Assess
    expect(slot).toMatchObject({ tagKey: null, record: { status: 'failed', errorCode: 'AccessDenied' } });
    expect(iam.commandCalls(TagRoleCommand)).toHaveLength(2);
  });
});

describe("the instance's credentials on a protected role", () => {
  it('are left for a person: no tag, no policy; the profile and the metadata service are still cut', async () => {
    // Prepare
    const instance = {
      instanceId: 'i-0aaaaaaaaaaaaaaa1',
      instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/admin',
      metadataOptions: null,
    } as unknown as InstanceFacts;
    iam.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: {
        InstanceProfileName: 'admin',
        InstanceProfileId: 'AIPA1',
        Arn: instance.instanceProfileArn ?? '',
        Path: '/',
        CreateDate: new Date(),
        Roles: [
          {
            RoleName: 'BreakGlass',
            Arn: 'arn:aws:iam::111122223333:role/BreakGlass',
            RoleId: 'AROA1',
            Path: '/',
            CreateDate: new Date(),
          },
        ],
      },
    });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
      IamInstanceProfileAssociations: [{ AssociationId: 'iip-assoc-1', InstanceId: instance.instanceId }],
    });
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    ec2.on(ModifyInstanceMetadataOptionsCommand).resolves({});

    // Act
    const result = await revokeInstanceCredentials(clients.ec2, clients.iam, instance, {
      partition: 'aws',
      region: 'us-east-1',
      accountId: '111122223333',
      protection: { responderRoleName: 'CryptominerResponderRole', patterns: ['arn:aws:iam::*:role/BreakGlass'] },
    });

    // Assess
    expect(iam.commandCalls(TagRoleCommand)).toHaveLength(0);
    expect(iam.commandCalls(AttachRolePolicyCommand)).toHaveLength(0);
    expect(result.records.map((record) => [record.action, record.status])).toEqual([
      ['nameInstanceInRoleTag', 'skipped'],
      ['disassociateInstanceProfile', 'succeeded'],
      ['disableInstanceMetadata', 'succeeded'],
    ]);
    expect(result.undo).toMatchObject({
      deniedInstanceTagKey: null,
      denyPolicyAttached: false,
      metadataDisabled: true,
    });
  });
});
