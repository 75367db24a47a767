import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateOrganizationalUnitCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  accountClients,
  type CloudTrailFake,
  clientConfigForAccount,
  createMemberAccount,
  EMULATOR_IMAGE_ID,
  emulatorClientConfig,
  iamUserIdentity,
  runInstancesRecord,
  seedIamRole,
  seedIamUser,
  seedOrganization,
  trustAccount,
} from '@cryptominer-defense/testing';

export interface BurstShape {
  readonly findings: number;
  readonly accounts: number;
  readonly regions: readonly string[];
}

/** One crypto-mining finding of the burst: a running instance in one member account and region. */
export interface BurstTarget {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
}

export interface BurstOrganization {
  readonly centralAccountId: string;
  readonly accountIds: readonly string[];
  readonly targets: readonly BurstTarget[];
}

/** The name of the IAM user CloudTrail says launched every instance of an account. */
export const BURST_LAUNCHER = 'deployer';

/** Runs `work` over `items` with at most `limit` at once (moto is one process: a few at a time is fastest). */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    results.push(...(await Promise.all(items.slice(start, start + limit).map(work))));
  }
  return results;
}

/**
 * An organization of `accounts` members, each with the responder role, one IAM user that CloudTrail says
 * launched its instances, and — finding i going to account i mod accounts, region ⌊i / accounts⌋ mod regions —
 * one running instance per finding in the account's default VPC. Lighter than seedOrganization's layout,
 * which a hundred accounts could not afford.
 */
export async function seedBurstOrganization(
  emulator: string,
  cloudTrail: CloudTrailFake,
  shape: BurstShape,
): Promise<BurstOrganization> {
  const organization = await seedOrganization(emulator, { members: [], regions: shape.regions });
  const organizations = new OrganizationsClient(emulatorClientConfig(emulator));
  try {
    const unit = await organizations.send(
      new CreateOrganizationalUnitCommand({ ParentId: organization.rootId, Name: 'Workloads' }),
    );
    const unitId = unit.OrganizationalUnit?.Id ?? '';
    const indexes = Array.from({ length: shape.accounts }, (_, index) => index);
    const accountIds = await inBatches(indexes, 10, (index) =>
      createMemberAccount(organizations, {
        name: `burst-${index}`,
        email: `burst-${index}@example.com`,
        rootId: organization.rootId,
        organizationalUnitId: unitId,
      }),
    );
    await inBatches(accountIds, 10, async (accountId) => {
      const clients = await accountClients(emulator, accountId, shape.regions[0] ?? 'us-east-1');
      try {
        await seedIamRole(clients.iam, {
          roleName: 'CryptominerResponderRole',
          trustPolicy: trustAccount(organization.centralAccountId),
        });
        await seedIamUser(clients.iam, { userName: BURST_LAUNCHER, accessKeys: 1, loginProfile: true });
      } finally {
        clients.destroy();
      }
    });
    const slots = Array.from({ length: shape.findings }, (_, index) => ({
      accountId: accountIds[index % shape.accounts] ?? '',
      region: shape.regions[Math.floor(index / shape.accounts) % shape.regions.length] ?? '',
    }));
    const groups = new Map<string, { accountId: string; region: string; count: number }>();
    for (const slot of slots) {
      const key = `${slot.accountId}/${slot.region}`;
      const group = groups.get(key) ?? { ...slot, count: 0 };
      group.count += 1;
      groups.set(key, group);
    }
    const launched = await inBatches([...groups.values()], 10, (group) => launch(emulator, cloudTrail, group));
    const targets = launched.flat();
    return { centralAccountId: organization.centralAccountId, accountIds, targets };
  } finally {
    organizations.destroy();
  }
}

async function launch(
  emulator: string,
  cloudTrail: CloudTrailFake,
  group: { accountId: string; region: string; count: number },
): Promise<BurstTarget[]> {
  const ec2 = new EC2Client(await clientConfigForAccount(emulator, group.accountId, { region: group.region }));
  try {
    // The default VPC: one ENI per instance, on the default group.
    const launched = await ec2.send(
      new RunInstancesCommand({
        ImageId: EMULATOR_IMAGE_ID,
        InstanceType: 't3.micro',
        MinCount: group.count,
        MaxCount: group.count,
      }),
    );
    const instanceIds = (launched.Instances ?? []).flatMap((instance) =>
      instance.InstanceId === undefined ? [] : [instance.InstanceId],
    );
    cloudTrail.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: group.accountId, userName: BURST_LAUNCHER }),
        region: group.region,
        instanceIds,
        eventTime: new Date(Date.now() - 600_000),
      }),
    );
    return instanceIds.map((instanceId) => ({ accountId: group.accountId, region: group.region, instanceId }));
  } finally {
    ec2.destroy();
  }
}
