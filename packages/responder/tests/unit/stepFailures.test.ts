import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DetachInstancesCommand,
  UpdateAutoScalingGroupCommand,
  type UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclEntryCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DisassociateIamInstanceProfileCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  ModifyInstanceMetadataOptionsCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  DeleteLoginProfileCommand,
  GetInstanceProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRoleTagsCommand,
  TagRoleCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetFunctionConcurrencyCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import {
  type LaunchRequestSearch,
  launchRequestSearchOf,
  MEMBER_ACCOUNT_STEPS,
  type MemberAccountStepName,
  type StepRecord,
} from '@cryptominer-defense/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ContainmentPlan, containInstance } from '../../src/containment/containInstance';
import { attributeLaunch } from '../../src/steps/attributeLaunch';
import { denyInNetworkAcls } from '../../src/steps/denyInNetworkAcls';
import { disableAutoScalingGroup } from '../../src/steps/disableAutoScalingGroup';
import { followActor } from '../../src/steps/followActor';
import { freezeRole } from '../../src/steps/freezeRole';
import { freezeUser } from '../../src/steps/freezeUser';
import { type InstanceFacts, inspectInstance } from '../../src/steps/inspectInstance';
import { isolateNetworkInterfaces } from '../../src/steps/isolateNetworkInterfaces';
import { liftStopProtection } from '../../src/steps/liftStopProtection';
import { preserveEvidence } from '../../src/steps/preserveEvidence';
import { revokeInstanceCredentials } from '../../src/steps/revokeInstanceCredentials';
import { stopInstance } from '../../src/steps/stopInstance';
import { throttleLambdaFunction } from '../../src/steps/throttleLambdaFunction';
import { traceAutoScalingLaunch } from '../../src/steps/traceAutoScalingLaunch';
import { traceLaunchRequest } from '../../src/steps/traceLaunchRequest';
import { ACCESS_DENIED, awsError, THROTTLED } from '../support/awsError';
import { sentActions } from '../support/sentActions';
import { signal } from '../support/signal';

