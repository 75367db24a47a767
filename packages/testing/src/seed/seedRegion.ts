import type { AccountClients } from './accountClients';
import { launchAutoScaledInstances, type SeededAutoScalingGroup } from './launchAutoScaledInstances';
import { launchInstance, type SeededInstance } from './launchInstance';
import { type SeededNetwork, seedNetwork } from './seedNetwork';

/** What one member account runs in one region. */
export interface SeededRegion {
  readonly region: string;
  /** The workload VPC: holds the standalone, the multi-ENI and the Auto Scaling instances. */
  readonly primaryNetwork: SeededNetwork;
  /** A second VPC with one instance, for "two instances in two VPCs of one account". */
  readonly secondaryNetwork: SeededNetwork;
  /** One ENI, in the primary VPC. */
  readonly standaloneInstance: SeededInstance;
  /** Three ENIs (the primary plus two attached after launch), in the primary VPC. */
  readonly multiEniInstance: SeededInstance;
  /** One ENI, in the secondary VPC. */
  readonly secondVpcInstance: SeededInstance;
  /** A group of two instances launched from a launch template, in the primary VPC. */
  readonly autoScalingGroup: SeededAutoScalingGroup;
}

/** Seeds the standard workload layout of one account in one region (about twenty emulator calls). */
export async function seedRegion(clients: AccountClients): Promise<SeededRegion> {
  const { ec2, autoScaling, region } = clients;
  const [primaryNetwork, secondaryNetwork] = await Promise.all([
    seedNetwork(ec2, region, { cidrBlock: '10.0.0.0/16', name: 'workload' }),
    seedNetwork(ec2, region, { cidrBlock: '10.1.0.0/16', name: 'analytics' }),
  ]);
  const groups = (network: SeededNetwork) => [network.securityGroupId];
  const [standaloneInstance, multiEniInstance, secondVpcInstance, autoScalingGroup] = await Promise.all([
    launchInstance(ec2, {
      name: 'standalone',
      subnetId: primaryNetwork.subnetIds[0],
      securityGroupIds: groups(primaryNetwork),
    }),
    launchInstance(ec2, {
      name: 'multi-eni',
      subnetId: primaryNetwork.subnetIds[0],
      securityGroupIds: groups(primaryNetwork),
      extraNetworkInterfaces: 2,
    }),
    launchInstance(ec2, {
      name: 'second-vpc',
      subnetId: secondaryNetwork.subnetIds[0],
      securityGroupIds: groups(secondaryNetwork),
    }),
    launchAutoScaledInstances(ec2, autoScaling, {
      name: 'web-asg',
      subnetIds: primaryNetwork.subnetIds,
      securityGroupIds: groups(primaryNetwork),
    }),
  ]);
  return {
    region,
    primaryNetwork,
    secondaryNetwork,
    standaloneInstance,
    multiEniInstance,
    secondVpcInstance,
    autoScalingGroup,
  };
}
