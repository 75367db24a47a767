import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { IncidentReport } from '@cryptominer-defense/core';
import {
  type AccountClients,
  accountClients,
  applyEnvironment,
  type CloudTrailFake,
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  emulatorEnvironment,
  type OrganizationSpec,
  type SeededOrganization,
  seedOrganization,
  startCloudTrailFake,
} from '@cryptominer-defense/testing';
import type { ResponderClient } from '../../src/clients/responderClients';
import { createResponder, type Responder } from '../../src/createResponder';
import { jsonLinesLogger } from '../../src/responderLogger';
import { expectValidReport } from './expectValidReport';

export const REPORT_BUCKET = 'incident-reports';

/** Everything an emulator test of the engine needs: a seeded organization, the CloudTrail fake, a responder. */
export interface ResponderWorld {
  readonly endpoint: string;
  readonly organization: SeededOrganization;
  readonly cloudTrail: CloudTrailFake;
  /** The environment the responder was created with (the standard SDK variables, plus its configuration). */
  readonly env: Record<string, string>;
  /** Every action the responder called, as IAM names it (`ec2:DescribeInstances`), in order. */
  readonly calledActions: string[];
  createResponder(overrides?: Record<string, string>): Responder;
  /** Clients of the seeder, acting in a member account (through its OrganizationAccountAccessRole). */
  clientsOf(accountId: string, region: string): Promise<AccountClients>;
  readReport(key: string): Promise<IncidentReport>;
  reportKeys(): Promise<string[]>;
  close(): Promise<void>;
}

/** Records actions through the client factory's hook: the same middleware the least-privilege test uses. */
export function recordActions(sink: string[]): (client: ResponderClient) => void {
  return (client) => {
    // The middleware stack types differ per client; the recorder only reads the command's name.
    const stack = client.middlewareStack as unknown as {
      add(
        middleware: (
          next: (args: unknown) => Promise<unknown>,
          context: { commandName?: string; clientName?: string },
        ) => (args: unknown) => Promise<unknown>,
        options: { step: 'initialize'; name: string },
      ): void;
    };
    const service = client.constructor.name.replace(/Client$/, '').toLowerCase();
    stack.add(
      (next, context) => async (args) => {
        sink.push(`${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`);
        return next(args);
      },
      { step: 'initialize', name: 'recordCalledActions' },
    );
  };
}

export async function startResponderWorld(endpoint: string, spec: OrganizationSpec = {}): Promise<ResponderWorld> {
  const organization = await seedOrganization(endpoint, spec);
  const cloudTrail = await startCloudTrailFake({ emulatorEndpoint: endpoint });
  // In AWS the central function runs in the delegated-admin account (and reads Organizations through the
  // organization's delegation policy). moto answers Organizations DescribeAccount in the management account
  // only, so here the central side acts as the management account; member accounts are reached the same way.
  const central = EMULATOR_CREDENTIALS;
  const env = {
    ...emulatorEnvironment({ endpoint, cloudTrailEndpoint: cloudTrail.endpoint, credentials: central }),
    REPORT_BUCKET,
  };
  const restore = applyEnvironment(env);
  const s3 = new S3Client(emulatorClientConfig(endpoint, { credentials: central }));
  await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));
  const calledActions: string[] = [];
  const responders: Responder[] = [];
  const seederClients: AccountClients[] = [];

  return {
    endpoint,
    organization,
    cloudTrail,
    env,
    calledActions,
    createResponder(overrides = {}) {
      const responder = createResponder({
        env: { ...env, ...overrides },
        logger: jsonLinesLogger(process.stderr),
        configureClient: recordActions(calledActions),
      });
      responders.push(responder);
      return responder;
    },
    async clientsOf(accountId, region) {
      const clients = await accountClients(endpoint, accountId, region);
      seederClients.push(clients);
      return clients;
    },
    async readReport(key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: REPORT_BUCKET, Key: key }));
      const report: unknown = JSON.parse((await object.Body?.transformToString()) ?? 'null');
      expectValidReport(report);
      return report as IncidentReport;
    },
    async reportKeys() {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: REPORT_BUCKET }));
      return (listed.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
    },
    async close() {
      for (const responder of responders) responder.destroy();
      for (const clients of seederClients) clients.destroy();
      s3.destroy();
      await cloudTrail.stop();
      restore();
    },
  };
}
