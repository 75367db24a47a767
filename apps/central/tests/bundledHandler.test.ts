import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { IncidentReport } from '@cryptominer-defense/core';
import {
  type AccountClients,
  accountClients,
  applyEnvironment,
  type BundleLayout,
  type CloudTrailFake,
  emulatorClientConfig,
  emulatorEnvironment,
  guardDutyFindingEvent,
  iamUserIdentity,
  readBundleLayout,
  runInstancesRecord,
  type SeededOrganization,
  seedOrganization,
  startCloudTrailFake,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCentralApp } from '../src/index';
import { TEST_SETTINGS } from './helpers/synthesizeCentralApp';

const REGION = 'us-east-1';
const REPORT_BUCKET = 'incident-reports';
/** The limit of issue 8 for the code shipped (every .mjs file, loaded at once or not). */
const SHIPPED_CODE_LIMIT_BYTES = 1_000_000;

type BundledHandler = (event: unknown) => Promise<unknown>;

const outdir = mkdtempSync(join(tmpdir(), 'central-bundle-'));
let layout: BundleLayout;
let handler: BundledHandler;
let organization: SeededOrganization;
let cloudTrail: CloudTrailFake | undefined;
let member: AccountClients | undefined;
let s3: S3Client | undefined;
let restoreEnvironment: (() => void) | undefined;

/** Synthesizes with bundling, as `pnpm synth` does, and returns the folder of the function's bundle. */
function bundleFolder(): string {
  const app = new App({ outdir, analyticsReporting: false });
  // Assets are staged (and bundled) while the constructs are built.
  buildCentralApp(app, TEST_SETTINGS);
  app.synth();
  const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  return join(outdir, assets[0] ?? '');
}

/** The findings queue the function is configured with (FINDING_QUEUE_ARN); its records name it. */
const FINDING_QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:findings';

function sqsBatch(...events: unknown[]) {
  return {
    Records: events.map((event, index) => ({
      messageId: `m-${index + 1}`,
      eventSource: 'aws:sqs',
      eventSourceARN: FINDING_QUEUE_ARN,
      body: JSON.stringify(event),
    })),
  };
}

async function reportsOf(instanceId: string): Promise<IncidentReport[]> {
  const client = s3 as S3Client;
  const listed = await client.send(new ListObjectsV2Command({ Bucket: REPORT_BUCKET, Prefix: 'incidents/' }));
  const keys = (listed.Contents ?? []).flatMap((object) => (object.Key?.includes(instanceId) ? [object.Key] : []));
  return Promise.all(
    keys.map(async (key) => {
      const object = await client.send(new GetObjectCommand({ Bucket: REPORT_BUCKET, Key: key }));
      return JSON.parse((await object.Body?.transformToString()) ?? '') as IncidentReport;
    }),
  );
}

