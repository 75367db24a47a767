import { Writable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { IncidentReport } from '@cryptominer-defense/core';
import {
  createLambdaHandler,
  jsonLinesLogger,
  type LambdaResult,
  type ResponderClient,
} from '@cryptominer-defense/responder';
import {
  AwsActionRecorder,
  applyEnvironment,
  type CloudTrailFake,
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  emulatorEnvironment,
  type FaultInjectingProxy,
  type ProxiedCall,
  startCloudTrailFake,
  startFaultInjectingProxy,
} from '@cryptominer-defense/testing';
import { shortRetryWaits } from './shortRetryWaits';

export const REPORT_BUCKET = 'reliability-incident-reports';

/** The central function's own credentials: every other access key in the proxy's log is an assumed member role. */
export const CENTRAL_ACCESS_KEY_ID = EMULATOR_CREDENTIALS.accessKeyId;

export type LambdaHandler = (event: unknown) => Promise<LambdaResult>;

/**
 * The engine as deployed, but with every AWS call going through the fault-injecting proxy (AWS_ENDPOINT_URL
 * points at it; CloudTrail goes on to the LookupEvents fake, everything else to moto). Seeding and assertions
 * talk to moto directly, so the proxy's log holds exactly what the engine did.
 */
export interface ReliabilityWorld {
  readonly emulator: string;
  readonly proxy: FaultInjectingProxy;
  readonly cloudTrail: CloudTrailFake;
  readonly env: Record<string, string>;
  /** Logical calls (before the SDK's retries) of every handler this world created. */
  readonly recorder: AwsActionRecorder;
  /** Every AWS client the handlers created as configured (not those given short retry waits). */
  readonly clients: readonly ResponderClient[];
  /**
   * A fresh handler module instance (its own clients and caches), as a Lambda cold start creates; with
   * `shortRetryWaits`, the SDK's retry waits shortened (fault tests).
   */
  createHandler(overrides?: Record<string, string>, options?: { readonly shortRetryWaits?: boolean }): LambdaHandler;
  /** The calls through the proxy that could have changed something in a member account. */
  memberAccountMutations(): ProxiedCall[];
  /** The engine's JSON log lines so far, parsed. */
  logEntries(): Record<string, unknown>[];
  clearLogs(): void;
  /** The stored report, parsed (not validated: tests call expectValidReport). */
  readReport(key: string): Promise<IncidentReport>;
  /** The keys of the incident reports (under incidents/: the engine may keep its own state in the bucket). */
  reportKeys(): Promise<string[]>;
  /** The keys of the report bucket under a prefix (the engine's state: `responder-state/…`). */
  objectKeys(prefix: string): Promise<string[]>;
  /** A JSON object of the report bucket, parsed. */
  readJson(key: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startReliabilityWorld(emulator: string): Promise<ReliabilityWorld> {
  const cloudTrail = await startCloudTrailFake({ emulatorEndpoint: emulator });
  const proxy = await startFaultInjectingProxy({
    target: emulator,
    serviceTargets: { cloudtrail: cloudTrail.endpoint },
  });
  const env = {
    ...emulatorEnvironment({ endpoint: proxy.endpoint, credentials: EMULATOR_CREDENTIALS }),
    REPORT_BUCKET,
    // The tests hand the handler bare events and SQS-shaped batches of no queue, as a harness does.
    ALLOW_DIRECT_INVOCATION: 'true',
    // Tests not about the blast-radius cap answer many findings of one account within the hour: the cap at its
    // highest (a test of the cap sets its own).
    CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: '1000',
    CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR: '1000',
  };
  // The SDK reads AWS_ENDPOINT_URL from process.env: it cannot be handed to a client any other way.
  const restore = applyEnvironment(env);
  const s3 = new S3Client(emulatorClientConfig(emulator));
  await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));
  const recorder = new AwsActionRecorder();
  const clients: ResponderClient[] = [];
  const record = recorder.hook();
  const logged: string[] = [];
  const logLines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(chunk.toString('utf8'));
      done();
    },
  });

  return {
    emulator,
    proxy,
    cloudTrail,
    env,
    recorder,
    clients,
    createHandler: (overrides = {}, options = {}) =>
      createLambdaHandler({
        env: { ...env, ...overrides },
        logger: jsonLinesLogger(logLines),
        configureClient: (client) => {
          record(client);
          if (options.shortRetryWaits === true) shortRetryWaits(client);
          else clients.push(client);
        },
      }),
    memberAccountMutations: () => proxy.mutatingCalls().filter((call) => call.accessKeyId !== CENTRAL_ACCESS_KEY_ID),
    logEntries: () =>
      logged
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    clearLogs: () => {
      logged.length = 0;
    },
    readReport: async (key) => (await readJson(key)) as IncidentReport,
    readJson,
    reportKeys: () => objectKeys('incidents/'),
    objectKeys,
    async close() {
      s3.destroy();
      await proxy.stop();
      await cloudTrail.stop();
      restore();
    },
  };

  async function readJson(key: string): Promise<unknown> {
    const object = await s3.send(new GetObjectCommand({ Bucket: REPORT_BUCKET, Key: key }));
    return JSON.parse((await object.Body?.transformToString()) ?? 'null');
  }

  async function objectKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: REPORT_BUCKET,
          Prefix: prefix,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.NextContinuationToken;
    } while (token !== undefined);
    return keys;
  }
}
