// Prepares a hand-started moto server for `cli respond` (see the package README): seeds an organization with
// member accounts and instances, creates the report bucket, serves CloudTrail LookupEvents with the launch
// records (moto does not implement it), and writes a finding event per scenario. Runs until Ctrl-C, because the
// CloudTrail fake lives in this process. It resets the emulator first (moto's /moto-api/reset: only a loopback
// endpoint is accepted), so a second run against the same emulator starts from a clean organization rather than
// failing on the first one's; the output directory is created when it does not exist.
//
//   npx tsx packages/responder/tests/manual/prepareEmulator.ts http://127.0.0.1:5055 [output directory]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  autoScalingServiceIdentity,
  emulatorClientConfig,
  guardDutyAttackSequenceEvent,
  guardDutyEksFindingEvent,
  guardDutyFindingEvent,
  iamUserIdentity,
  resetEmulator,
  runInstancesRecord,
  seedOrganization,
  startCloudTrailFake,
} from '@cryptominer-defense/testing';

const [endpoint, outputDirectory = '.'] = process.argv.slice(2);
if (endpoint === undefined || !/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint)) {
  process.stderr.write('Usage: prepareEmulator.ts http://127.0.0.1:<moto port> [output directory]\n');
  process.exit(2);
}

const REPORT_BUCKET = 'incident-reports';
const region = 'us-east-1';

mkdirSync(outputDirectory, { recursive: true });
process.stderr.write(`Resetting the emulator at ${endpoint} (all its state), then seeding an organization…\n`);
await resetEmulator(endpoint);
const organization = await seedOrganization(endpoint, { regions: [region] });
const s3 = new S3Client(emulatorClientConfig(endpoint));
await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));
s3.destroy();

const cloudTrail = await startCloudTrailFake({ emulatorEndpoint: endpoint });
const member = organization.member('workload-a');
const layout = member.inRegion(region);
const [autoScaled] = layout.autoScalingGroup.instances;
if (autoScaled === undefined) throw new Error('the seeder launched no Auto Scaling instance');
cloudTrail.addRecords(
  runInstancesRecord({
    identity: iamUserIdentity({ accountId: member.accountId, userName: member.identities.developer.userName }),
    region,
    instanceIds: [layout.multiEniInstance.instanceId],
  }),
  runInstancesRecord({
    identity: autoScalingServiceIdentity({ accountId: member.accountId }),
    region,
    instanceIds: [autoScaled.instanceId],
    autoScalingGroupName: layout.autoScalingGroup.autoScalingGroupName,
    launchTemplateId: layout.autoScalingGroup.launchTemplateId,
  }),
);

const events: Record<string, unknown> = {
  'finding-iam-user-3-enis.json': guardDutyFindingEvent({
    accountId: member.accountId,
    region,
    instanceId: layout.multiEniInstance.instanceId,
  }),
  'finding-auto-scaling.json': guardDutyFindingEvent({
    accountId: member.accountId,
    region,
    instanceId: autoScaled.instanceId,
  }),
  'finding-outside-organization.json': guardDutyFindingEvent({
    accountId: organization.outsideAccountId,
    region,
    instanceId: 'i-0123456789abcdef0',
  }),
  'finding-eks.json': guardDutyEksFindingEvent({ accountId: member.accountId, region, clusterName: 'payments' }),
  'finding-attack-sequence.json': guardDutyAttackSequenceEvent({
    accountId: member.accountId,
    region,
    instances: [
      { instanceId: layout.standaloneInstance.instanceId },
      { instanceId: layout.secondVpcInstance.instanceId },
    ],
    signalFindingTypes: ['CryptoCurrency:EC2/BitcoinTool.B!DNS'],
  }),
  'finding-not-crypto.json': guardDutyFindingEvent({
    accountId: member.accountId,
    region,
    instanceId: layout.standaloneInstance.instanceId,
    type: 'UnauthorizedAccess:EC2/SSHBruteForce',
  }),
};
for (const [name, event] of Object.entries(events)) {
  writeFileSync(join(outputDirectory, name), `${JSON.stringify(event, null, 2)}\n`);
}

process.stdout.write(
  [
    `# Findings written to ${resolve(outputDirectory)}: ${Object.keys(events).join(', ')}`,
    `# Member account ${member.accountId}; this process serves CloudTrail until Ctrl-C. In another shell:`,
    `export AWS_ENDPOINT_URL=${endpoint}`,
    `export AWS_ENDPOINT_URL_CLOUDTRAIL=${cloudTrail.endpoint}`,
    'export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test',
    `export REPORT_BUCKET=${REPORT_BUCKET}`,
    '',
  ].join('\n'),
);

// The fake's server does not hold the process open by itself (tests stop it); this does, until Ctrl-C.
const keepServing = setInterval(() => undefined, 60_000);
process.on('SIGINT', () => {
  clearInterval(keepServing);
  void cloudTrail.stop().then(() => process.exit(0));
});
