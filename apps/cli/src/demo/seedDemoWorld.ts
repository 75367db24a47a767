import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  assumedRoleIdentity,
  autoScalingServiceIdentity,
  type CloudTrailFake,
  type CloudTrailRecord,
  createAutoScalingGroupRecord,
  emulatorClientConfig,
  emulatorEnvironment,
  iamUserIdentity,
  type MotoServer,
  rootIdentity,
  runInstancesRecord,
  type SeededOrganization,
  seedOrganization,
  startCloudTrailFake,
  startMotoServer,
} from '@cryptominer-defense/testing';
import { DEMO_MEMBERS, DEMO_REGIONS, type DemoIncident, demoIncidents } from './demoIncidents';

export const DEMO_REPORT_BUCKET = 'central-incident-reports';

/** The emulated organization the demo plays in. */
export interface DemoWorld {
  readonly endpoint: string;
  readonly organization: SeededOrganization;
  readonly incidents: readonly DemoIncident[];
  readonly bucket: string;
  /** The environment the responder runs with (the SDK's standard variables, plus its configuration). */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

function launchRecords(incident: DemoIncident): CloudTrailRecord[] {
  const { accountId, region, instanceId, launcher } = incident;
  const eventTime = new Date(Date.now() - 2 * 60 * 60 * 1000);
  switch (launcher.kind) {
    case 'user':
      return [
        runInstancesRecord({
          identity: iamUserIdentity({ accountId, userName: launcher.userName }),
          region,
          eventTime,
          instanceIds: [instanceId],
        }),
      ];
    case 'role':
      return [
        runInstancesRecord({
          identity: assumedRoleIdentity({ accountId, roleName: launcher.roleName, sessionName: 'deploy-bot' }),
          region,
          eventTime,
          instanceIds: [instanceId],
        }),
      ];
    case 'root':
      return [
        runInstancesRecord({ identity: rootIdentity({ accountId }), region, eventTime, instanceIds: [instanceId] }),
      ];
    case 'auto-scaling':
      return [
        createAutoScalingGroupRecord({
          identity: iamUserIdentity({ accountId, userName: launcher.userName }),
          region,
          eventTime: new Date(eventTime.getTime() - 60 * 60 * 1000),
          autoScalingGroupName: launcher.autoScalingGroupName,
          minSize: 2,
          maxSize: 4,
          desiredCapacity: 2,
        }),
        runInstancesRecord({
          identity: autoScalingServiceIdentity({ accountId }),
          region,
          eventTime,
          instanceIds: [instanceId],
          autoScalingGroupName: launcher.autoScalingGroupName,
        }),
      ];
  }
}

/**
 * Starts moto and the CloudTrail fake on 127.0.0.1, seeds the organization (three members in two OUs, two
 * regions), the central report bucket and the CloudTrail history of every launch.
 */
export async function seedDemoWorld(): Promise<DemoWorld> {
  let server: MotoServer | undefined;
  let cloudTrail: CloudTrailFake | undefined;
  try {
    server = await startMotoServer();
    const endpoint = server.endpoint;
    cloudTrail = await startCloudTrailFake({ emulatorEndpoint: endpoint });
    const organization = await seedOrganization(endpoint, { members: DEMO_MEMBERS, regions: DEMO_REGIONS });
    const incidents = demoIncidents(organization);
    cloudTrail.addRecords(...incidents.flatMap(launchRecords));
    const s3 = new S3Client(emulatorClientConfig(endpoint));
    try {
      await s3.send(new CreateBucketCommand({ Bucket: DEMO_REPORT_BUCKET }));
    } finally {
      s3.destroy();
    }
    const env = {
      ...emulatorEnvironment({ endpoint, cloudTrailEndpoint: cloudTrail.endpoint }),
      REPORT_BUCKET: DEMO_REPORT_BUCKET,
    };
    const started = { server, cloudTrail };
    return {
      endpoint,
      organization,
      incidents,
      bucket: DEMO_REPORT_BUCKET,
      env,
      async stop() {
        await started.cloudTrail.stop();
        await started.server.stop();
      },
    };
  } catch (error) {
    await cloudTrail?.stop();
    await server?.stop();
    throw error;
  }
}
