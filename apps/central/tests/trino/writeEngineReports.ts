import { Writable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { IncidentReport } from '@cryptominer-defense/core';
import { applyRelease, planRelease, writeReleaseRecord } from '@cryptominer-defense/release';
import { createResponder, jsonLinesLogger, type Responder } from '@cryptominer-defense/responder';
import {
  accountClients,
  applyEnvironment,
  assumedRoleIdentity,
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  emulatorEnvironment,
  type FaultRule,
  guardDutyEksFindingEvent,
  guardDutyFindingEvent,
  iamUserIdentity,
  instanceFindingTargetOf,
  rootIdentity,
  runInstancesRecord,
  type SeededMemberAccount,
  type SeededOrganization,
  seedOrganization,
  startCloudTrailFake,
  startFaultInjectingProxy,
} from '@cryptominer-defense/testing';

/** One object of the central bucket, as the engine (or a release) left it. */
export interface BucketObject {
  readonly key: string;
  readonly body: string;
}

export interface EngineReports {
  /** Everything in the bucket: reports, the responder's state, release records. */
  readonly objects: readonly BucketObject[];
  /** The incident reports (`incidents/…`), parsed. */
  readonly reports: readonly { readonly key: string; readonly report: IncidentReport }[];
  /** Keys of the reports that were released afterwards (their release records are under `releases/`). */
  readonly releasedReportKeys: readonly string[];
  readonly organization: SeededOrganization;
}

const BUCKET = 'incident-reports';
const DAY_MS = 86_400_000;
const FINDING_TYPES = [
  'CryptoCurrency:EC2/BitcoinTool.B!DNS',
  'CryptoCurrency:EC2/BitcoinTool.B',
  'Impact:EC2/BitcoinDomainRequest.Reputation',
  'CryptoCurrency:Runtime/BitcoinTool.B!DNS',
] as const;

/** How each seeded instance was launched, as CloudTrail tells the engine; `null`: no record (unattributed). */
type Launcher = 'user' | 'role' | 'root' | null;

const discard = new Writable({ write: (_chunk, _encoding, done) => done() });

function launchRecord(member: SeededMemberAccount, region: string, instanceId: string, launcher: Launcher, at: Date) {
  if (launcher === null) return [];
  const identity =
    launcher === 'user'
      ? iamUserIdentity({ accountId: member.accountId, userName: 'developer' })
      : launcher === 'role'
        ? assumedRoleIdentity({ accountId: member.accountId, roleName: 'AppDeployRole', sessionName: 'deploy' })
        : rootIdentity({ accountId: member.accountId });
  return [runInstancesRecord({ identity, region, instanceIds: [instanceId], eventTime: at })];
}

async function readBucket(s3: S3Client): Promise<BucketObject[]> {
  const objects: BucketObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      if (Key === undefined) continue;
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      objects.push({ key: Key, body: (await object.Body?.transformToString()) ?? '' });
    }
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return objects;
}

/**
 * Seeds an organization on the emulator and has the real engine answer findings of every disposition, spread over
 * the last `days` days (the engine's clock is moved back for each): responded (user, role, root and unattributed
 * launches, Auto Scaling instances), observe (GuardDuty sample findings), refused (an account outside the
 * organization), needs a person (EKS), failed steps (AWS errors injected by the fault proxy), and released (the CLI's
 * release applied to some reports afterwards). `rounds` findings per seeded instance.
 */