const ec2 = mockClient(EC2Client);
const autoScaling = mockClient(AutoScalingClient);
const iam = mockClient(IAMClient);
const cloudTrail = mockClient(CloudTrailClient);
const lambda = mockClient(LambdaClient);
const FUNCTION = { functionName: 'miner', functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:miner' };

const instance: InstanceFacts = {
  instanceId: 'i-0123456789abcdef0',
  state: 'running',
  networkInterfaces: [
    {
      networkInterfaceId: 'eni-a',
      vpcId: 'vpc-1',
      securityGroupIds: ['sg-app'],
      subnetId: 'subnet-a',
      privateIpAddresses: ['10.0.1.5'],
      ipv6Addresses: [],
    },
    {
      networkInterfaceId: 'eni-b',
      vpcId: 'vpc-2',
      securityGroupIds: ['sg-db'],
      subnetId: 'subnet-b',
      privateIpAddresses: ['10.1.2.7'],
      ipv6Addresses: [],
    },
  ],
  autoScalingGroupName: 'web',
  tags: { Name: 'miner' },
  volumes: [
    { volumeId: 'vol-root', deviceName: '/dev/xvda', deleteOnTermination: true },
    { volumeId: 'vol-data', deviceName: '/dev/xvdb', deleteOnTermination: false },
  ],
  hibernationConfigured: false,
  instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/app',
  spotInstanceRequestId: null,
  metadataOptions: {
    httpEndpoint: 'enabled',
    httpTokens: 'required',
    httpPutResponseHopLimit: 2,
    httpProtocolIpv6: 'disabled',
    instanceMetadataTags: 'disabled',
  },
};

const CREDENTIALS_PLAN = {
  partition: 'aws',
  region: 'us-east-1',
  accountId: '111122223333',
  protection: { responderRoleName: 'CryptominerResponderRole', patterns: [] },
};

/** Happy answers for every call; each test makes one of them fail. */
function answerEverything(): void {
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: [
          {
            InstanceId: instance.instanceId,
            State: { Name: 'running' },
            NetworkInterfaces: [{ NetworkInterfaceId: 'eni-a', VpcId: 'vpc-1', Groups: [{ GroupId: 'sg-app' }] }],
          },
        ],
      },
    ],
  });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  ec2
    .on(DescribeSecurityGroupsCommand, {
      Filters: [
        { Name: 'vpc-id', Values: ['vpc-1'] },
        { Name: 'group-name', Values: ['Isolation', 'Isolation-2', 'Isolation-3'] },
      ],
    })
    .resolvesOnce({ SecurityGroups: [] })
    .resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-iso-1',
          GroupName: 'Isolation',
          VpcId: 'vpc-1',
          IpPermissions: [],
          IpPermissionsEgress: [{ IpProtocol: '-1' }],
        },
      ],
    });
  ec2
    .on(DescribeSecurityGroupsCommand, {
      Filters: [
        { Name: 'vpc-id', Values: ['vpc-2'] },
        { Name: 'group-name', Values: ['Isolation', 'Isolation-2', 'Isolation-3'] },
      ],
    })
    .resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-iso-2',
          GroupName: 'Isolation',
          VpcId: 'vpc-2',
          IpPermissions: [],
          IpPermissionsEgress: [],
          Tags: [{ Key: 'cryptominer-defense:purpose', Value: 'isolation' }],
        },
      ],
    });
  for (const vpcId of ['vpc-1', 'vpc-2']) {
    ec2
      .on(DescribeSecurityGroupsCommand, {
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: ['Cut', 'Cut-2', 'Cut-3'] },
        ],
      })
      .resolves({
        SecurityGroups: [
          {
            GroupId: `sg-cut-${vpcId}`,
            GroupName: 'Cut',
            VpcId: vpcId,
            Tags: [{ Key: 'cryptominer-defense:purpose', Value: 'connection-cut' }],
            IpPermissions: [],
            IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          },
        ],
      });
  }
  ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({});
  ec2.on(AuthorizeSecurityGroupEgressCommand).resolves({});
  ec2.on(DescribeInstanceAttributeCommand).resolves({ DisableApiTermination: { Value: false } });
  ec2.on(ModifyInstanceAttributeCommand).resolves({});
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-1' });
  ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-iso-1' });
  ec2.on(RevokeSecurityGroupEgressCommand).resolves({});
  ec2.on(CreateTagsCommand).resolves({});
  ec2.on(ModifyNetworkInterfaceAttributeCommand).resolves({});
  ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
  ec2.on(RevokeSecurityGroupIngressCommand).resolves({});
  ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
  ec2.on(StopInstancesCommand).resolves({});
  const defaultEntries = [false, true].flatMap((egress) => [
    { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow' as const, Egress: egress, CidrBlock: '0.0.0.0/0' },
    { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny' as const, Egress: egress, CidrBlock: '0.0.0.0/0' },
  ]);
  ec2.on(DescribeNetworkAclsCommand).resolves({
    NetworkAcls: ['a', 'b'].map((name) => ({
      NetworkAclId: `acl-${name}`,
      Associations: [{ SubnetId: `subnet-${name}` }],
      Entries: defaultEntries,
    })),
  });
  ec2.on(CreateNetworkAclEntryCommand).resolves({});
  autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'web',
        MinSize: 2,
        MaxSize: 4,
        DesiredCapacity: 2,
        Instances: [
          {
            InstanceId: instance.instanceId,
            AvailabilityZone: 'us-east-1a',
            LifecycleState: 'InService',
            HealthStatus: 'Healthy',
            ProtectedFromScaleIn: false,
          },
        ],
        AvailabilityZones: ['us-east-1a'],
        HealthCheckType: 'EC2',
        CreatedTime: new Date(),
        DefaultCooldown: 300,
      },
    ],
  });
  autoScaling.on(DetachInstancesCommand).resolves({});
  autoScaling.on(UpdateAutoScalingGroupCommand).resolves({});
  cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
  iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
  iam.on(AttachUserPolicyCommand).resolves({});
  iam.on(DeleteLoginProfileCommand).resolves({});
  iam.on(ListAccessKeysCommand).resolves({
    AccessKeyMetadata: [
      { AccessKeyId: 'AKIA1', Status: 'Active' },
      { AccessKeyId: 'AKIA2', Status: 'Active' },
    ],
  });
  iam.on(UpdateAccessKeyCommand).resolves({});
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
  iam.on(AttachRolePolicyCommand).resolves({});
  iam.on(GetInstanceProfileCommand).resolves({
    InstanceProfile: {
      InstanceProfileName: 'app',
      InstanceProfileId: 'AIPA1',
      Arn: 'arn:aws:iam::111122223333:instance-profile/app',
      Path: '/',
      CreateDate: new Date(),
      Roles: [
        {
          RoleName: 'AppRole',
          Arn: 'arn:aws:iam::111122223333:role/AppRole',
          RoleId: 'AROA1',
          Path: '/',
          CreateDate: new Date(),
        },
      ],
    },
  });
  iam.on(ListRoleTagsCommand).resolves({ Tags: [] });
  iam.on(TagRoleCommand).resolves({});
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
    IamInstanceProfileAssociations: [{ AssociationId: 'iip-assoc-1', InstanceId: 'i-0123456789abcdef0' }],
  });
  ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
  ec2.on(ModifyInstanceMetadataOptionsCommand).resolves({});
  ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1' }] });
  lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 5 });
  lambda.on(PutFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 0 });
}

