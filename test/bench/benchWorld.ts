import { Writable } from 'node:stream';
import { AttachNetworkInterfaceCommand, CreateNetworkInterfaceCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createLambdaHandler, jsonLinesLogger, type LambdaResult } from '@cryptominer-defense/responder';
import {
  type AccountClients,
  accountClients,
  applyEnvironment,
  type CloudTrailFake,
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  emulatorEnvironment,
  type FaultInjectingProxy,
  guardDutyFindingEvent,
  iamUserIdentity,
  instanceFindingTargetOf,
  launchAutoScaledInstances,
  type MotoServer,
  runInstancesRecord,
  seedIamUser,
  seedInstanceProfile,
  seedNetwork,
  seedOrganization,
  startCloudTrailFake,
  startFaultInjectingProxy,
  startMotoServer,
} from '@cryptominer-defense/testing';
import { CallTimeline } from './callTimeline';

export const BENCH_REGION = 'us-east-1';
const REPORT_BUCKET = 'bench-incident-reports';

export type LambdaHandler = (event: unknown) => Promise<LambdaResult>;

/** A VPC of the member account, with its subnets and the application group its instances start in. */
export interface BenchNetwork {
  readonly vpcId: string;
  readonly subnetId: string;
  readonly securityGroupId: string;
}

/** An instance to respond to: in its own Auto Scaling group, with two ENIs, launched by its own IAM user. */
export interface BenchTarget {
  readonly network: BenchNetwork;
  readonly instanceId: string;
  readonly networkInterfaceIds: readonly string[];
  readonly event: unknown;
}

/**
 * The engine as deployed, with every AWS call it makes going through the fault-injecting proxy, which adds a
 * fixed latency to each (CloudTrail goes on to the LookupEvents fake, the rest to moto). Seeding talks to moto
 * directly, so the proxy's log holds only the engine's calls.
 */
export interface BenchWorld {
  readonly proxy: FaultInjectingProxy;
  readonly timeline: CallTimeline;
  readonly env: Readonly<Record<string, string>>;
  readonly member: AccountClients;
  /** A fresh handler (its own clients and caches), as a Lambda cold start creates. */
  createHandler(): LambdaHandler;
  createNetwork(name: string, index: number): Promise<BenchNetwork>;
  createTarget(network: BenchNetwork, name: string): Promise<BenchTarget>;
  close(): Promise<void>;
}

export async function startBenchWorld(addedLatencyMs: number): Promise<BenchWorld> {
  const moto: MotoServer = await startMotoServer();
  const closers: (() => Promise<void> | void)[] = [() => moto.stop()];
  try {
    const organization = await seedOrganization(moto.endpoint, {
      regions: [BENCH_REGION],
      members: [{ name: 'workload', organizationalUnit: 'Workloads' }],
    });
    const member = await accountClients(moto.endpoint, organization.member('workload').accountId, BENCH_REGION);
    closers.push(() => member.destroy());
    const cloudTrail: CloudTrailFake = await startCloudTrailFake({ emulatorEndpoint: moto.endpoint });
    closers.push(() => cloudTrail.stop());
    const proxy = await startFaultInjectingProxy({
      target: moto.endpoint,
      serviceTargets: { cloudtrail: cloudTrail.endpoint },
      addedLatencyMs,
    });
    closers.push(() => proxy.stop());
    const env = {
      ...emulatorEnvironment({ endpoint: proxy.endpoint, credentials: EMULATOR_CREDENTIALS }),
      REPORT_BUCKET,
      // The bench hands the handler its events directly.
      ALLOW_DIRECT_INVOCATION: 'true',
      // Every incident of the bench is in one account within the hour: the blast-radius cap at its highest (its
      // slots are claimed all the same, so their round trips are measured).
      CONTAINMENT_CAP_PER_ACCOUNT_PER_HOUR: '1000',
      CONTAINMENT_CAP_PER_ORGANIZATION_PER_HOUR: '1000',
    };
    // The SDK reads AWS_ENDPOINT_URL from process.env only.
    closers.push(applyEnvironment(env));
    const s3 = new S3Client(emulatorClientConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));
    s3.destroy();

    const timeline = new CallTimeline();
    const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
    let targets = 0;

    return {
      proxy,
      timeline,
      env,
      member,
      createHandler: () =>
        createLambdaHandler({ env, logger: jsonLinesLogger(discard), configureClient: timeline.hook() }),
      async createNetwork(name, index) {
        const network = await seedNetwork(member.ec2, BENCH_REGION, { cidrBlock: `10.${index % 250}.0.0/16`, name });
        return { vpcId: network.vpcId, subnetId: network.subnetIds[0], securityGroupId: network.securityGroupId };
      },
      async createTarget(network, name) {
        targets += 1;
        const [group, launcher] = await Promise.all([
          launchAutoScaledInstances(member.ec2, member.autoScaling, {
            name,
            subnetIds: [network.subnetId],
            securityGroupIds: [network.securityGroupId],
            desiredCapacity: 1,
          }),
          seedIamUser(member.iam, { userName: name, accessKeys: 1, loginProfile: true }),
        ]);
        const [instance] = group.instances;
        if (instance === undefined) throw new Error(`The Auto Scaling group ${name} launched no instance.`);
        // A second ENI: isolation must move every ENI, not only the primary one.
        const extra = await member.ec2.send(
          new CreateNetworkInterfaceCommand({ SubnetId: network.subnetId, Groups: [network.securityGroupId] }),
        );
        const extraId = extra.NetworkInterface?.NetworkInterfaceId;
        if (extraId === undefined) throw new Error('CreateNetworkInterface returned no id.');
        await member.ec2.send(
          new AttachNetworkInterfaceCommand({
            InstanceId: instance.instanceId,
            NetworkInterfaceId: extraId,
            DeviceIndex: 1,
          }),
        );
        // An instance role: its credentials are denied beside the swap (decision 0017), so its calls are measured.
        await seedInstanceProfile(member.iam, member.ec2, { name: `${name}-app`, instanceIds: [instance.instanceId] });
        cloudTrail.addRecords(
          runInstancesRecord({
            identity: iamUserIdentity({ accountId: member.accountId, userName: launcher.userName }),
            region: BENCH_REGION,
            instanceIds: [instance.instanceId],
            eventTime: new Date(Date.now() - 60_000 - targets),
          }),
        );
        const finding = await instanceFindingTargetOf(member.ec2, instance.instanceId);
        return {
          network,
          instanceId: instance.instanceId,
          networkInterfaceIds: finding.networkInterfaces.map((eni) => eni.networkInterfaceId),
          event: guardDutyFindingEvent({
            accountId: member.accountId,
            region: BENCH_REGION,
            instanceId: instance.instanceId,
            networkInterfaces: finding.networkInterfaces,
            tags: finding.tags,
          }),
        };
      },
      async close() {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close();
    throw error;
  }
}
