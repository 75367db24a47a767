import { findingSecurityHubRecordKey, partitionOfRegion, type StepRecord } from '@cryptominer-defense/core';
import type { ClientFactory } from '../clients/responderClients';
import { putJsonOnce, type ReportDestination } from '../writeIncidentReport';
import { type StoredReport, tellSecurityHub } from './tellSecurityHub';

/** What telling Security Hub of one report did, kept beside the finding's state (the report is written before it). */
export interface SecurityHubRecord {
  readonly kind: 'security-hub';
  readonly reportKey: string;
  readonly findingId: string;
  readonly steps: readonly StepRecord[];
}

/**
 * After the report is stored: tells Security Hub (tellSecurityHub.ts) in the central account and region, then keeps
 * its steps at core's findingSecurityHubRecordKey. Never throws: a record that cannot be written is given back with
 * `recordKey: null` (the caller logs it), and Security Hub's own failures are failed steps.
 */
export async function recordSecurityHubSteps(
  clients: ClientFactory,
  destination: ReportDestination,
  stored: StoredReport & { readonly attempt: number },
  central: { readonly region: string; readonly now: () => Date },
): Promise<{
  readonly steps: readonly StepRecord[];
  readonly recordKey: string | null;
  readonly writeError?: unknown;
}> {
  const { region, now } = central;
  const steps = await tellSecurityHub(
    {
      client: () => clients.central.securityHub(),
      home: async () => ({
        accountId: await clients.central.accountId(),
        region,
        partition: partitionOfRegion(region),
      }),
      now,
    },
    stored,
  );
  const record: SecurityHubRecord = {
    kind: 'security-hub',
    reportKey: stored.key,
    findingId: stored.report.findingId,
    steps,
  };
  const key = findingSecurityHubRecordKey(stored.report.findingId, stored.attempt, now());
  try {
    await putJsonOnce(clients.central.s3, destination, key, record);
    return { steps, recordKey: key };
  } catch (error) {
    return { steps, recordKey: null, writeError: error };
  }
}