beforeEach(() => {
  for (const mock of [ec2, autoScaling, iam, cloudTrail, lambda]) mock.reset();
  answerEverything();
});

afterEach(() => {
  for (const mock of [ec2, autoScaling, iam, cloudTrail, lambda]) mock.reset();
});

interface Run {
  readonly records: readonly StepRecord[];
  /** Every action the step sent, whichever client. */
  readonly actions: readonly string[];
}

const clients = {
  ec2: new EC2Client({ region: 'us-east-1' }),
  autoScaling: new AutoScalingClient({ region: 'us-east-1' }),
  iam: new IAMClient({ region: 'us-east-1' }),
  cloudTrail: new CloudTrailClient({ region: 'us-east-1' }),
  lambda: new LambdaClient({ region: 'us-east-1' }),
};

function actionsSent(): string[] {
  return [
    ...sentActions('ec2', ec2),
    ...sentActions('autoscaling', autoScaling),
    ...sentActions('iam', iam),
    ...sentActions('cloudtrail', cloudTrail),
    ...sentActions('lambda', lambda),
  ];
}

function fleetSearch(): LaunchRequestSearch {
  const search = launchRequestSearchOf({ kind: 'ec2Fleet', fleetId: 'fleet-0123456789abcdef0' });
  if (search === null) throw new Error('an EC2 Fleet launch has a request to look up');
  return search;
}

const STEPS: Readonly<Record<MemberAccountStepName, () => Promise<readonly StepRecord[]>>> = {
  inspectInstance: async () => [(await inspectInstance(clients.ec2, instance.instanceId)).record],
  isolateNetworkInterfaces: async () =>
    (
      await isolateNetworkInterfaces(clients.ec2, instance, {
        isolationGroupName: 'Isolation',
        connectionCutGroupName: 'Cut',
      })
    ).records,
  preserveEvidence: async () =>
    (await preserveEvidence(clients.ec2, instance, { findingId: 'finding-1', at: new Date() })).records,
  traceAutoScalingLaunch: async () =>
    (await traceAutoScalingLaunch(clients.cloudTrail, { autoScalingGroupName: 'web', launchTemplateId: null })).records,
  traceLaunchRequest: async () => (await traceLaunchRequest(clients.cloudTrail, fleetSearch())).records,
  followActor: async () =>
    (
      await followActor({
        principal: {
          attribute: { AttributeKey: 'Username', AttributeValue: 'attacker' },
          principalArn: 'arn:aws:iam::111122223333:user/attacker',
        },
        ec2: clients.ec2,
        clientsIn: async () => clients,
        instanceId: instance.instanceId,
        region: 'us-east-1',
        now: () => new Date(),
      })
    ).records,
  disableAutoScalingGroup: async () =>
    (await disableAutoScalingGroup(clients.autoScaling, instance.instanceId, 'web').result).records,
  liftStopProtection: async () => (await liftStopProtection(clients.ec2, instance)).records,
  denyInNetworkAcls: async () => (await denyInNetworkAcls(clients.ec2, instance)).records,
  revokeInstanceCredentials: async () =>
    (await revokeInstanceCredentials(clients.ec2, clients.iam, instance, CREDENTIALS_PLAN)).records,
  stopInstance: async () => (await stopInstance(clients.ec2, instance)).records,
  throttleLambdaFunction: async () => (await throttleLambdaFunction(clients.lambda, FUNCTION)).records,
  attributeLaunch: async () => [(await attributeLaunch(clients.cloudTrail, instance.instanceId)).record],
  freezeUser: async () =>
    (await freezeUser(clients.iam, { userName: 'attacker', userArn: 'arn:aws:iam::111122223333:user/attacker' }))
      .records,
  freezeRole: async () =>
    (await freezeRole(clients.iam, { roleName: 'Builder', roleArn: 'arn:aws:iam::111122223333:role/Builder' })).records,
};

