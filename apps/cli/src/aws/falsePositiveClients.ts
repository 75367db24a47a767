import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import type { FalsePositiveClients } from '@cryptominer-defense/release';
import { callerIdentity } from './callerIdentity';

/**
 * The clients of `release --false-positive`, with the operator's own credentials in the central region: the GuardDuty
 * and Security Hub administrator account (docs/deploy.md lists the permissions). `destroy` closes them.
 */
export async function falsePositiveClients(
  centralRegion: string,
): Promise<FalsePositiveClients & { readonly destroy: () => void }> {
  const sts = new STSClient({ region: centralRegion });
  try {
    const caller = await callerIdentity(sts);
    const securityHub = new SecurityHubClient({ region: centralRegion });
    const guardDuty = new GuardDutyClient({ region: centralRegion });
    return {
      securityHub,
      guardDuty,
      accountId: caller.account ?? '',
      region: centralRegion,
      destroy: () => {
        securityHub.destroy();
        guardDuty.destroy();
      },
    };
  } finally {
    sts.destroy();
  }
}
