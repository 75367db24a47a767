import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  applyEnvironment,
  type CloudTrailFake,
  emulatorClientConfig,
  emulatorEnvironment,
  type OrganizationSpec,
  type SeededOrganization,
  seedOrganization,
  startCloudTrailFake,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { type CliRun, runCli } from './runCli';

export const REPORT_BUCKET = 'incident-reports';

/** A seeded organization, the CloudTrail fake, the report bucket, and the CLI's environment pointing at them. */
export interface CliWorld {
  readonly endpoint: string;
  readonly organization: SeededOrganization;
  readonly cloudTrail: CloudTrailFake;
  readonly env: Record<string, string>;
  readonly s3: S3Client;
  cli(args: readonly string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<CliRun>;
  objectKeys(prefix?: string): Promise<string[]>;
  readObject(key: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startCliWorld(spec: OrganizationSpec = {}): Promise<CliWorld> {
  const endpoint = emulatorEndpoint();
  const organization = await seedOrganization(endpoint, spec);
  const cloudTrail = await startCloudTrailFake({ emulatorEndpoint: endpoint });
  // The central side acts as the emulator's default (management) account: moto answers Organizations
  // DescribeAccount there only (see the responder's README).
  const env = { ...emulatorEnvironment({ endpoint, cloudTrailEndpoint: cloudTrail.endpoint }), REPORT_BUCKET };
  // The SDK reads endpoints from process.env; the commands get the same record as their io.env.
  const restore = applyEnvironment(env);
  const s3 = new S3Client(emulatorClientConfig(endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));
  return {
    endpoint,
    organization,
    cloudTrail,
    env,
    s3,
    cli: (args, options = {}) => runCli(args, { ...env, ...options.env }, options.stdin),
    async objectKeys(prefix = '') {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: REPORT_BUCKET, Prefix: prefix }));
      return (listed.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
    },
    async readObject(key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: REPORT_BUCKET, Key: key }));
      return JSON.parse((await object.Body?.transformToString()) ?? 'null');
    },
    async close() {
      s3.destroy();
      await cloudTrail.stop();
      restore();
    },
  };
}
