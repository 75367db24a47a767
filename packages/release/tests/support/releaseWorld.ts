import { Writable } from 'node:stream';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { IncidentReport } from '@cryptominer-defense/core';
import { createResponder, jsonLinesLogger, type Responder } from '@cryptominer-defense/responder';
import {
  type AwsClientHook,
  applyEnvironment,
  type CloudTrailFake,
  clientConfigForAccount,
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  emulatorEnvironment,
  guardDutyFindingEvent,
  type OrganizationSpec,
  type SeededOrganization,
  seedOrganization,
  startCloudTrailFake,
} from '@cryptominer-defense/testing';
import type { ReleaseClients } from '../../src/releaseClients';

export const REPORT_BUCKET = 'incident-reports';

/**
 * A seeded organization with real incidents to release: the responder (a test-only dependency; release's
 * source never imports it) answers findings on the emulator, and release then acts on the reports it wrote,
 * with clients of the member account as an operator has them.
 */
export interface ReleaseWorld {
  readonly endpoint: string;
  readonly organization: SeededOrganization;
  readonly cloudTrail: CloudTrailFake;
  readonly s3: S3Client;
  /** Runs the responder on a crypto-mining finding for the instance; resolves to its report and key. */
  respondTo(target: { accountId: string; region: string; instanceId: string }): Promise<{
    readonly key: string;
    readonly report: IncidentReport;
  }>;
  /** Runs the responder on any GuardDuty event (a Lambda finding); resolves to its report and key. */
  respondToEvent(event: unknown): Promise<{ readonly key: string; readonly report: IncidentReport }>;
  /** EC2, Auto Scaling, IAM and Lambda clients in the account (as the operator, through its admin role). */
  releaseClients(accountId: string, region: string, hook?: AwsClientHook): Promise<ReleaseClients>;
  close(): Promise<void>;
}

export async function startReleaseWorld(endpoint: string, spec: OrganizationSpec = {}): Promise<ReleaseWorld> {
  const organization = await seedOrganization(endpoint, spec);
  const cloudTrail = await startCloudTrailFake({ emulatorEndpoint: endpoint });
  // As in the responder's tests: moto answers Organizations DescribeAccount in the management account only.
  const env = {
    ...emulatorEnvironment({ endpoint, cloudTrailEndpoint: cloudTrail.endpoint, credentials: EMULATOR_CREDENTIALS }),
    REPORT_BUCKET,
  };
  const restore = applyEnvironment(env);
  const s3 = new S3Client(emulatorClientConfig(endpoint, { credentials: EMULATOR_CREDENTIALS }));
  await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));
  // The engine's logs are not what these tests look at.
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const responder: Responder = createResponder({ env, logger: jsonLinesLogger(quiet) });
  const clients: ReleaseClients[] = [];
  const respondToEvent = async (event: unknown) => {
    const handled = await responder.handle(event);
    if (handled.kind !== 'reported') throw new Error(`the finding was not reported: ${handled.reason}`);
    return { key: handled.key, report: handled.report };
  };

  return {
    endpoint,
    organization,
    cloudTrail,
    s3,
    respondTo: (target) => respondToEvent(guardDutyFindingEvent(target)),
    respondToEvent,
    async releaseClients(accountId, region, hook) {
      const config = await clientConfigForAccount(endpoint, accountId, { region });
      const made = {
        ec2: new EC2Client(config),
        autoScaling: new AutoScalingClient(config),
        iam: new IAMClient(config),
        lambda: new LambdaClient(config),
      };
      if (hook !== undefined) for (const client of Object.values(made)) hook(client);
      clients.push(made);
      return made;
    },
    async close() {
      responder.destroy();
      for (const made of clients) for (const client of Object.values(made)) client.destroy();
      s3.destroy();
      await cloudTrail.stop();
      restore();
    },
  };
}
