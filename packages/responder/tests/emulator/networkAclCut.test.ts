import {
  AssignIpv6AddressesCommand,
  AssignPrivateIpAddressesCommand,
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
import { SPREAD_WINDOW } from '../../src/steps/networkAclRuleNumbers';
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

/** A new subnet of the network with a network ACL of its own that allows everything at `allowAt`, both ways. */
async function subnetWithOwnAcl(ec2: EC2Client, vpcId: string, thirdOctet: number, allowAt: number) {
  const vpc = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
  const [a, b] = (vpc.Vpcs?.[0]?.CidrBlock ?? '').split('.');
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${a}.${b}.${thirdOctet}.0/24` }));
  const subnetId = subnet.Subnet?.SubnetId ?? '';
  const acl = await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }));
  const networkAclId = acl.NetworkAcl?.NetworkAclId ?? '';
  for (const egress of [false, true]) {
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: networkAclId,
        RuleNumber: allowAt,
        Protocol: '-1',
        RuleAction: 'allow',
        Egress: egress,
        CidrBlock: '0.0.0.0/0',
      }),
    );
  }
  const association = (
    await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }))
  ).NetworkAcls?.[0]?.Associations?.find((candidate) => candidate.SubnetId === subnetId);
  await ec2.send(
    new ReplaceNetworkAclAssociationCommand({
      NetworkAclId: networkAclId,
      AssociationId: association?.NetworkAclAssociationId,
    }),
  );
  return { subnetId, networkAclId };
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
    // Below the first allow (100 in moto's default ACL), among the highest free numbers, the same in each direction
    // for one address (it is chosen from the address).
    const [inbound, outbound] = added.map((entry) => entry.ruleNumber ?? 0);
    expect(inbound).toBe(outbound);
    expect(inbound).toBeGreaterThanOrEqual(100 - SPREAD_WINDOW);
    expect(inbound).toBeLessThan(100);
    expect(afterFirst.entries.some((entry) => entry.cidr === `${neighbour.privateIp}/32`)).toBe(false);
    expect(report.undo.networkAclEntries).toEqual(
      [false, true].map((egress) => ({
        networkAclId: afterFirst.networkAclId,
        ruleNumber: inbound,
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

  it('gives two instances of one subnet answered at once each its own numbers (a clash is chosen again)', async () => {
    // Prepare
    const { member, ec2, network } = await memberEc2();
    const { subnetId } = await subnetWithOwnAcl(ec2, network.vpcId, 8, 100);
    const miners = [
      await launched(ec2, subnetId, network.securityGroupId, 'miner-1'),
      await launched(ec2, subnetId, network.securityGroupId, 'miner-2'),
    ];
    const before = await aclOf(ec2, subnetId);
    const contain = { RESPONSE_POLICY: JSON.stringify({ default: 'contain', rules: [] }) };

    // Act
    const handled = await Promise.all(
      miners.map(({ instanceId }) =>
        world
          .createResponder(contain)
          .handle(guardDutyFindingEvent({ accountId: member.accountId, region, instanceId })),
      ),
    );
    const reports = await Promise.all(handled.map((one) => world.readReport(reported(one).key)));

    // Assess: every address denied both ways, at distinct numbers below the allow, each report naming its own.
    const after = await aclOf(ec2, subnetId);
    const added = after.entries.filter((entry) => !before.entries.some((old) => sameEntry(old, entry)));
    expect(added).toHaveLength(4);
    for (const egress of [false, true]) {
      const numbers = added.filter((entry) => entry.egress === egress).map((entry) => entry.ruleNumber ?? 0);
      expect(new Set(numbers).size).toBe(2);
      for (const number of numbers) expect(number).toBeGreaterThanOrEqual(100 - SPREAD_WINDOW);
      for (const number of numbers) expect(number).toBeLessThan(100);
    }
    for (const [index, report] of reports.entries()) {
      const cidr = `${miners[index]?.privateIp}/32`;
      expect(report.undo.networkAclEntries?.map((entry) => entry.cidrBlock)).toEqual([cidr, cidr]);
      for (const entry of report.undo.networkAclEntries ?? []) {
        expect(added).toContainEqual(
          expect.objectContaining({ ruleNumber: entry.ruleNumber, egress: entry.egress, cidr, action: 'deny' }),
        );
      }
      expect(report.steps.filter((record) => record.status === 'failed')).toEqual([]);
    }
  });

  it('denies every address of the instance: a secondary private IPv4 and an IPv6 /128 too', async () => {
    // Prepare
    const { member, ec2, network } = await memberEc2();
    const { subnetId, networkAclId } = await subnetWithOwnAcl(ec2, network.vpcId, 10, 100);
    const target = await launched(ec2, subnetId, network.securityGroupId, 'miner-many-addresses');
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [target.instanceId] }));
    const networkInterfaceId = described.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces?.[0]?.NetworkInterfaceId;
    await ec2.send(
      new AssignPrivateIpAddressesCommand({
        NetworkInterfaceId: networkInterfaceId,
        SecondaryPrivateIpAddressCount: 1,
      }),
    );
    await ec2.send(
      new AssignIpv6AddressesCommand({ NetworkInterfaceId: networkInterfaceId, Ipv6Addresses: ['2600:1f18:abcd::5'] }),
    );
    const addresses = (
      await ec2.send(new DescribeInstancesCommand({ InstanceIds: [target.instanceId] }))
    ).Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces?.[0]?.PrivateIpAddresses?.map(
      (address) => `${address.PrivateIpAddress}/32`,
    );
    expect(addresses).toHaveLength(2);

    // Act
    const event = guardDutyFindingEvent({ accountId: member.accountId, region, instanceId: target.instanceId });
    const contain = { RESPONSE_POLICY: JSON.stringify({ default: 'contain', rules: [] }) };
    const report = await world.readReport(reported(await world.createResponder(contain).handle(event)).key);

    // Assess: each address at a number of its own below the first allow, in each direction.
    const denied = (await aclOf(ec2, subnetId)).entries.filter(
      (entry) => entry.action === 'deny' && entry.ruleNumber !== 32767,
    );
    const expected = [...(addresses ?? []), '2600:1f18:abcd::5/128'];
    for (const egress of [false, true]) {
      const inDirection = denied.filter((entry) => entry.egress === egress);
      expect(inDirection.map((entry) => entry.cidr).sort()).toEqual([...expected].sort());
      const numbers = inDirection.map((entry) => entry.ruleNumber ?? 0);
      expect(new Set(numbers).size).toBe(3);
      for (const number of numbers) expect(number).toBeGreaterThanOrEqual(100 - SPREAD_WINDOW);
      for (const number of numbers) expect(number).toBeLessThan(100);
    }
    expect(report.undo.networkAclEntries).toHaveLength(6);
    expect(new Set(report.undo.networkAclEntries?.map((entry) => entry.networkAclId))).toEqual(new Set([networkAclId]));
  });

  it('records a failure for a person when no rule number is free below the first allow, and moves nothing', async () => {
    // Prepare: a subnet of its own whose ACL allows everything at rule 1, in both directions.
    const { member, ec2, network } = await memberEc2();
    const { subnetId, networkAclId } = await subnetWithOwnAcl(ec2, network.vpcId, 9, 1);
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
