import type { GuardDutyFinding } from './guardDutyFindingEvent';

/**
 * What a finding says of its instance that lets the responder start reading before DescribeInstances answers:
 * the VPCs of its ENIs (their isolation groups are looked up) and its Auto Scaling group (described); and how old
 * the launch was when the mining was first seen (attribution's launch-age rule). Hints only:
 * every change waits for the instance as EC2 describes it, and a hint that turns out wrong costs a read.
 */
export interface InstanceHints {
  readonly vpcIds: readonly string[];
  readonly autoScalingGroupName: string | null;
  /** `resource.instanceDetails.launchTime` and `service.eventFirstSeen`: how old the launch was when mining began. */
  readonly launchTime: string | null;
  readonly firstSeen: string | null;
}

export const NO_INSTANCE_HINTS: InstanceHints = {
  vpcIds: [],
  autoScalingGroupName: null,
  launchTime: null,
  firstSeen: null,
};

const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const AUTO_SCALING_GROUP_TAG = 'aws:autoscaling:groupName';
/** More than this many VPCs for one instance is not a real finding: read none of them early. */
const MAX_VPCS = 8;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(value: unknown): readonly Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Reads the hints leniently: a malformed field gives no hint, never an error (the finding is still acted on). */
function timeOf(value: unknown): string | null {
  return typeof value === 'string' && Number.isFinite(Date.parse(value)) ? value : null;
}

export function instanceHintsOf(finding: GuardDutyFinding): InstanceHints {
  const service: unknown = finding.service;
  const firstSeen = isRecord(service) ? timeOf(service.eventFirstSeen) : null;
  const details: unknown = finding.resource.instanceDetails;
  if (!isRecord(details)) return { ...NO_INSTANCE_HINTS, firstSeen };
  const vpcIds = [
    ...new Set(
      listOf(details.networkInterfaces).flatMap((eni) =>
        typeof eni.vpcId === 'string' && VPC_ID.test(eni.vpcId) ? [eni.vpcId] : [],
      ),
    ),
  ];
  const groupTag = listOf(details.tags).find((tag) => tag.key === AUTO_SCALING_GROUP_TAG);
  const groupName = groupTag?.value;
  return {
    vpcIds: vpcIds.length <= MAX_VPCS ? vpcIds : [],
    autoScalingGroupName:
      typeof groupName === 'string' && groupName.length > 0 && groupName.length <= 255 ? groupName : null,
    launchTime: timeOf(details.launchTime),
    firstSeen,
  };
}
