import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import type { FalsePositiveClients } from '@cryptominer-defense/release';
import { callerIdentity } from './callerIdentity';

/**
 * The clients of `release --false-positive`, with the operator's own credentials in the GuardDuty and Security Hub
 * administrator account (docs/deploy.md lists the permissions): Security Hub in the central region, GuardDuty in
 * each region asked for (a finding's own), made once each. `destroy` closes them.
 */
export async function falsePositiveClients(
  centralRegion: string,
): Promise<FalsePositiveClients & { readonly destroy: () => void }> {
  const sts = new STSClient({ region: centralRegion });
  try {
    const caller = await callerIdentity(sts);
    const securityHub = new SecurityHubClient({ region: centralRegion });
    const guardDutyByRegion = new Map<string, GuardDutyClient>();
    return {
      securityHub,
      guardDutyIn(region) {
        const known = guardDutyByRegion.get(region);
        if (known !== undefined) return known;
        const made = new GuardDutyClient({ region });
        guardDutyByRegion.set(region, made);
        return made;
      },
      accountId: caller.account ?? '',
      region: centralRegion,
      destroy: () => {
        securityHub.destroy();
        for (const client of guardDutyByRegion.values()) client.destroy();
      },
    };
  } finally {
    sts.destroy();
  }
}
