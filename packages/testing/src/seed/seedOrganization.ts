import {
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  EnableAWSServiceAccessCommand,
  ListRootsCommand,
  OrganizationsClient,
  RegisterDelegatedAdministratorCommand,
} from '@aws-sdk/client-organizations';
import { EMULATOR_DEFAULT_ACCOUNT_ID, emulatorClientConfig } from '../emulator/emulatorClientConfig';
import { HarnessSetupError } from '../errors';
import { createMemberAccount } from './createMemberAccount';
import { requireValue } from './requireValue';
import { DEFAULT_SEED_REGIONS, type SeededMemberAccount, seedMemberAccount } from './seedMemberAccount';

export interface MemberAccountSpec {
  /** Account name; also the local part of its e-mail address. */
  readonly name: string;
  /** Name of the OU it goes into (created if new). */
  readonly organizationalUnit: string;
}

export interface OrganizationSpec {
  /** Default: `workload-a` in OU Workloads and `workload-b` in OU Sandbox. */
  readonly members?: readonly MemberAccountSpec[];
  /** Default us-east-1 and eu-west-1. */
  readonly regions?: readonly string[];
  /** Service principals the central account is delegated administrator for; default GuardDuty. */
  readonly delegatedServices?: readonly string[];
  readonly responderRoleName?: string;
  /**
   * Whether the seeder stands in for the member-role stack's other resources (the instance-credential deny policy);
   * default true, false when a test deploys the stack itself (its fixed policy name would clash).
   */
  readonly seedMemberStackResources?: boolean;
}

export interface SeededOrganization {
  readonly organizationId: string;
  readonly rootId: string;
  /** The emulator's default account, which created the organization. */
  readonly managementAccountId: string;
  /** The delegated-admin (security) account, in OU Security: where the central responder runs. */
  readonly centralAccountId: string;
  /** OU ids by name. */
  readonly organizationalUnits: Readonly<Record<string, string>>;
  readonly members: readonly SeededMemberAccount[];
  readonly regions: readonly string[];
  /** A well-formed account id that is not in the organization, for "refuse foreign accounts" tests. */
  readonly outsideAccountId: string;
  /** A member by account name; throws naming the seeded names if there is none. */
  member(name: string): SeededMemberAccount;
}

const DEFAULT_MEMBERS: readonly MemberAccountSpec[] = [
  { name: 'workload-a', organizationalUnit: 'Workloads' },
  { name: 'workload-b', organizationalUnit: 'Sandbox' },
];
const SECURITY_OU = 'Security';
const OUTSIDE_ACCOUNT_ID = '210987654321';

/**
 * An AWS organization in the emulator: created by the management account, a delegated-admin security account,
 * and member accounts in OUs, each seeded with the standard workload layout (seedMemberAccount) in every region.
 */
export async function seedOrganization(endpoint: string, spec: OrganizationSpec = {}): Promise<SeededOrganization> {
  const memberSpecs = spec.members ?? DEFAULT_MEMBERS;
  const regions = spec.regions ?? DEFAULT_SEED_REGIONS;
  const organizations = new OrganizationsClient(emulatorClientConfig(endpoint));
  try {
    const created = await organizations
      .send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
      .catch((error: unknown) => {
        if (error instanceof Error && error.name === 'AlreadyInOrganizationException') {
          throw new HarnessSetupError(
            'The emulator already holds an organization: seed once per test file, or call resetEmulator(endpoint) first.',
            { cause: error },
          );
        }
        throw error;
      });
    const organizationId = requireValue(created.Organization?.Id, 'organization id');
    const roots = await organizations.send(new ListRootsCommand({}));
    const rootId = requireValue(roots.Roots?.[0]?.Id, 'organization root id');

    const ouNames = [...new Set([SECURITY_OU, ...memberSpecs.map((member) => member.organizationalUnit)])];
    const organizationalUnits: Record<string, string> = {};
    for (const name of ouNames) {
      const ou = await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: name }));
      organizationalUnits[name] = requireValue(ou.OrganizationalUnit?.Id, `OU id of ${name}`);
    }
    const ouId = (name: string) => requireValue(organizationalUnits[name], `OU id of ${name}`);

    const centralAccountId = await createMemberAccount(organizations, {
      name: 'security',
      email: 'security@example.com',
      rootId,
      organizationalUnitId: ouId(SECURITY_OU),
    });
    for (const servicePrincipal of spec.delegatedServices ?? ['guardduty.amazonaws.com']) {
      await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: servicePrincipal }));
      await organizations.send(
        new RegisterDelegatedAdministratorCommand({ AccountId: centralAccountId, ServicePrincipal: servicePrincipal }),
      );
    }

    const memberIds: string[] = [];
    for (const member of memberSpecs) {
      memberIds.push(
        await createMemberAccount(organizations, {
          name: member.name,
          email: `${member.name}@example.com`,
          rootId,
          organizationalUnitId: ouId(member.organizationalUnit),
        }),
      );
    }
    const members = await Promise.all(
      memberIds.map((accountId) =>
        seedMemberAccount(endpoint, accountId, {
          regions,
          centralAccountId,
          ...(spec.responderRoleName !== undefined && { responderRoleName: spec.responderRoleName }),
          ...(spec.seedMemberStackResources !== undefined && {
            seedMemberStackResources: spec.seedMemberStackResources,
          }),
        }),
      ),
    );
    const byName = new Map(memberSpecs.map((member, index) => [member.name, members[index]]));
    return {
      organizationId,
      rootId,
      managementAccountId: EMULATOR_DEFAULT_ACCOUNT_ID,
      centralAccountId,
      organizationalUnits,
      members,
      regions,
      outsideAccountId: OUTSIDE_ACCOUNT_ID,
      member(name: string): SeededMemberAccount {
        const found = byName.get(name);
        if (found === undefined) {
          throw new HarnessSetupError(
            `No member account named ${name}; the seeded members are ${[...byName.keys()].join(', ')}.`,
          );
        }
        return found;
      },
    };
  } finally {
    organizations.destroy();
  }
}