beforeAll(async () => {
  layout = readBundleLayout(bundleFolder());
  const endpoint = emulatorEndpoint();
  organization = await seedOrganization(endpoint, {
    regions: [REGION],
    members: [{ name: 'workload', organizationalUnit: 'Workloads' }],
  });
  cloudTrail = await startCloudTrailFake({ emulatorEndpoint: endpoint });
  member = await accountClients(endpoint, organization.member('workload').accountId, REGION);
  s3 = new S3Client(emulatorClientConfig(endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));
  // The bundle reads its configuration when it is loaded, as at a Lambda cold start; the SDK finds the emulator
  // through the standard AWS_ENDPOINT_URL variables only.
  restoreEnvironment = applyEnvironment({
    ...emulatorEnvironment({ endpoint, cloudTrailEndpoint: cloudTrail.endpoint }),
    REPORT_BUCKET,
    FINDING_QUEUE_ARN,
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  const entry = pathToFileURL(join(layout.folder, layout.entry)).href;
  ({ handler } = (await import(entry)) as { handler: BundledHandler });
}, 180_000);

afterAll(async () => {
  restoreEnvironment?.();
  member?.destroy();
  s3?.destroy();
  await cloudTrail?.stop();
  rmSync(outdir, { recursive: true, force: true });
});

describe('the bundled responder, as Lambda loads it', () => {
  it('is an ESM entry with the chunks it loads, each with a source map of mappings only', () => {
    // Assess
    expect(layout.entry).toBe('index.mjs');
    expect(layout.lazy.length).toBeGreaterThan(0);
    expect([...layout.sourceMaps].sort()).toEqual(layout.code.map((name) => `${name}.map`).sort());
    expect(readdirSync(layout.folder).sort()).toEqual([...layout.code, ...layout.sourceMaps].sort());
    // Mappings only: Node reads the maps at every cold start (--enable-source-maps), the sources' text made it 7 MB.
    for (const name of layout.sourceMaps) {
      const map = JSON.parse(readFileSync(join(layout.folder, name), 'utf8')) as { sourcesContent?: unknown };
      expect(map.sourcesContent, name).toBeUndefined();
    }
    expect(layout.bytes(layout.code)).toBeLessThan(SHIPPED_CODE_LIMIT_BYTES);
  });

  it("keeps only the EC2 operations the responder calls (the SDK's schemas were shaken)", () => {
    // Assess
    const code = layout.text(layout.code);
    expect(code).toContain('"ModifyNetworkInterfaceAttribute"');
    expect(code).not.toContain('AcceptAddressTransfer');
    expect(code).not.toContain('CreateVpnConnection');
  });

  it('leaves the Auto Scaling, CloudTrail, IAM and SNS clients, and the steps using them, out of what a cold start loads', () => {
    // Assess: each client's configuration names its service (`serviceId: config?.serviceId ?? "IAM"`).
    const eager = layout.text(layout.eager);
    const lazy = layout.text(layout.lazy);
    expect(eager).toMatch(/serviceId\?\?"EC2"/);
    for (const service of ['IAM', 'CloudTrail', 'Auto Scaling', 'SNS']) {
      expect(eager).not.toContain(`serviceId??"${service}"`);
      expect(lazy).toContain(`serviceId??"${service}"`);
    }
    // The commands the steps loaded on demand send (attribution, the Auto Scaling group, freeze, the alert) and a
    // string only the freeze step's own code holds (the name of its action, steps/attachDenyAll.ts): each command
    // names its operation (`"LookupEvents"`).
    for (const loadedOnDemand of [
      '"LookupEvents"',
      '"DetachInstances"',
      '"AttachUserPolicy"',
      '"Publish"',
      'attachDenyAllPolicy',
    ]) {
      expect(eager).not.toContain(loadedOnDemand);
      expect(lazy).toContain(loadedOnDemand);
    }
  });

  it('lets a finding that is not crypto-mining pass, answering the SQS batch', async () => {
    // Prepare
    const notCrypto = guardDutyFindingEvent({
      accountId: organization.member('workload').accountId,
      region: REGION,
      instanceId: 'i-0123456789abcdef0',
      type: 'Recon:EC2/PortProbeUnprotectedPort',
    });

    // Act
    const result = await handler(sqsBatch(notCrypto));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await reportsOf('i-0123456789abcdef0')).toEqual([]);
  });

  it('contains a crypto-mining instance and freezes its launcher through the clients it loads on demand', async () => {
    // Prepare
    const workload = organization.member('workload');
    const clients = member as AccountClients;
    const group = workload.inRegion(REGION).autoScalingGroup;
    const [instance] = group.instances;
    if (instance === undefined) throw new Error('The seeded Auto Scaling group launched no instance.');
    cloudTrail?.addRecords(
      runInstancesRecord({
        identity: iamUserIdentity({ accountId: workload.accountId, userName: 'ci-deployer' }),
        region: REGION,
        instanceIds: [instance.instanceId],
        eventTime: new Date(Date.now() - 3_600_000),
      }),
    );
    const event = guardDutyFindingEvent({
      accountId: workload.accountId,
      region: REGION,
      instanceId: instance.instanceId,
    });

    // Act
    const result = await handler(sqsBatch(event));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const [report, ...others] = await reportsOf(instance.instanceId);
    expect(others).toEqual([]);
    const statusOf = (step: string) =>
      report?.steps.filter((record) => record.step === step).map((record) => record.status);
    expect(statusOf('disableAutoScalingGroup')).toEqual(expect.arrayContaining(['succeeded']));
    expect(statusOf('attributeLaunch')).toEqual(['succeeded']);
    expect(statusOf('freezeUser')).toEqual(expect.arrayContaining(['succeeded']));
    expect(report?.steps.filter((record) => record.status === 'failed')).toEqual([]);
    expect(report?.actor).toMatchObject({
      type: 'IAMUser',
      arn: `arn:aws:iam::${workload.accountId}:user/ci-deployer`,
    });
    // What the emulator ends in: the group cannot replace the instance, the launcher's key no longer works.
    const groups = await clients.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group.autoScalingGroupName] }),
    );
    expect(groups.AutoScalingGroups?.[0]?.DesiredCapacity).toBe(0);
    const keys = await clients.iam.send(new ListAccessKeysCommand({ UserName: 'ci-deployer' }));
    expect(keys.AccessKeyMetadata?.map((key) => key.Status)).toEqual(['Inactive']);
  });
});