async function run(step: MemberAccountStepName): Promise<Run> {
  const records = await STEPS[step]();
  return { records, actions: actionsSent() };
}

describe('every step, when AWS answers normally', () => {
  it.each(Object.keys(STEPS) as MemberAccountStepName[])(
    '%s succeeds and calls only the actions the registry lists for it',
    async (step) => {
      // Act
      const { records, actions } = await run(step);

      // Assess
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((record) => record.step === step)).toBe(true);
      expect(records.filter((record) => record.status === 'failed')).toEqual([]);
      expect(new Set(actions)).toEqual(
        new Set(
          actions.filter((action) => (MEMBER_ACCOUNT_STEPS[step].iamActions as readonly string[]).includes(action)),
        ),
      );
    },
  );
});

type Service = 'ec2' | 'autoscaling' | 'iam' | 'cloudtrail' | 'lambda';

/** For each step: the call to break, and what must still happen (independent actions keep running). */
const FAILURES: readonly {
  readonly step: MemberAccountStepName;
  readonly service: Service;
  readonly fail: () => void;
  readonly failedAction?: string;
  readonly stillDone: readonly string[];
}[] = [
  {
    step: 'inspectInstance',
    service: 'ec2',
    fail: () => ec2.on(DescribeInstancesCommand).rejects(current),
    stillDone: [],
  },
  {
    step: 'isolateNetworkInterfaces',
    service: 'ec2',
    // Only eni-a's move onto the isolation group fails: eni-b (another VPC) is still isolated.
    fail: () =>
      ec2
        .on(ModifyNetworkInterfaceAttributeCommand, { NetworkInterfaceId: 'eni-a', Groups: ['sg-iso-1'] })
        .rejects(current),
    failedAction: 'moveToIsolationGroup',
    stillDone: ['ec2:ModifyNetworkInterfaceAttribute'],
  },
  {
    step: 'preserveEvidence',
    service: 'ec2',
    // One snapshot fails: termination protection, the volumes and the tags still happen.
    fail: () => ec2.on(CreateSnapshotCommand, { VolumeId: 'vol-root' }).rejects(current),
    failedAction: 'snapshotVolume',
    stillDone: ['ec2:ModifyInstanceAttribute', 'ec2:CreateTags', 'ec2:CreateSnapshot'],
  },
  {
    step: 'traceAutoScalingLaunch',
    service: 'cloudtrail',
    fail: () => cloudTrail.on(LookupEventsCommand).rejects(current),
    failedAction: 'lookUpGroupChanges',
    stillDone: [],
  },
  {
    step: 'disableAutoScalingGroup',
    service: 'autoscaling',
    fail: () => autoScaling.on(DetachInstancesCommand).rejects(current),
    failedAction: 'detachInstance',
    stillDone: [],
  },
  {
    step: 'liftStopProtection',
    service: 'ec2',
    // The read fails: the protection is lifted all the same (the earlier setting unknown).
    fail: () => ec2.on(DescribeInstanceAttributeCommand, { Attribute: 'disableApiStop' }).rejects(current),
    stillDone: ['ec2:ModifyInstanceAttribute'],
  },
  {
    step: 'denyInNetworkAcls',
    service: 'ec2',
    // Only the outbound entry in acl-a fails: the inbound one and eni-b's subnet are still cut.
    fail: () => ec2.on(CreateNetworkAclEntryCommand, { NetworkAclId: 'acl-a', Egress: true }).rejects(current),
    failedAction: 'denyOutbound',
    stillDone: ['ec2:CreateNetworkAclEntry'],
  },
  {
    step: 'revokeInstanceCredentials',
    service: 'iam',
    // The role tag fails: the deny policy is attached, the profile disassociated and the metadata service off all the same.
    fail: () => iam.on(TagRoleCommand).rejects(current),
    failedAction: 'nameInstanceInRoleTag',
    stillDone: ['iam:AttachRolePolicy', 'ec2:DisassociateIamInstanceProfile', 'ec2:ModifyInstanceMetadataOptions'],
  },
  { step: 'stopInstance', service: 'ec2', fail: () => ec2.on(StopInstancesCommand).rejects(current), stillDone: [] },
  {
    step: 'followActor',
    service: 'ec2',
    // The regions cannot be listed: the finding's own region is still searched.
    fail: () => ec2.on(DescribeRegionsCommand).rejects(current),
    failedAction: 'describeRegions',
    stillDone: ['cloudtrail:LookupEvents'],
  },
  {
    step: 'attributeLaunch',
    service: 'cloudtrail',
    fail: () => cloudTrail.on(LookupEventsCommand).rejects(current),
    stillDone: [],
  },
  {
    step: 'freezeUser',
    service: 'iam',
    fail: () => iam.on(AttachUserPolicyCommand).rejects(current),
    failedAction: 'attachDenyAllPolicy',
    stillDone: ['iam:DeleteLoginProfile', 'iam:UpdateAccessKey'],
  },
  {
    step: 'freezeRole',
    service: 'iam',
    fail: () => iam.on(AttachRolePolicyCommand).rejects(current),
    failedAction: 'attachDenyAllPolicy',
    stillDone: [],
  },
  {
    step: 'throttleLambdaFunction',
    service: 'lambda',
    fail: () => lambda.on(PutFunctionConcurrencyCommand).rejects(current),
    failedAction: 'setConcurrencyToZero',
    stillDone: ['lambda:GetFunctionConcurrency'],
  },
];

