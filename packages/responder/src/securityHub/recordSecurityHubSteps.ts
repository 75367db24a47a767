import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { findingSecurityHubRecordKey, partitionOfRegion, type StepRecord } from '@cryptominer-defense/core';
import type { ClientFactory } from '../clients/responderClients';
import type { ReportDestination } from '../writeIncidentReport';
import { type StoredReport, tellSecurityHub } from './tellSecurityHub';

/** What telling Security Hub of one report did, kept beside the finding's state (the report is written before it). */
export interface SecurityHubRecord {
  readonly kind: 'security-hub';
  readonly reportKey: string;
  readonly findingId: string;
  readonly steps: readonly StepRecord[];
}

/** Writes the record once (If-None-Match), encrypted as the report is; returns its key. Throws S3's error. */
async function writeSecurityHubRecord(
  s3: S3Client,
  destination: ReportDestination,
  record: SecurityHubRecord,
  key: string,
): Promise<string> {
  await s3.send(
    new PutObjectCommand({
      Bucket: destination.bucket,
      Key: key,
      Body: `${JSON.stringify(record)}\n`,
      ContentType: 'application/json',
      IfNoneMatch: '*',
      ...(destination.kmsKeyId === null
        ? {}
        : { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: destination.kmsKeyId }),
    }),
  );
  return key;
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
    return { steps, recordKey: await writeSecurityHubRecord(clients.central.s3, destination, record, key) };
  } catch (error) {
    return { steps, recordKey: null, writeError: error };
  }
}
