/**
 * The response steps: one registry, the only place that knows a step. For each step it holds its key (= the file
 * and the export that implement it, packages/responder/src/steps/<key>.ts, enforced by a test), the AWS actions it
 * calls with where the member role lets each act, the response modes that run it, whether a later delivery of the
 * finding repeats it, the steps it waits for, what it "would do" when a mode holds it back, and the release steps
 * that undo it. Derived from it (registry/stepQueries.ts): the mode gate and the observe records of the engine, the
 * done-once rule of repeated deliveries, the sample report, the member role's and the central role's policies, the
 * fault matrix's actions and dependencies, and the step table of packages/responder/README.md.
 *
 * Adding a step: its file in packages/responder/src/steps, its entry here, its tests.
 */
import * as scope from './registry/memberActionScopes';
import { type MemberStepInput, memberStep, type StepSubject } from './registry/stepDefinition';

export const MEMBER_ACCOUNT_STEPS = {
  /** Reads the instance: its ENIs and their VPCs, state, Auto Scaling group tag. */
  inspectInstance: memberStep({
    description: 'Read the instance, its network interfaces and its Auto Scaling group tag',
    phase: 'read',
    actions: { 'ec2:DescribeInstances': scope.readWithoutResourceLevelPermissions },
    modes: ['observe', 'contain', 'approval', 'full'],
    doneOnce: false,
    after: [],
    releasedBy: [],
  }),
  /**
   * Per ENI: onto the all-open group of its VPC (its flows become untracked), then onto the no-rule isolation
   * group (untracked flows stop at once; a plain swap would let established connections live on, domain.md §2).
   */
  isolateNetworkInterfaces: memberStep({
    description:
      'Move every network interface onto the all-open group of its VPC, then onto the no-rule isolation group',
    phase: 'containment',
    actions: {
      'ec2:DescribeSecurityGroups': scope.readWithoutResourceLevelPermissions,
      'ec2:DescribeNetworkInterfaces': scope.readWithoutResourceLevelPermissions,
      'ec2:DescribeSecurityGroupRules': scope.readWithoutResourceLevelPermissions,
      'ec2:CreateSecurityGroup': scope.createIsolationGroup,
      'ec2:CreateTags': scope.tagEvidence,
      'ec2:RevokeSecurityGroupEgress': scope.securityGroupRules,
      'ec2:AuthorizeSecurityGroupIngress': scope.connectionCutGroupRules,
      'ec2:AuthorizeSecurityGroupEgress': scope.connectionCutGroupRules,
      'ec2:RevokeSecurityGroupIngress': scope.closeConnectionCutGroups,
      'ec2:ModifyNetworkInterfaceAttribute': scope.networkInterfaceGroups,
    },
    modes: ['contain', 'approval', 'full'],
    doneOnce: true,
    after: ['inspectInstance'],
    wouldDo: (subject: StepSubject) =>
      subject.instance === null
        ? 'move every ENI onto the all-open group, then onto the isolation group'
        : `move every ENI (${subject.instance.networkInterfaceIds.join(', ') || 'none'}) onto ${subject.connectionCutGroupName}, then onto ${subject.isolationGroupName}, in its VPC`,
    releasedBy: ['restoreNetworkInterfaceGroups'],
  }),
  /**
   * Beside the swap (it waits for the instance read only): flows through a NAT gateway, NLB or transit gateway stay
   * tracked whatever the groups say, so the instance's own addresses are denied in its subnets' network ACLs.
   */
  denyInNetworkAcls: memberStep({
    description:
      "Deny the instance's private addresses (IPv4 /32, IPv6 /128), inbound and outbound, in the network ACL of each ENI's subnet, below its allows",
    phase: 'containment',
    actions: {
      'ec2:DescribeNetworkAcls': scope.readWithoutResourceLevelPermissions,
      'ec2:CreateNetworkAclEntry': scope.networkAclEntries,
    },
    modes: ['contain', 'approval', 'full'],
    doneOnce: true,
    after: ['inspectInstance'],
    wouldDo: (subject: StepSubject) =>
      subject.instance === null
        ? "deny the instance's private addresses, both directions, in the network ACL of each ENI's subnet"
        : `deny the private addresses of ${subject.instance.networkInterfaceIds.join(', ') || 'no ENI'}, inbound and outbound, in the network ACL of each subnet, below its allows`,
    releasedBy: ['removeNetworkAclEntries'],
  }),
  /**
   * Beside the swap (it waits for the instance read only): the attacker on the instance holds its role's credentials
   * from the metadata service. Those of this instance are denied wherever they are used (the fixed deny policy and a
   * role tag naming the instance, read through `ec2:SourceInstanceARN`), sibling instances of the role keep theirs;
   * then the instance loses its profile and its metadata service (docs/decisions/0017).
   */
  revokeInstanceCredentials: memberStep({
    description:
      "Deny this instance's role credentials wherever they are used (a free denied-instance tag on its role and the fixed deny policy), disassociate its instance profile, turn its metadata service off",
    phase: 'containment',
    actions: {
      'ec2:DescribeIamInstanceProfileAssociations': scope.readWithoutResourceLevelPermissions,
      'iam:GetInstanceProfile': scope.readInstanceProfiles,
      'iam:ListRoleTags': scope.readRoles,
      'iam:ListAttachedRolePolicies': scope.readRoles,
      'iam:TagRole': scope.fillDeniedInstanceSlots,
      'iam:AttachRolePolicy': scope.attachDenyPoliciesToRoles,
      'ec2:DisassociateIamInstanceProfile': scope.disassociateInstanceProfiles,
      'ec2:ModifyInstanceMetadataOptions': scope.disableInstanceMetadata,
    },
    modes: ['contain', 'approval', 'full'],
    doneOnce: true,
    after: ['inspectInstance'],
    wouldDo: (subject: StepSubject) =>
      subject.instance === null
        ? "deny the instance's role credentials to this instance only, disassociate its instance profile, turn its metadata service off"
        : subject.instance.instanceProfileArn === null
          ? `turn the metadata service of ${subject.instanceId} off (it has no instance profile)`
          : `deny the credentials ${subject.instanceId} got from ${subject.instance.instanceProfileArn} (this instance only), disassociate the profile, turn its metadata service off`,
    releasedBy: ['removeInstanceCredentialDeny', 'restoreInstanceProfile', 'restoreInstanceMetadataOptions'],
  }),
  /** Takes the instance out of its Auto Scaling group (so the group cannot terminate it), then scales the group to 0. */
  disableAutoScalingGroup: memberStep({
    description: 'Detach the instance from its Auto Scaling group, then set the group to 0/0/0',
    phase: 'containment',
    actions: {
      'autoscaling:DescribeAutoScalingGroups': scope.readWithoutResourceLevelPermissions,
      'autoscaling:DetachInstances': scope.detachFromAutoScalingGroups,
      'autoscaling:UpdateAutoScalingGroup': scope.scaleAutoScalingGroupsToZero,
    },
    modes: ['contain', 'approval', 'full'],
    doneOnce: true,
    after: ['inspectInstance'],
    wouldDo: (subject: StepSubject) =>
      subject.instance === null
        ? 'detach the instance from its Auto Scaling group, then set the group to 0/0/0'
        : `detach ${subject.instanceId} from ${subject.instance.autoScalingGroupName ?? 'its group'} (with decrement), then set the group to 0/0/0`,
    releasedBy: ['restoreAutoScalingGroupSizes'],
  }),
  /** Keeps the evidence before the instance is stopped: nothing here may delay network isolation. */
  preserveEvidence: memberStep({
    description:
      'Termination protection on, DeleteOnTermination off for every EBS volume, incident tags, a snapshot of every volume',
    phase: 'containment',
    actions: {
      'ec2:DescribeInstanceAttribute': scope.readWithoutResourceLevelPermissions,
      'ec2:ModifyInstanceAttribute': scope.keepEvidence,
      'ec2:CreateTags': scope.tagEvidence,
      'ec2:DescribeSnapshots': scope.readWithoutResourceLevelPermissions,
      'ec2:CreateSnapshot': scope.snapshotVolumes,
    },
    modes: ['contain', 'approval', 'full'],
    doneOnce: true,
    after: ['inspectInstance'],
    wouldDo: (subject: StepSubject) =>
      subject.instance === null
        ? 'termination protection, DeleteOnTermination off, incident tags, EBS snapshots'
        : `turn termination protection on, set DeleteOnTermination off and snapshot ${subject.instance.volumeCount} EBS volume(s), tag them with finding ${subject.findingId}`,
    // The evidence is kept for the investigation: release leaves it to a person.
    releasedBy: [],
  }),
  /** With stop protection on, StopInstances fails (OperationNotPermitted) and the instance keeps mining. */
  liftStopProtection: memberStep({
    description: 'Turn stop protection (DisableApiStop) off, once the evidence is kept, so that the stop can work',
    phase: 'containment',
    actions: {
      'ec2:DescribeInstanceAttribute': scope.readWithoutResourceLevelPermissions,
      'ec2:ModifyInstanceAttribute': scope.keepEvidence,
    },
    modes: ['full'],
    doneOnce: true,
    after: ['preserveEvidence'],
    wouldDo: (subject: StepSubject) =>
      `turn stop protection of ${subject.instance === null ? 'the instance' : subject.instanceId} off if it is on, so that it can be stopped`,
    releasedBy: ['restoreStopProtection'],
  }),
  /** Never while the instance is in its Auto Scaling group: stopped in service, it would be replaced and terminated. */
  stopInstance: memberStep({
    description:
      'Stop the instance, or hibernate it when it was launched with hibernation (after Auto Scaling and evidence)',
    phase: 'containment',
    actions: { 'ec2:StopInstances': scope.stopInstances },
    modes: ['full'],
    doneOnce: true,
    after: ['disableAutoScalingGroup', 'preserveEvidence', 'liftStopProtection'],
    wouldDo: (subject: StepSubject) => {
      if (subject.instance === null) return 'stop (or hibernate) the instance';
      return subject.instance.hibernates
        ? `hibernate ${subject.instanceId} (memory kept on its root volume)`
        : `stop ${subject.instanceId}`;
    },
    // Restarting an instance that mined is a person's decision.
    releasedBy: [],
  }),
  /**
   * A crypto-mining finding in a Lambda function (not an instance): its reserved concurrency read, then set to 0, so
   * that no invocation runs; the earlier setting is undo data.
   */
  throttleLambdaFunction: memberStep({
    description:
      "Read the Lambda function's reserved concurrency, then set it to 0 (no invocation runs); for Lambda findings only",
    phase: 'function',
    actions: {
      'lambda:GetFunctionConcurrency': scope.lambdaFunctionConcurrency,
      'lambda:PutFunctionConcurrency': scope.lambdaFunctionConcurrency,
    },
    modes: ['contain', 'approval', 'full'],
    doneOnce: true,
    after: [],
    // Never for an instance.
    wouldDo: (subject: StepSubject) =>
      subject.lambdaFunctionArn === undefined
        ? null
        : `set the reserved concurrency of ${subject.lambdaFunctionArn} to 0 (no invocation runs), its current setting recorded for release`,
    releasedBy: ['restoreFunctionConcurrency'],
  }),
  /** Finds who launched the instance in CloudTrail. */
  attributeLaunch: memberStep({
    description: 'Find the RunInstances call for the instance in CloudTrail',
    phase: 'attribution',
    actions: { 'cloudtrail:LookupEvents': scope.readWithoutResourceLevelPermissions },
    modes: ['observe', 'contain', 'approval', 'full'],
    doneOnce: true,
    after: [],
    wouldDo: (subject: StepSubject) => (subject.instance === null ? 'find the RunInstances call in CloudTrail' : null),
    releasedBy: [],
  }),
  /** When Auto Scaling launched the instance: who created or last changed its group or launch template. */
  traceAutoScalingLaunch: memberStep({
    description:
      'Find who created or last changed the Auto Scaling group or launch template behind an Auto Scaling launch',
    phase: 'attribution',
    actions: { 'cloudtrail:LookupEvents': scope.readWithoutResourceLevelPermissions },
    modes: ['observe', 'contain', 'approval', 'full'],
    doneOnce: true,
    after: ['attributeLaunch'],
    releasedBy: [],
  }),
  /**
   * When CloudFormation, EC2 Fleet, Spot Fleet or a spot request launched the instance: who asked for it (the latest
   * CreateStack / UpdateStack, CreateFleet, RequestSpotFleet or RequestSpotInstances call about it by a person).
   */
  traceLaunchRequest: memberStep({
    description:
      'Find who created or updated the stack, or requested the fleet or spot instances, behind a launch by a service',
    phase: 'attribution',
    actions: { 'cloudtrail:LookupEvents': scope.readWithoutResourceLevelPermissions },
    modes: ['observe', 'contain', 'approval', 'full'],
    doneOnce: true,
    after: ['attributeLaunch', 'inspectInstance'],
    releasedBy: [],
  }),
  /**
   * Once a person is attributed (frozen, not protected): their RunInstances, CreateFleet and RequestSpotInstances in
   * every enabled region, over CloudTrail's 90 days; the instances still running are listed, and contained as linked
   * incidents in their own regions (at most MAX_FOLLOWED_INSTANCES; in observe mode only listed).
   */
  followActor: memberStep({
    description:
      "Find the attributed person's launches in every enabled region (CloudTrail) and which of those instances still run",
    phase: 'attribution',
    actions: {
      'ec2:DescribeRegions': scope.readWithoutResourceLevelPermissions,
      'cloudtrail:LookupEvents': scope.readWithoutResourceLevelPermissions,
      'ec2:DescribeInstances': scope.readWithoutResourceLevelPermissions,
    },
    modes: ['observe', 'contain', 'approval', 'full'],
    doneOnce: true,
    after: ['attributeLaunch', 'traceAutoScalingLaunch', 'traceLaunchRequest'],
    releasedBy: [],
  }),
  freezeUser: memberStep({
    description: 'Delete the login profile, deactivate every access key and attach AWSDenyAll',
    phase: 'freeze',
    actions: {
      'iam:DeleteLoginProfile': scope.iamUsers,
      'iam:ListAccessKeys': scope.iamUsers,
      'iam:UpdateAccessKey': scope.iamUsers,
      'iam:ListAttachedUserPolicies': scope.iamUsers,
      'iam:AttachUserPolicy': scope.attachDenyAllToUsers,
    },
    modes: ['full'],
    doneOnce: true,
    after: ['attributeLaunch', 'traceAutoScalingLaunch', 'traceLaunchRequest'],
    wouldDo: (subject: StepSubject) =>
      subject.launcherArn === null
        ? 'freeze the IAM user or role that launched the instance'
        : `freeze ${subject.launcherArn} (unless protected)`,
    releasedBy: ['reactivateAccessKey', 'detachUserDenyAll'],
  }),
  freezeRole: memberStep({
    description: 'Attach AWSDenyAll, which denies everything to every session of the role, live ones included',
    phase: 'freeze',
    actions: {
      'iam:ListAttachedRolePolicies': scope.readRoles,
      'iam:AttachRolePolicy': scope.attachDenyPoliciesToRoles,
    },
    modes: ['full'],
    doneOnce: true,
    after: ['attributeLaunch', 'traceAutoScalingLaunch', 'traceLaunchRequest'],
    wouldDo: (subject: StepSubject) =>
      subject.launcherArn === null ? null : `freeze ${subject.launcherArn} (unless protected)`,
    releasedBy: ['detachRoleDenyAll'],
  }),
} as const satisfies Record<string, MemberStepInput & { readonly iamActions: readonly string[] }>;

export * from './registry/centralAccountSteps';
export type { ActionScope } from './registry/memberActionScopes';
export * from './registry/releaseSteps';
export type { MemberStepDefinition, StepDefinition, StepPhase, StepSubject } from './registry/stepDefinition';
