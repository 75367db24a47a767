import { Writable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { IncidentReport } from '@cryptominer-defense/core';
import {
  type AccountClients,
  AwsActionRecorder,
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
import { expect } from 'vitest';
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
  /** Records every call of the responders this world created (through the client factory's hook). */
  readonly recorder: AwsActionRecorder;
  /** Every action the responders called, as IAM names it (`ec2:DescribeInstances`), in order. */
  calledActions(): string[];
  /** The engine's JSON log lines so far. */
  logs(): string;
  /** A responder of this world's environment with `overrides`; `now` is its clock (default: the real one). */
  createResponder(overrides?: Record<string, string>, options?: { readonly now?: () => Date }): Responder;
  /** Clients of the seeder, acting in a member account (through its OrganizationAccountAccessRole). */
  clientsOf(accountId: string, region: string): Promise<AccountClients>;
  readReport(key: string): Promise<IncidentReport>;
  reportKeys(): Promise<string[]>;
  close(): Promise<void>;
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
    // Tests of the Lambda entry point hand it bare events (handler.ts reads this environment).
    ALLOW_DIRECT_INVOCATION: 'true',
    // Tests not about the blast-radius cap answer many findings of one account within the hour: the cap at its
    // highest (a test of the cap sets its own).
    CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: '1000',
    CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR: '1000',
  };
  const restore = applyEnvironment(env);
  const s3 = new S3Client(emulatorClientConfig(endpoint, { credentials: central }));
  await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));
  const recorder = new AwsActionRecorder();
  // Engine logs are kept, not printed: a failing test can show them (world.logs()).
  const logged: string[] = [];
  const logLines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(chunk.toString('utf8'));
      done();
    },
  });
  const responders: Responder[] = [];
  const seederClients: AccountClients[] = [];

  return {
    endpoint,
    organization,
    cloudTrail,
    env,
    recorder,
    calledActions: () => recorder.calls.map((call) => call.action),
    logs: () => logged.join(''),
    createResponder(overrides = {}, options = {}) {
      const responder = createResponder({
        env: { ...env, ...overrides },
        logger: jsonLinesLogger(logLines),
        configureClient: recorder.hook(),
        ...(options.now === undefined ? {} : { now: options.now }),
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
      const text = (await object.Body?.transformToString()) ?? '';
      // Athena reads one record per line: the stored report must be a single line.
      expect(text.trimEnd().split('\n')).toHaveLength(1);
      const report: unknown = JSON.parse(text);
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
