import {
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSubnetCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  ReplaceNetworkAclAssociationCommand,
} from '@aws-sdk/client-ec2';
import { guardDutyFindingEvent, launchInstance } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const region = 'us-east-1';

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function memberEc2() {
  const member = world.organization.member('workload-b');
  const clients = await world.clientsOf(member.accountId, region);
  return { member, ec2: clients.ec2, network: member.inRegion(region).primaryNetwork };
}

async function launched(ec2: EC2Client, subnetId: string, securityGroupId: string, name: string) {
  const { instanceId } = await launchInstance(ec2, { subnetId, securityGroupIds: [securityGroupId], name });
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const privateIp = described.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress;
  if (privateIp === undefined) throw new Error(`${instanceId} has no private IP`);
  return { instanceId, privateIp };
}

/** The entries of the subnet's network ACL, sorted, as plain data. */
async function aclOf(ec2: EC2Client, subnetId: string) {
  const answer = await ec2.send(
    new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
  );
  const acl = answer.NetworkAcls?.[0];
  const entries = (acl?.Entries ?? [])
    .map((entry) => ({
      ruleNumber: entry.RuleNumber,
      egress: entry.Egress,
      action: entry.RuleAction,
      cidr: entry.CidrBlock ?? entry.Ipv6CidrBlock,
      protocol: entry.Protocol,
    }))
    .sort((a, b) => Number(a.egress) - Number(b.egress) || (a.ruleNumber ?? 0) - (b.ruleNumber ?? 0));
  return { networkAclId: acl?.NetworkAclId ?? '', entries };
}

describe('the network ACL hard cut', () => {
  it('denies the instance /32 both ways below the allow, leaves the neighbour alone, and adds nothing when repeated', async () => {
    // Prepare: the target and a neighbour in the same subnet.
    const { member, ec2, network } = await memberEc2();
    const subnetId = network.subnetIds[1];
    const target = await launched(ec2, subnetId, network.securityGroupId, 'miner');
    const neighbour = await launched(ec2, subnetId, network.securityGroupId, 'neighbour');
    const before = await aclOf(ec2, subnetId);
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });
    const contain = { RESPONSE_POLICY: JSON.stringify({ default: 'contain', rules: [] }) };

    // Act
    const report = await world.readReport(reported(await world.createResponder(contain).handle(event)).key);
    const afterFirst = await aclOf(ec2, subnetId);
    await world.createResponder(contain).handle(event);
    const afterRepeat = await aclOf(ec2, subnetId);

    // Assess
    const added = afterFirst.entries.filter((entry) => !before.entries.some((old) => sameEntry(old, entry)));
    expect(added.map(({ egress, action, cidr, protocol }) => ({ egress, action, cidr, protocol }))).toEqual([
      { egress: false, action: 'deny', cidr: `${target.privateIp}/32`, protocol: '-1' },
      { egress: true, action: 'deny', cidr: `${target.privateIp}/32`, protocol: '-1' },
    ]);
    for (const entry of added) expect(entry.ruleNumber).toBe(99);
    expect(afterFirst.entries.some((entry) => entry.cidr === `${neighbour.privateIp}/32`)).toBe(false);
    expect(report.undo.networkAclEntries).toEqual(
      [false, true].map((egress) => ({
        networkAclId: afterFirst.networkAclId,
        ruleNumber: 99,
        egress,
        cidrBlock: `${target.privateIp}/32`,
        networkInterfaceId: expect.stringMatching(/^eni-/),
      })),
    );
    expect(report.steps.filter((record) => record.step === 'denyInNetworkAcls')).toMatchObject([
      { action: 'denyInbound', status: 'succeeded' },
      { action: 'denyOutbound', status: 'succeeded' },
    ]);
    expect(afterRepeat).toEqual(afterFirst);
  });

  it('records a failure for a person when no rule number is free below the first allow, and moves nothing', async () => {
    // Prepare: a subnet of its own whose ACL allows everything at rule 1, in both directions.
    const { member, ec2, network } = await memberEc2();
    const vpc = await ec2.send(new DescribeVpcsCommand({ VpcIds: [network.vpcId] }));
    const [a, b] = (vpc.Vpcs?.[0]?.CidrBlock ?? '').split('.');
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: network.vpcId, CidrBlock: `${a}.${b}.9.0/24` }));
    const subnetId = subnet.Subnet?.SubnetId ?? '';
    const acl = await ec2.send(new CreateNetworkAclCommand({ VpcId: network.vpcId }));
    const networkAclId = acl.NetworkAcl?.NetworkAclId ?? '';
    for (const egress of [false, true]) {
      await ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: networkAclId,
          RuleNumber: 1,
          Protocol: '-1',
          RuleAction: 'allow',
          Egress: egress,
          CidrBlock: '0.0.0.0/0',
        }),
      );
    }
    const association = (
      await ec2.send(
        new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
      )
    ).NetworkAcls?.[0]?.Associations?.find((candidate) => candidate.SubnetId === subnetId);
    await ec2.send(
      new ReplaceNetworkAclAssociationCommand({
        NetworkAclId: networkAclId,
        AssociationId: association?.NetworkAclAssociationId,
      }),
    );
    const target = await launched(ec2, subnetId, network.securityGroupId, 'miner-in-full-acl');
    const before = await aclOf(ec2, subnetId);

    // Act
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });
    const report = await world.readReport(reported(await world.createResponder().handle(event)).key);

    // Assess
    expect(before.networkAclId).toBe(networkAclId);
    expect(await aclOf(ec2, subnetId)).toEqual(before);
    expect(report.steps.filter((record) => record.step === 'denyInNetworkAcls')).toMatchObject([
      { action: 'denyInbound', status: 'failed', errorCode: 'NetworkAclHasNoFreeRuleNumber' },
      { action: 'denyOutbound', status: 'failed', errorCode: 'NetworkAclHasNoFreeRuleNumber' },
    ]);
    expect(report.undo.networkAclEntries).toEqual([]);
    expect(report.response.manualInterventionRequired).toBe(true);
  });
});

function sameEntry(a: { ruleNumber?: number; egress?: boolean }, b: { ruleNumber?: number; egress?: boolean }) {
  return a.ruleNumber === b.ruleNumber && a.egress === b.egress;
}
