import { DescribeInstancesCommand, DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  EC2_FLEET_TAG,
  FOLLOWED_LAUNCH_EVENTS,
  type FollowedInstance,
  type FollowedPrincipal,
  INCIDENT_TAG_KEY,
  launchedFleetIds,
  launchedInstanceIds,
  type StepRecord,
  skipped,
  succeeded,
} from '@cryptominer-defense/core';
import type { MemberAccountClients } from '../clients/responderClients';
import type { RecentAnswers } from '../recentAnswers';
import { decidedRecord, runAction } from '../runAction';
import { lookUpChangesPaged } from './cloudTrailChanges';

const STEP = 'followActor';
/**
 * A person's event history holds their reads too: 20 pages of 50 per region. CloudTrail answers 2 lookups a second
 * per account and region, so a region takes 10 seconds at most, the regions side by side.
 */
const MAX_PAGES = 20;
/** EC2 takes at most 200 values in one filter. */
const IDS_PER_FILTER = 200;
const STILL_RUNNING = ['pending', 'running'];

export interface FollowActorInput {
  readonly principal: FollowedPrincipal;
  /** The member account's EC2 client in the finding's region: it lists the enabled regions. */
  readonly ec2: EC2Client;
  /** The member account's clients in a region (the responder role's session, cached per account). */
  readonly clientsIn: (region: string) => Promise<MemberAccountClients>;
  /** The finding's own instance (and region): it has its own response. */
  readonly instanceId: string;
  readonly region: string;
  readonly now: () => Date;
  /** The container's recent answers: the same person's launches in a region are looked up once for its responses. */
  readonly recentAnswers?: RecentAnswers;
}

export interface FollowedActor {
  readonly records: readonly StepRecord[];
  /** The person's instances still pending or running, the finding's own left out. */
  readonly running: readonly FollowedInstance[];
}

/** What a launch call started: an instance (by its id), or an EC2 Fleet whose instances carry its tag. */
interface Launch {
  readonly kind: 'instance' | 'fleet';
  readonly id: string;
  readonly eventTime: string | null;
}

/** How DescribeInstances finds each kind: by id, or by the tag EC2 puts on a fleet's instances. */
const FILTER_OF_KIND = { instance: 'instance-id', fleet: `tag:${EC2_FLEET_TAG}` } as const;

function launchesOf(records: readonly { readonly record: unknown }[]): Launch[] {
  return records.flatMap(({ record }) => {
    const time = (record as { eventTime?: unknown } | null)?.eventTime;
    const eventTime = typeof time === 'string' ? time : null;
    return [
      ...launchedInstanceIds(record).map((id) => ({ kind: 'instance' as const, id, eventTime })),
      // A fleet of type maintain or request answers without instance ids: its instances are found by its tag.
      ...launchedFleetIds(record).map((id) => ({ kind: 'fleet' as const, id, eventTime })),
    ];
  });
}

async function stillRunning(ec2: EC2Client, region: string, launches: readonly Launch[]): Promise<FollowedInstance[]> {
  const running = new Map<string, FollowedInstance>();
  for (const kind of ['instance', 'fleet'] as const) {
    const ids = [...new Set(launches.filter((launch) => launch.kind === kind).map((launch) => launch.id))];
    for (let start = 0; start < ids.length; start += IDS_PER_FILTER) {
      // Filters, not InstanceIds: one instance terminated long ago would fail the whole call (InvalidInstanceID.NotFound).
      let nextToken: string | undefined;
      do {
        const page = await ec2.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: FILTER_OF_KIND[kind], Values: ids.slice(start, start + IDS_PER_FILTER) },
              { Name: 'instance-state-name', Values: STILL_RUNNING },
            ],
            NextToken: nextToken,
          }),
        );
        for (const instance of (page?.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])) {
          if (instance.InstanceId === undefined || running.has(instance.InstanceId)) continue;
          const tagOf = (key: string) => instance.Tags?.find((tag) => tag.Key === key)?.Value;
          const launchedBy = kind === 'instance' ? instance.InstanceId : tagOf(EC2_FLEET_TAG);
          const launch = launches.find((candidate) => candidate.kind === kind && candidate.id === launchedBy);
          running.set(instance.InstanceId, {
            instanceId: instance.InstanceId,
            region,
            launchedAt: instance.LaunchTime?.toISOString() ?? launch?.eventTime ?? null,
            state: instance.State?.Name ?? 'unknown',
            answeredBy: tagOf(INCIDENT_TAG_KEY) ?? null,
          });
        }
        nextToken = page?.NextToken;
      } while (nextToken !== undefined && nextToken !== '');
    }
  }
  return [...running.values()];
}

