import {
  CreateAccountCommand,
  DescribeCreateAccountStatusCommand,
  MoveAccountCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { HarnessSetupError } from '../errors';
import { requireValue } from './requireValue';

export interface CreateMemberAccountOptions {
  readonly name: string;
  readonly email: string;
  readonly rootId: string;
  readonly organizationalUnitId: string;
}

const STATUS_POLLS = 50;

/**
 * Creates an account in the organization (Organizations also creates its OrganizationAccountAccessRole) and
 * moves it from the root into its OU. Waits for the creation like a real caller must.
 */
export async function createMemberAccount(
  organizations: OrganizationsClient,
  options: CreateMemberAccountOptions,
): Promise<string> {
  const created = await organizations.send(
    new CreateAccountCommand({ AccountName: options.name, Email: options.email }),
  );
  let status = requireValue(created.CreateAccountStatus, 'account creation status');
  for (let poll = 0; status.State === 'IN_PROGRESS' && poll < STATUS_POLLS; poll++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const described = await organizations.send(
      new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: status.Id }),
    );
    status = requireValue(described.CreateAccountStatus, 'account creation status');
  }
  if (status.State !== 'SUCCEEDED') {
    throw new HarnessSetupError(
      `Creating account ${options.name} ended ${status.State ?? 'without a state'}: ${status.FailureReason ?? ''}`,
    );
  }
  const accountId = requireValue(status.AccountId, 'account id');
  await organizations.send(
    new MoveAccountCommand({
      AccountId: accountId,
      SourceParentId: options.rootId,
      DestinationParentId: options.organizationalUnitId,
    }),
  );
  return accountId;
}
