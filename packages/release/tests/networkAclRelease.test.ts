import {
  CreateNetworkAclEntryCommand,
  DeleteNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { launchInstance } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/applyRelease';
import { planRelease } from '../src/planRelease';
import { type ReleaseWorld, startReleaseWorld } from './support/releaseWorld';

let world: ReleaseWorld;
const region = 'us-east-1';

beforeAll(async () => {
  world = await startReleaseWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** The entries of the subnet's network ACL, as plain data in a stable order. */
async function entriesOf(ec2: EC2Client, subnetId: string) {
  const answer = await ec2.send(
    new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
  );
  return (answer.NetworkAcls?.[0]?.Entries ?? [])
    .map((entry) => ({
      ruleNumber: entry.RuleNumber,
      egress: entry.Egress,
      action: entry.RuleAction,
      cidr: entry.CidrBlock ?? entry.Ipv6CidrBlock,
      protocol: entry.Protocol,
    }))
    .sort((a, b) => Number(a.egress) - Number(b.egress) || (a.ruleNumber ?? 0) - (b.ruleNumber ?? 0));
}

async function respondToNewInstance(subnetIndex: 0 | 1, name: string) {
  const member = world.organization.member('workload-b');
  const network = member.inRegion(region).primaryNetwork;
  const clients = await world.releaseClients(member.accountId, region);
  const subnetId = network.subnetIds[subnetIndex];
  const { instanceId } = await launchInstance(clients.ec2, {
    subnetId,
    securityGroupIds: [network.securityGroupId],
    name,
  });
  const before = await entriesOf(clients.ec2, subnetId);
  const { report } = await world.respondTo({ accountId: member.accountId, region, instanceId });
  return { clients, subnetId, before, report };
}

describe('release of the network ACL hard cut', () => {
  it('deletes exactly the deny entries the response added: the ACL is as it was before', async () => {
    // Prepare
    const { clients, subnetId, before, report } = await respondToNewInstance(0, 'acl-round-trip');
    const contained = await entriesOf(clients.ec2, subnetId);
    expect(contained.length).toBe(before.length + 2);
    expect(report.undo.networkAclEntries).toHaveLength(2);

    // Act
    const records = await applyRelease(clients, await planRelease(clients, report));

    // Assess
    const removals = records.filter((record) => record.action === 'removeNetworkAclEntries');
    expect(removals.map((record) => record.status)).toEqual(['succeeded', 'succeeded']);
    expect(await entriesOf(clients.ec2, subnetId)).toEqual(before);
  });

  it('leaves alone an entry a person put at a recorded number, and is already done where the entry is gone', async () => {
    // Prepare: a person replaced the inbound deny with an allow of their own, and deleted the outbound one.
    const { clients, subnetId, report } = await respondToNewInstance(1, 'acl-changed-by-person');
    const [inbound, outbound] = report.undo.networkAclEntries ?? [];
    if (inbound === undefined || outbound === undefined) throw new Error('the response added no entries');
    const { networkAclId } = inbound;
    await clients.ec2.send(
      new DeleteNetworkAclEntryCommand({ NetworkAclId: networkAclId, RuleNumber: inbound.ruleNumber, Egress: false }),
    );
    await clients.ec2.send(
      new DeleteNetworkAclEntryCommand({ NetworkAclId: networkAclId, RuleNumber: outbound.ruleNumber, Egress: true }),
    );
    await clients.ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: networkAclId,
        RuleNumber: inbound.ruleNumber,
        Protocol: '6',
        PortRange: { From: 443, To: 443 },
        RuleAction: 'allow',
        Egress: false,
        CidrBlock: '192.0.2.0/24',
      }),
    );
    const personal = await entriesOf(clients.ec2, subnetId);

    // Act
    const records = await applyRelease(clients, await planRelease(clients, report));

    // Assess
    expect(records.filter((record) => record.action === 'removeNetworkAclEntries')).toMatchObject([
      { status: 'skipped', reason: expect.stringContaining('someone changed it') },
      { status: 'already-done', reason: 'the entry is gone' },
    ]);
    expect(await entriesOf(clients.ec2, subnetId)).toEqual(personal);
  });
});
