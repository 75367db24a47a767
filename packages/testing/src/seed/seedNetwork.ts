import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { requireValue } from './requireValue';

export interface SeedNetworkOptions {
  /** A /16, e.g. `10.1.0.0/16`; the subnets are its first two /24s. */
  readonly cidrBlock: string;
  /** Tagged as Name on the VPC and prefixed to the security group's name. */
  readonly name: string;
}

export interface SeededNetwork {
  readonly vpcId: string;
  /** Two subnets, in the region's first two availability zones. */
  readonly subnetIds: readonly [string, string];
  /** An application security group, created the ordinary way (so it has the default allow-all egress rule). */
  readonly securityGroupId: string;
}

function subnetCidr(vpcCidr: string, index: number): string {
  const [a, b] = vpcCidr.split('.');
  return `${a}.${b}.${index}.0/24`;
}

/** A VPC with two subnets in two zones and one application security group. */
export async function seedNetwork(ec2: EC2Client, region: string, options: SeedNetworkOptions): Promise<SeededNetwork> {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: options.cidrBlock }));
  const vpcId = requireValue(vpc.Vpc?.VpcId, 'VPC id');
  await ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'Name', Value: options.name }] }));
  const subnetIds = await Promise.all(
    ['a', 'b'].map(async (zone, index) => {
      const subnet = await ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: subnetCidr(options.cidrBlock, index),
          AvailabilityZone: `${region}${zone}`,
        }),
      );
      return requireValue(subnet.Subnet?.SubnetId, 'subnet id');
    }),
  );
  const group = await ec2.send(
    new CreateSecurityGroupCommand({
      VpcId: vpcId,
      GroupName: `${options.name}-app`,
      Description: `Application servers of ${options.name}`,
    }),
  );
  return {
    vpcId,
    subnetIds: [requireValue(subnetIds[0], 'subnet id'), requireValue(subnetIds[1], 'subnet id')],
    securityGroupId: requireValue(group.GroupId, 'security group id'),
  };
}
