import { isAutoScalingLaunch } from '../autoScalingLaunch';
import type { Actor } from '../classifyActor';

/**
 * What made the RunInstances call, read from the instance (the tags AWS puts on what its services launch, the spot
 * request EC2 names) and the launch record. The person is behind the service: whoever created or changed the stack,
 * requested the fleet or the spot instances, or configured the Auto Scaling group (domain.md §4).
 */
export type LaunchOrigin =
  /** A CloudFormation stack (`aws:cloudformation:stack-id`): the person is the CreateStack / UpdateStack caller. */
  | { readonly kind: 'cloudFormation'; readonly stackId: string }
  /** An EC2 Fleet (`aws:ec2:fleet-id`): the person is the CreateFleet caller. */
  | { readonly kind: 'ec2Fleet'; readonly fleetId: string }
  /** A Spot Fleet (`aws:ec2spot:fleet-request-id`): the person is the RequestSpotFleet caller. */
  | { readonly kind: 'spotFleet'; readonly spotFleetRequestId: string }
  /** A spot instance request (the instance's `SpotInstanceRequestId`): the person is the RequestSpotInstances caller. */
  | { readonly kind: 'spotInstances'; readonly spotInstanceRequestId: string }
  /** Auto Scaling's service-linked role made the call: the person configured the group or its launch template. */
  | { readonly kind: 'autoScaling' }
  /** Nothing says a service launched it: the caller is the person. */
  | { readonly kind: 'direct' };

export const CLOUDFORMATION_STACK_TAG = 'aws:cloudformation:stack-id';
export const EC2_FLEET_TAG = 'aws:ec2:fleet-id';
export const SPOT_FLEET_TAG = 'aws:ec2spot:fleet-request-id';

export interface LaunchOriginFacts {
  /** Who made the RunInstances call (UNKNOWN_ACTOR when CloudTrail has no record of it). */
  readonly launcher: Actor;
  /** The instance's tags; null when the instance could not be read. */
  readonly instanceTags: Readonly<Record<string, string>> | null;
  /** DescribeInstances' SpotInstanceRequestId; null for an on-demand instance or an unread one. */
  readonly spotInstanceRequestId: string | null;
}

/**
 * The stack comes first: a stack that creates an Auto Scaling group or a fleet tags their instances too, and its
 * role (which created the group) is a deployment identity, not the person.
 */
export function launchOriginOf(facts: LaunchOriginFacts): LaunchOrigin {
  const tags = facts.instanceTags ?? {};
  const stackId = tags[CLOUDFORMATION_STACK_TAG];
  if (stackId !== undefined && stackId !== '') return { kind: 'cloudFormation', stackId };
  const fleetId = tags[EC2_FLEET_TAG];
  if (fleetId !== undefined && fleetId !== '') return { kind: 'ec2Fleet', fleetId };
  const spotFleetRequestId = tags[SPOT_FLEET_TAG];
  if (spotFleetRequestId !== undefined && spotFleetRequestId !== '') return { kind: 'spotFleet', spotFleetRequestId };
  if (facts.spotInstanceRequestId !== null && facts.spotInstanceRequestId !== '') {
    return { kind: 'spotInstances', spotInstanceRequestId: facts.spotInstanceRequestId };
  }
  if (isAutoScalingLaunch(facts.launcher)) return { kind: 'autoScaling' };
  return { kind: 'direct' };
}

/** The origin in words, for the report: "the CloudFormation stack arn:…". */
export function describeLaunchOrigin(origin: LaunchOrigin): string {
  switch (origin.kind) {
    case 'cloudFormation':
      return `the CloudFormation stack ${origin.stackId}`;
    case 'ec2Fleet':
      return `the EC2 Fleet ${origin.fleetId}`;
    case 'spotFleet':
      return `the Spot Fleet request ${origin.spotFleetRequestId}`;
    case 'spotInstances':
      return `the spot instance request ${origin.spotInstanceRequestId}`;
    case 'autoScaling':
      return 'an Auto Scaling group';
    case 'direct':
      return 'a direct RunInstances call';
  }
}
