import {
  type OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';

/**
 * The ACTIVE accounts of the StackSet's targets: every account in each target OU (or root) and in the OUs below
 * it, as a service-managed StackSet deploys. Sorted, without duplicates.
 */
export async function listTargetAccounts(
  organizations: OrganizationsClient,
  targetIds: readonly string[],
): Promise<string[]> {
  const accounts = new Set<string>();
  const pending = [...targetIds];
  for (let parentId = pending.pop(); parentId !== undefined; parentId = pending.pop()) {
    for await (const page of paginateListAccountsForParent({ client: organizations }, { ParentId: parentId })) {
      for (const account of page.Accounts ?? []) {
        if (account.Id !== undefined && (account.State ?? account.Status) === 'ACTIVE') accounts.add(account.Id);
      }
    }
    for await (const page of paginateListOrganizationalUnitsForParent(
      { client: organizations },
      { ParentId: parentId },
    )) {
      for (const unit of page.OrganizationalUnits ?? []) if (unit.Id !== undefined) pending.push(unit.Id);
    }
  }
  return [...accounts].sort();
}