/** One region: the person's launches there (pages one after the other: the rate is per region), then what still runs. */
async function followInRegion(input: FollowActorInput, region: string): Promise<FollowedActor> {
  const looked = await runAction(
    { step: STEP, action: 'lookUpLaunches', target: region },
    async () => {
      const lookUp = async () => {
        const { cloudTrail } = await input.clientsIn(region);
        const found = await lookUpChangesPaged(
          cloudTrail,
          input.principal.attribute,
          input.principal.principalArn,
          (eventName) => FOLLOWED_LAUNCH_EVENTS.includes(eventName),
          MAX_PAGES,
        );
        return { launches: launchesOf(found.changes), unread: unreadNotice(found, region) };
      };
      // The principal's ARN names the account; the attribute, which of its names CloudTrail is asked for.
      const key = `followActor/${input.principal.principalArn}/${JSON.stringify(input.principal.attribute)}/${region}`;
      const value = input.recentAnswers === undefined ? await lookUp() : await input.recentAnswers(key, lookUp);
      return { result: succeeded, value };
    },
    { launches: [], unread: null },
    input.now,
  );
  // A person's history longer than the pages read: a notice for a person (the follow itself is complete).
  const unread =
    looked.value.unread === null
      ? []
      : [
          decidedRecord(
            { step: STEP, action: OLDER_LAUNCHES_NOTICE, target: region },
            skipped(`${input.principal.principalArn}: ${looked.value.unread}`),
            input.now,
          ),
        ];
  const isOwn = (instanceId: string) => region === input.region && instanceId === input.instanceId;
  const others = looked.value.launches.filter((launch) => launch.kind === 'fleet' || !isOwn(launch.id));
  if (others.length === 0) return { records: [looked.record, ...unread], running: [] };
  const described = await runAction(
    { step: STEP, action: 'describeLaunchedInstances', target: region },
    async () => {
      const { ec2 } = await input.clientsIn(region);
      // A fleet's tag finds the finding's own instance too: it has its own response.
      const running = await stillRunning(ec2, region, others);
      return { result: succeeded, value: running.filter((instance) => !isOwn(instance.instanceId)) };
    },
    [],
    input.now,
  );
  return { records: [looked.record, ...unread, described.record], running: described.value };
}

/** The notice's action (core's NOTICE_ACTIONS): it tells a person, and does not make the follow incomplete. */
const OLDER_LAUNCHES_NOTICE = 'olderLaunchesNotSearched';

function unreadNotice(found: { readonly truncated: boolean; readonly oldestEventTime: string | null }, region: string) {
  if (!found.truncated) return null;
  const since = found.oldestEventTime === null ? '' : `, back to ${found.oldestEventTime}`;
  return `CloudTrail in ${region} holds more of this person's events than the ${MAX_PAGES} pages of 50 read (the newest ${MAX_PAGES * 50}${since}): older launches were not searched, and an instance they started that still runs is not listed. Look them up in the event history (RunInstances, CreateFleet, RequestSpotInstances) and contain what still runs.`;
}

/**
 * Follows the attributed person across the account: the enabled regions (DescribeRegions), then in each, at the same
 * time, their RunInstances / CreateFleet / RequestSpotInstances calls in CloudTrail's event history (by user name or
 * access key) and which of the instances those calls started still run. Throttling is the SDK's adaptive retry's;
 * a region that fails is recorded and the others still answer.
 */
export async function followActor(input: FollowActorInput): Promise<FollowedActor> {
  const regions = await runAction(
    { step: STEP, action: 'describeRegions', target: input.principal.principalArn },
    async () => {
      const answer = await input.ec2.send(new DescribeRegionsCommand({ AllRegions: false }));
      const names = (answer?.Regions ?? []).flatMap((region) => region.RegionName ?? []);
      return { result: succeeded, value: names.includes(input.region) ? names : [input.region, ...names] };
    },
    [input.region],
    input.now,
  );
  const perRegion = await Promise.all(regions.value.map((region) => followInRegion(input, region)));
  return {
    records: [regions.record, ...perRegion.flatMap((answer) => answer.records)],
    running: perRegion.flatMap((answer) => answer.running),
  };
}