let current: Error = awsError('Unset');

describe.each([
  ['access denied', ACCESS_DENIED],
  ['throttled', THROTTLED],
] as const)('every step, when AWS answers %s', (_case, codes) => {
  it.each(FAILURES)('$step records the AWS error code and keeps its independent actions', async (failure) => {
    // Prepare
    const code = codes[failure.service];
    current = awsError(code);
    failure.fail();

    // Act
    const { records, actions } = await run(failure.step);

    // Assess
    const failedRecords = records.filter((record) => record.status === 'failed');
    expect(failedRecords).toHaveLength(1);
    expect(failedRecords[0]).toMatchObject({
      step: failure.step,
      errorCode: code,
      errorMessage: `${code} (simulated)`,
      ...(failure.failedAction === undefined ? {} : { action: failure.failedAction }),
    });
    for (const action of failure.stillDone) expect(actions).toContain(action);
  });
});

describe('the Auto Scaling step, when the instance cannot be detached', () => {
  it('does not scale the group to 0 (that would terminate the instance) and says the instance is still in it', async () => {
    // Prepare
    autoScaling.on(DetachInstancesCommand).rejects(awsError('ValidationError'));

    // Act
    const response = disableAutoScalingGroup(clients.autoScaling, instance.instanceId, 'web');
    const result = await response.result;

    // Assess
    expect(await response.instanceStillInGroup).toBe(true);
    expect(result.instanceStillInGroup).toBe(true);
    expect(sentActions('autoscaling', autoScaling)).toEqual([
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:UpdateAutoScalingGroup',
      'autoscaling:DetachInstances',
    ]);
    expect(autoScaling.commandCalls(UpdateAutoScalingGroupCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupName: 'web',
      MinSize: 0,
    });
    expect(result.records.at(-1)).toMatchObject({ action: 'scaleToZero', status: 'skipped' });
  });
});

