import type { WildcardResource } from './acknowledgeWildcardResources';

const ec2 = (resource: string) => `arn:{partition}:ec2:*:{account}:${resource}`;

/**
 * Why each wildcard resource of the member role is there, written by hand for cdk-nag (AwsSolutions-IAM5), apart
 * from the scopes that grant them (core's registry/memberActionScopes.ts): a grant that widens a resource finds no
 * acknowledgement here, and cdk-nag fails the synthesis (stacksets/member-role/tests/templateChecks.test.ts).
 * Resources use the scopes' `{partition}` and `{account}` placeholders.
 */
export const MEMBER_ROLE_WILDCARDS: readonly WildcardResource[] = [
  {
    resource: '*',
    reason:
      'Only Describe calls and cloudtrail:LookupEvents, which IAM cannot scope to a resource; nothing that changes anything.',
  },
  {
    resource: ec2('vpc/*'),
    reason: 'The isolation groups are created on demand in the VPC of the compromised instance, unknown in advance.',
  },
  {
    resource: ec2('security-group/*'),
    reason:
      'New groups get the purpose tag only in the call that creates them; rules and ENI moves are limited to the groups carrying it (aws:ResourceTag).',
  },
  {
    resource: ec2('network-interface/*'),
    reason: 'Any ENI of the account can belong to the compromised instance; it can only be moved onto its own groups.',
  },
  {
    resource: ec2('subnet/*'),
    reason: 'EC2 authorizes the subnet of an ENI that is moved; the move itself is limited to its own groups.',
  },
  {
    resource: ec2('network-acl/*'),
    reason:
      'Entries are added to the network ACL of the subnet of the compromised instance, unknown in advance; IAM has no key for the entry, an accepted risk (decision 0013).',
  },
  {
    resource: ec2('instance/*'),
    reason:
      'Any instance can be the compromised one: termination protection, stop protection, DeleteOnTermination (ec2:Attribute), incident tags, the stop, its profile disassociated and its metadata endpoint off (ec2:Attribute/HttpEndpoint).',
  },
  {
    resource: ec2('volume/*'),
    reason:
      'Every volume of the compromised instance is snapshotted and tagged as evidence; volumes are not known in advance.',
  },
  {
    resource: 'arn:{partition}:ec2:*::snapshot/*',
    reason: 'The evidence snapshots are new resources; their ids cannot be known in advance.',
  },
  {
    resource: 'arn:{partition}:autoscaling:*:{account}:autoScalingGroup:*:autoScalingGroupName/*',
    reason:
      'Any Auto Scaling group can hold the compromised instance: detach it, then sizes to 0 only (autoscaling:MinSize/MaxSize).',
  },
  {
    resource: 'arn:{partition}:iam::{account}:user/*',
    reason:
      'Any user can have launched the instance: login profile deleted, keys deactivated, and only AWSDenyAll attached (iam:PolicyARN).',
  },
  {
    resource: 'arn:{partition}:iam::{account}:role/*',
    reason:
      'Any role can have launched the instance or be an instance role: only AWSDenyAll or the fixed instance-credential deny policy may be attached (iam:PolicyARN), a denied-instance tag written only into an empty slot; protected roles are denied outright.',
  },
  {
    resource: 'arn:{partition}:iam::{account}:instance-profile/*',
    reason: "Any instance profile can be the compromised instance's: read only, to find its role.",
  },
  {
    resource: 'arn:{partition}:lambda:*:{account}:function:*',
    reason:
      'Any Lambda function can mine: its reserved concurrency is read, then set to 0; IAM has no key for the value (docs/decisions/0014-throttle-lambda-functions.md).',
  },
];
