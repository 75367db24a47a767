import { randomBytes } from 'node:crypto';
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  guardDutyFindingEvent,
  iamUserIdentity,
  instanceFindingTargetOf,
  launchInstance,
  runInstancesRecord,
  type SeededInstance,
} from '@cryptominer-defense/testing';
import { isolationGroups, networkInterfacesInGroup } from './networkInterfaceGroups';
import type { ResponderWorld } from './responderWorld';

const HOUR_MS = 3_600_000;
/**
 * The responders' clock for the cap's tests, moved forward to the middle of an hour: a burst that started at
 * hh:59:59 would otherwise count in two hours. Forward only, so every CloudTrail record and every report lies in its
 * past.
 */
const shift = (1.5 * HOUR_MS - (Date.now() % HOUR_MS)) % HOUR_MS;
export const midHourClock = (): Date => new Date(Date.now() + shift);

/** A bucket of its own for each scenario: its slots count from zero whatever the others took. */
export async function freshBucket(s3: S3Client): Promise<string> {
  const bucket = `cap-${randomBytes(6).toString('hex')}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** New instances in a member's primary network, launched by its developer (CloudTrail knows it), and a finding each. */
export async function launchInstances(world: ResponderWorld, memberName: string, count: number, region: string) {
  const member = world.organization.member(memberName);
  const layout = member.inRegion(region);
  const { ec2 } = await world.clientsOf(member.accountId, region);
  const instances: SeededInstance[] = await Promise.all(
    Array.from({ length: count }, (_unused, index) =>
      launchInstance(ec2, {
        subnetId: layout.primaryNetwork.subnetIds[0] ?? '',
        securityGroupIds: [layout.primaryNetwork.securityGroupId],
        name: `${memberName}-burst-${index}`,
      }),
    ),
  );
  world.cloudTrail.addRecords(
    runInstancesRecord({
      identity: iamUserIdentity({ accountId: member.accountId, userName: member.identities.developer.userName }),
      region,
      instanceIds: instances.map((instance) => instance.instanceId),
    }),
  );
  const events = await Promise.all(
    instances.map(async (instance) =>
      guardDutyFindingEvent({
        accountId: member.accountId,
        region,
        ...(await instanceFindingTargetOf(ec2, instance.instanceId)),
      }),
    ),
  );
  return { accountId: member.accountId, ec2, instances, events };
}

/** Per instance: stopped (or stopping), and every ENI on an isolation group, as moto holds them. */
export async function containedInEmulator(ec2: EC2Client, instances: readonly SeededInstance[]) {
  const isolated = new Set(
    (
      await Promise.all((await isolationGroups(ec2)).map((group) => networkInterfacesInGroup(ec2, group.GroupId ?? '')))
    ).flat(),
  );
  const described = await ec2.send(
    new DescribeInstancesCommand({ InstanceIds: instances.map((instance) => instance.instanceId) }),
  );
  const states = new Map(
    (described.Reservations ?? []).flatMap((reservation) =>
      (reservation.Instances ?? []).map((instance) => [instance.InstanceId ?? '', instance.State?.Name ?? ''] as const),
    ),
  );
  return instances.map((instance) => ({
    instanceId: instance.instanceId,
    isolated: instance.networkInterfaceIds.every((eni) => isolated.has(eni)),
    anyIsolated: instance.networkInterfaceIds.some((eni) => isolated.has(eni)),
    state: states.get(instance.instanceId),
  }));
}

/** The cap's slots under a prefix, with the holder each names. */
export async function slotsOf(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; findingId: string; instanceId: string }[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return Promise.all(
    (listed.Contents ?? []).map(async (object) => {
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      const holder = JSON.parse((await body.Body?.transformToString()) ?? '{}') as {
        findingId: string;
        instanceId: string;
      };
      return { key: object.Key ?? '', findingId: holder.findingId, instanceId: holder.instanceId };
    }),
  );
}