/** The plan of a full response on the test instance, as respondToFinding makes it. */
function fullContainmentPlan(): ContainmentPlan {
  return {
    instanceId: instance.instanceId,
    findingId: 'finding-1',
    ...CREDENTIALS_PLAN,
    instance,
    mode: { mode: 'full', reason: 'default' },
    completed: new Set(),
    isolationGroupName: 'Isolation',
    connectionCutGroupName: 'Cut',
    hibernate: false,
    scope: '111122223333/us-east-1',
    now: () => new Date(),
    disableAutoScalingGroup,
    revokeInstanceCredentials,
  };
}

describe('containment of an instance in an Auto Scaling group (pnpm bench: the stop)', () => {
  it('stops the instance once it is out of the group, while the group is set to 0/0/0', async () => {
    // Prepare: the 0/0/0 update answers only once the stop was asked for: one after the other, this never ends.
    const stopAsked = signal();
    autoScaling.on(UpdateAutoScalingGroupCommand).callsFake(async (input: UpdateAutoScalingGroupCommandInput) => {
      if (input.MaxSize === 0) await stopAsked.reached;
      return {};
    });
    let detachedBeforeStop = false;
    ec2.on(StopInstancesCommand).callsFake(() => {
      detachedBeforeStop = autoScaling.commandCalls(DetachInstancesCommand).length === 1;
      stopAsked.reach();
      return {};
    });

    // Act
    const contained = await containInstance(clients, fullContainmentPlan());

    // Assess: detached before the stop; stopped; the group at 0/0/0.
    expect(detachedBeforeStop).toBe(true);
    expect(contained.records).toContainEqual(expect.objectContaining({ step: 'stopInstance', status: 'succeeded' }));
    expect(contained.records).toContainEqual(
      expect.objectContaining({ step: 'disableAutoScalingGroup', action: 'scaleToZero', status: 'succeeded' }),
    );
  });
});

describe('containment of an instance with stop protection to check (pnpm bench: the stop)', () => {
  it('reads the stop protection while the evidence is kept, so the stop waits for no extra call', async () => {
    // Prepare: the snapshot answers only once the stop protection was read: one after the other, this never ends.
    const protectionRead = signal();
    ec2.on(DescribeInstanceAttributeCommand, { Attribute: 'disableApiStop' }).callsFake(() => {
      protectionRead.reach();
      return { DisableApiStop: { Value: false } };
    });
    ec2.on(CreateSnapshotCommand).callsFake(async () => {
      await protectionRead.reached;
      return { SnapshotId: 'snap-1' };
    });

    // Act
    const contained = await containInstance(clients, fullContainmentPlan());

    // Assess: off already, so nothing was changed; the stop went ahead.
    expect(contained.records).toContainEqual(
      expect.objectContaining({ step: 'liftStopProtection', status: 'already-done' }),
    );
    expect(contained.records).toContainEqual(expect.objectContaining({ step: 'stopInstance', status: 'succeeded' }));
    expect(contained.undo.stopProtection).toEqual({
      instanceId: instance.instanceId,
      previousDisableApiStop: false,
      stopProtectionLifted: false,
    });
  });
});

describe('the role freeze', () => {
  it("attaches AWSDenyAll of the role's partition, and nothing when it is attached already", async () => {
    // Prepare: the first role has it already (someone else attached it), the second does not.
    const denyAll = 'arn:aws-us-gov:iam::aws:policy/AWSDenyAll';
    iam
      .on(ListAttachedRolePoliciesCommand, { RoleName: 'Frozen' })
      .resolves({ AttachedPolicies: [{ PolicyName: 'AWSDenyAll', PolicyArn: denyAll }] });

    // Act
    const already = await freezeRole(clients.iam, {
      roleName: 'Frozen',
      roleArn: 'arn:aws-us-gov:iam::111122223333:role/Frozen',
    });
    const fresh = await freezeRole(clients.iam, {
      roleName: 'Builder',
      roleArn: 'arn:aws-us-gov:iam::111122223333:role/Builder',
    });

    // Assess
    expect(already.records).toEqual([expect.objectContaining({ status: 'already-done' })]);
    expect(already.undo.deniedByPolicyArn).toBeNull();
    expect(fresh.undo.deniedByPolicyArn).toBe(denyAll);
    expect(iam.commandCalls(AttachRolePolicyCommand).map((call) => call.args[0].input)).toEqual([
      { RoleName: 'Builder', PolicyArn: denyAll },
    ]);
  });
});
