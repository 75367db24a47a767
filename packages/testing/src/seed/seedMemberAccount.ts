import { HarnessSetupError } from '../errors';
import { accountClients } from './accountClients';
import { type SeededAccountIdentities, seedAccountIdentities } from './seedAccountIdentities';
import { type SeededRegion, seedRegion } from './seedRegion';

export const DEFAULT_SEED_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1'];

export interface SeedMemberAccountOptions {
  /** Regions to seed the workload layout in; default us-east-1 and eu-west-1. */
  readonly regions?: readonly string[];
  /** The account the responder role trusts; default the emulator's default account. */
  readonly centralAccountId?: string;
  readonly responderRoleName?: string;
  /** As OrganizationSpec's: stand in for the member-role stack's other resources (default true). */
  readonly seedMemberStackResources?: boolean;
}

export interface SeededMemberAccount {
  readonly accountId: string;
  readonly identities: SeededAccountIdentities;
  readonly regions: Readonly<Record<string, SeededRegion>>;
  /** The layout in one region; throws naming the seeded regions if that one was not seeded. */
  inRegion(region: string): SeededRegion;
}

/**
 * Seeds one account (any 12-digit id: the emulator creates it on first use) with the standard workload layout in
 * each region and its IAM identities. Use it alone when a test needs one account and not a whole organization.
 */
export async function seedMemberAccount(
  endpoint: string,
  accountId: string,
  options: SeedMemberAccountOptions = {},
): Promise<SeededMemberAccount> {
  const regionNames = options.regions ?? DEFAULT_SEED_REGIONS;
  const [homeRegion] = regionNames;
  if (homeRegion === undefined) throw new HarnessSetupError('seedMemberAccount needs at least one region.');
  const clientsPerRegion = await Promise.all(regionNames.map((region) => accountClients(endpoint, accountId, region)));
  try {
    const [home] = clientsPerRegion;
    if (home === undefined) throw new HarnessSetupError('seedMemberAccount needs at least one region.');
    const [identities, ...seededRegions] = await Promise.all([
      seedAccountIdentities(home.iam, {
        accountId,
        centralAccountId: options.centralAccountId ?? accountId,
        ...(options.responderRoleName !== undefined && { responderRoleName: options.responderRoleName }),
        ...(options.seedMemberStackResources !== undefined && {
          seedMemberStackResources: options.seedMemberStackResources,
        }),
      }),
      ...clientsPerRegion.map((clients) => seedRegion(clients)),
    ]);
    const regions = Object.fromEntries(seededRegions.map((seeded) => [seeded.region, seeded]));
    return {
      accountId,
      identities,
      regions,
      inRegion(region: string): SeededRegion {
        const seeded = regions[region];
        if (seeded === undefined) {
          throw new HarnessSetupError(
            `Account ${accountId} was seeded in ${regionNames.join(', ')}, not ${region}: pass it in options.regions.`,
          );
        }
        return seeded;
      },
    };
  } finally {
    for (const clients of clientsPerRegion) clients.destroy();
  }
}
