import type { SeededOrganization } from '@cryptominer-defense/testing';

export const DEMO_REGIONS = ['us-east-1', 'eu-west-1'] as const;

/** Three member accounts in two OUs (the seeder adds the delegated-admin "security" account in OU Security). */
export const DEMO_MEMBERS = [
  { name: 'workload-a', organizationalUnit: 'Workloads' },
  { name: 'workload-b', organizationalUnit: 'Workloads' },
  { name: 'sandbox', organizationalUnit: 'Sandbox' },
] as const;

/** Who launched the instance, as CloudTrail will tell the responder. */
export type DemoLauncher =
  | { readonly kind: 'user'; readonly userName: string }
  | { readonly kind: 'role'; readonly roleName: string }
  | { readonly kind: 'root' }
  /** Auto Scaling launched it; `userName` created the group. */
  | { readonly kind: 'auto-scaling'; readonly autoScalingGroupName: string; readonly userName: string };

/** One finding of the demo, and what must be true of the emulator afterwards. */
export interface DemoIncident {
  readonly title: string;
  readonly memberName: string;
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  readonly networkInterfaceIds: readonly string[];
  /** The groups the instance's ENIs are on before the incident. */
  readonly originalSecurityGroupId: string;
  readonly vpcId: string;
  readonly findingType: string;
  readonly launcher: DemoLauncher;
  /** False for the finding that is not crypto-mining: the EventBridge rule must not deliver it. */
  readonly cryptoMining: boolean;
}

/** The demo's findings, on the instances the seeder created in each member account and region. */
export function demoIncidents(organization: SeededOrganization): DemoIncident[] {
  const workloadA = organization.member('workload-a');
  const workloadB = organization.member('workload-b');
  const sandbox = organization.member('sandbox');
  const aEast = workloadA.inRegion('us-east-1');
  const aWest = workloadA.inRegion('eu-west-1');
  const bWest = workloadB.inRegion('eu-west-1');
  const bEast = workloadB.inRegion('us-east-1');
  const sandboxEast = sandbox.inRegion('us-east-1');
  const [autoScaled] = bWest.autoScalingGroup.instances;
  if (autoScaled === undefined) throw new Error('The seeded Auto Scaling group launched no instance.');
  return [
    {
      title: 'miner on a standalone instance with 3 network interfaces',
      memberName: 'workload-a',
      accountId: workloadA.accountId,
      region: 'us-east-1',
      instanceId: aEast.multiEniInstance.instanceId,
      networkInterfaceIds: aEast.multiEniInstance.networkInterfaceIds,
      originalSecurityGroupId: aEast.primaryNetwork.securityGroupId,
      vpcId: aEast.primaryNetwork.vpcId,
      findingType: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
      launcher: { kind: 'user', userName: 'developer' },
      cryptoMining: true,
    },
    {
      title: 'miner on an instance launched by an Auto Scaling group',
      memberName: 'workload-b',
      accountId: workloadB.accountId,
      region: 'eu-west-1',
      instanceId: autoScaled.instanceId,
      networkInterfaceIds: autoScaled.networkInterfaceIds,
      originalSecurityGroupId: bWest.primaryNetwork.securityGroupId,
      vpcId: bWest.primaryNetwork.vpcId,
      findingType: 'CryptoCurrency:EC2/BitcoinTool.B',
      launcher: {
        kind: 'auto-scaling',
        autoScalingGroupName: bWest.autoScalingGroup.autoScalingGroupName,
        userName: 'ci-deployer',
      },
      cryptoMining: true,
    },
    {
      title: 'miner on an instance launched by a role',
      memberName: 'sandbox',
      accountId: sandbox.accountId,
      region: 'us-east-1',
      instanceId: sandboxEast.standaloneInstance.instanceId,
      networkInterfaceIds: sandboxEast.standaloneInstance.networkInterfaceIds,
      originalSecurityGroupId: sandboxEast.primaryNetwork.securityGroupId,
      vpcId: sandboxEast.primaryNetwork.vpcId,
      findingType: 'Impact:EC2/BitcoinDomainRequest.Reputation',
      launcher: { kind: 'role', roleName: 'AppDeployRole' },
      cryptoMining: true,
    },
    {
      title: 'miner on an instance launched by the root user',
      memberName: 'workload-a',
      accountId: workloadA.accountId,
      region: 'eu-west-1',
      instanceId: aWest.secondVpcInstance.instanceId,
      networkInterfaceIds: aWest.secondVpcInstance.networkInterfaceIds,
      originalSecurityGroupId: aWest.secondaryNetwork.securityGroupId,
      vpcId: aWest.secondaryNetwork.vpcId,
      findingType: 'CryptoCurrency:Runtime/BitcoinTool.B!DNS',
      launcher: { kind: 'root' },
      cryptoMining: true,
    },
    {
      title: 'a port probe (not crypto-mining): must be left alone',
      memberName: 'workload-b',
      accountId: workloadB.accountId,
      region: 'us-east-1',
      instanceId: bEast.standaloneInstance.instanceId,
      networkInterfaceIds: bEast.standaloneInstance.networkInterfaceIds,
      originalSecurityGroupId: bEast.primaryNetwork.securityGroupId,
      vpcId: bEast.primaryNetwork.vpcId,
      findingType: 'Recon:EC2/PortProbeUnprotectedPort',
      launcher: { kind: 'user', userName: 'developer' },
      cryptoMining: false,
    },
  ];
}