export async function writeEngineReports(
  endpoint: string,
  options: { readonly rounds: number; readonly days: number },
): Promise<EngineReports> {
  const organization = await seedOrganization(endpoint, { regions: ['us-east-1', 'eu-west-1'] });
  const cloudTrail = await startCloudTrailFake({ emulatorEndpoint: endpoint });
  const faults = await startFaultInjectingProxy({ target: endpoint, rules: [] });
  const s3 = new S3Client(emulatorClientConfig(endpoint, { credentials: EMULATOR_CREDENTIALS }));
  const responders: Responder[] = [];
  const base = Date.now();
  let restoreEnvironment = () => {};
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const env = {
      ...emulatorEnvironment({ endpoint, cloudTrailEndpoint: cloudTrail.endpoint, credentials: EMULATOR_CREDENTIALS }),
      REPORT_BUCKET: BUCKET,
      // One user launched instances of every member in both regions: following that user (decision 0023) would answer
      // most of them as linked incidents of the first finding, and the data set is about every disposition and a
      // finding delivered twice, each instance with findings of its own (answered-elsewhere is the engine tests').
      MAX_FOLLOWED_INSTANCES: '0',
    };
    // The SDK's credential chain reads process.env, as in the Lambda.
    restoreEnvironment = applyEnvironment(env);
    let sequence = 0;
    /**
     * A responder whose clock is `daysAgo` days back, less an hour, and 7 s later for every finding, so times differ.
     * With about 330 findings that stays 20 minutes clear of a whole day: `current_timestamp - INTERVAL '7' DAY`
     * cannot fall among the reports while the queries run.
     */
    const responderAt = (daysAgo: number, overrides: Record<string, string> = {}) => {
      const at = base - daysAgo * DAY_MS - 3_600_000 + sequence++ * 7_000;
      const created = Date.now();
      const responder = createResponder({
        env: { ...env, ...overrides },
        logger: jsonLinesLogger(discard),
        now: () => new Date(at + (Date.now() - created)),
      });
      responders.push(responder);
      return responder;
    };
    const dayOf = (index: number) => index % options.days;

    // Every seeded instance, and how it was launched, as CloudTrail will tell the engine.
    const targets = organization.members.flatMap((member) =>
      organization.regions.flatMap((region) => {
        const layout = member.inRegion(region);
        const [groupA, groupB] = layout.autoScalingGroup.instances;
        const instances: { instanceId: string; launcher: Launcher }[] = [
          { instanceId: layout.standaloneInstance.instanceId, launcher: 'user' },
          { instanceId: layout.multiEniInstance.instanceId, launcher: 'role' },
          { instanceId: layout.secondVpcInstance.instanceId, launcher: 'root' },
          ...(groupA === undefined ? [] : [{ instanceId: groupA.instanceId, launcher: 'user' as const }]),
          ...(groupB === undefined ? [] : [{ instanceId: groupB.instanceId, launcher: null }]),
        ];
        return instances.map((instance) => ({ member, region, ...instance }));
      }),
    );
    for (const { member, region, instanceId, launcher } of targets) {
      cloudTrail.addRecords(
        ...launchRecord(member, region, instanceId, launcher, new Date(base - (options.days + 2) * DAY_MS)),
      );
    }
    const findingTarget = async (accountId: string, region: string, instanceId: string) => {
      const clients = await accountClients(endpoint, accountId, region);
      try {
        return await instanceFindingTargetOf(clients.ec2, instanceId);
      } finally {
        clients.destroy();
      }
    };
    let index = 0;

    // Failed steps: AWS refuses what the engine asks (through the fault proxy), first, while the instances are
    // untouched: a later finding finds them contained already and does not ask again.
    const failures: FaultRule[][] = [
      [{ service: 'ec2', operation: 'StopInstances', fault: 'accessDenied' }],
      [{ service: 'iam', operation: 'UpdateAccessKey', fault: 'accessDenied' }],
      [
        { service: 'ec2', operation: 'CreateSnapshot', fault: 'accessDenied' },
        { service: 'ec2', operation: 'ModifyInstanceAttribute', fault: 'accessDenied' },
      ],
    ];
    const launchedByUser = targets.filter((target) => target.launcher === 'user');
    const failedEvents = [];
    for (const [n, rules] of failures.entries()) {
      const { member, region, instanceId } = launchedByUser[n] as (typeof targets)[number];
      const event = guardDutyFindingEvent({
        accountId: member.accountId,
        region,
        ...(await findingTarget(member.accountId, region, instanceId)),
      });
      failedEvents.push({ event, at: dayOf(index) });
      faults.setRules(rules);
      // The SDK reads the endpoint from process.env; the engine's own env says a custom endpoint is set.
      const restoreEndpoint = applyEnvironment({ AWS_ENDPOINT_URL: faults.endpoint });
      try {
        await responderAt(dayOf(index++), { AWS_ENDPOINT_URL: faults.endpoint }).handle(event);
      } finally {
        restoreEndpoint();
      }
    }
    faults.setRules([]);
    // GuardDuty delivers the first failed finding again: the repeat retries the failed step and writes its own
    // report beside the first (written once, never over it), so `incidents` holds two reports of one finding.
    const [again] = failedEvents;
    if (again !== undefined) await responderAt(again.at).handle(again.event);

    for (const { member, region, instanceId } of targets) {
      const target = await findingTarget(member.accountId, region, instanceId);
      for (let round = 0; round < options.rounds; round++) {
        const daysAgo = dayOf(index++);
        await responderAt(daysAgo).handle(
          guardDutyFindingEvent({
            accountId: member.accountId,
            region,
            ...target,
            type: FINDING_TYPES[index % FINDING_TYPES.length],
            eventTime: new Date(base - daysAgo * DAY_MS - 3_600_000),
            // Every fourth finding of an instance is GuardDuty's sample: observe, nothing changed.
            sample: round % 4 === 3,
          }),
        );
      }
    }

    // Refused (not a member) and for a person (no instance): a few of each, on different days.
    for (let n = 0; n < Math.max(2, options.rounds); n++) {
      await responderAt(dayOf(index++)).handle(
        guardDutyFindingEvent({
          accountId: organization.outsideAccountId,
          region: 'us-east-1',
          instanceId: `i-0${String(n).padStart(16, '0')}`,
        }),
      );
      const member = organization.members[n % organization.members.length] as SeededMemberAccount;
      await responderAt(dayOf(index++)).handle(
        guardDutyEksFindingEvent({ accountId: member.accountId, region: 'eu-west-1', clusterName: `payments-${n}` }),
      );
    }

    const objects = await readBucket(s3);
    const reports = objects
      .filter((object) => object.key.startsWith('incidents/'))
      .map((object) => ({ key: object.key, report: JSON.parse(object.body) as IncidentReport }));

    // Released: two responded reports are undone as `cli release --yes` does, and their records written.
    const releasable = reports.filter(({ report }) => report.disposition === 'responded' && report.undo.user !== null);
    const releasedReportKeys: string[] = [];
    for (const { key, report } of releasable.slice(0, 2)) {
      const clients = await accountClients(endpoint, report.accountId, report.region);
      try {
        const plan = await planRelease(clients, report);
        const steps = await applyRelease(clients, plan);
        await writeReleaseRecord(s3, BUCKET, {
          kind: 'release',
          releasedAt: new Date().toISOString(),
          operatorArn: `arn:aws:iam::${organization.centralAccountId}:user/security-engineer`,
          reportKey: key,
          findingId: report.findingId,
          accountId: report.accountId,
          region: report.region,
          instanceId: report.instanceId,
          steps,
          leftForPerson: plan.leftForPerson,
        });
        releasedReportKeys.push(key);
      } finally {
        clients.destroy();
      }
    }
    return { objects: await readBucket(s3), reports, releasedReportKeys, organization };
  } finally {
    for (const responder of responders) responder.destroy();
    s3.destroy();
    await faults.stop();
    await cloudTrail.stop();
    restoreEnvironment();
  }
}
