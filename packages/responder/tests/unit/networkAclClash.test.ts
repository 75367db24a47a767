import {
  CreateNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  EC2Client,
  type NetworkAclEntry,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { denyInNetworkAcls } from '../../src/steps/denyInNetworkAcls';
import type { InstanceFacts } from '../../src/steps/inspectInstance';
import { awsError } from '../support/awsError';

// Another response taking the number this one chose between its read and its write cannot be timed on the
// emulator (the spread makes it rare): the clash is answered here as EC2 answers it.
const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const ACL_ID = 'acl-0123456789abcdef0';
const SUBNET_ID = 'subnet-0123456789abcdef0';
const defaultEntries: NetworkAclEntry[] = [false, true].flatMap((egress) => [
  { RuleNumber: 100, RuleAction: 'allow', Egress: egress, Protocol: '-1', CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, RuleAction: 'deny', Egress: egress, Protocol: '-1', CidrBlock: '0.0.0.0/0' },
]);
const aclWith = (entries: NetworkAclEntry[]) => ({
  NetworkAclId: ACL_ID,
  Associations: [{ SubnetId: SUBNET_ID, NetworkAclId: ACL_ID }],
  Entries: entries,
});
const instance = {
  instanceId: 'i-0123456789abcdef0',
  networkInterfaces: [
    {
      networkInterfaceId: 'eni-0123456789abcdef0',
      vpcId: 'vpc-1',
      securityGroupIds: [],
      subnetId: SUBNET_ID,
      privateIpAddresses: ['10.0.0.8'],
      ipv6Addresses: [],
    },
  ],
} as unknown as InstanceFacts;

describe('a rule number taken by another writer between the read and the write', () => {
  it('is chosen again from a fresh read, and the report and undo name the number that was added', async () => {
    // Prepare: the first inbound write clashes; the fresh read shows another address at that number.
    const created: { RuleNumber?: number; Egress?: boolean }[] = [];
    let clashed: number | undefined;
    ec2.on(DescribeNetworkAclsCommand).callsFake((input: { NetworkAclIds?: string[] }) =>
      input.NetworkAclIds === undefined
        ? { NetworkAcls: [aclWith(defaultEntries)] }
        : {
            NetworkAcls: [
              aclWith([
                ...defaultEntries,
                { RuleNumber: clashed, RuleAction: 'deny', Egress: false, Protocol: '-1', CidrBlock: '10.0.0.9/32' },
              ]),
            ],
          },
    );
    ec2.on(CreateNetworkAclEntryCommand).callsFake((input: { RuleNumber?: number; Egress?: boolean }) => {
      if (!input.Egress && clashed === undefined) {
        clashed = input.RuleNumber;
        throw awsError('NetworkAclEntryAlreadyExists');
      }
      created.push(input);
      return {};
    });

    // Act
    const result = await denyInNetworkAcls(ec2 as unknown as EC2Client, instance);

    // Assess
    const inbound = created.find((entry) => !entry.Egress)?.RuleNumber;
    expect(clashed).toBeDefined();
    expect(inbound).toBeDefined();
    expect(inbound).not.toBe(clashed);
    expect(ec2.commandCalls(DescribeNetworkAclsCommand)).toHaveLength(2);
    expect(result.records.map(({ action, status }) => ({ action, status }))).toEqual([
      { action: 'denyOutbound', status: 'succeeded' },
      { action: 'denyInbound', status: 'succeeded' },
    ]);
    expect(result.undo.map(({ egress, ruleNumber }) => ({ egress, ruleNumber }))).toEqual([
      { egress: true, ruleNumber: created.find((entry) => entry.Egress)?.RuleNumber },
      { egress: false, ruleNumber: inbound },
    ]);
  });

  it('is recorded as failed with the AWS error code after the last attempt', async () => {
    // Prepare: every write clashes.
    ec2.on(DescribeNetworkAclsCommand).resolves({ NetworkAcls: [aclWith(defaultEntries)] });
    ec2.on(CreateNetworkAclEntryCommand).rejects(awsError('NetworkAclEntryAlreadyExists'));

    // Act
    const result = await denyInNetworkAcls(ec2 as unknown as EC2Client, instance);

    // Assess
    expect(result.undo).toEqual([]);
    expect(result.records.filter((record) => record.status === 'failed')).toMatchObject([
      { action: 'denyInbound', errorCode: 'NetworkAclEntryAlreadyExists' },
      { action: 'denyOutbound', errorCode: 'NetworkAclEntryAlreadyExists' },
    ]);
  });
});
