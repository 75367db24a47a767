import {
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  type EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { EMULATOR_IMAGE_ID } from './emulatorImageId';
import { requireValue } from './requireValue';

export interface LaunchInstanceOptions {
  readonly subnetId: string;
  readonly securityGroupIds: readonly string[];
  /** Tagged as Name. */
  readonly name: string;
  /** Network interfaces to create and attach besides the primary one (device index 1, 2, …). Default 0. */
  readonly extraNetworkInterfaces?: number;
}

export interface SeededInstance {
  readonly instanceId: string;
  readonly subnetId: string;
  /** Every ENI of the instance, the primary first. */
  readonly networkInterfaceIds: readonly string[];
}

/** A standalone running instance; with extraNetworkInterfaces, ENIs are attached after launch as people do. */
export async function launchInstance(ec2: EC2Client, options: LaunchInstanceOptions): Promise<SeededInstance> {
  const launched = await ec2.send(
    new RunInstancesCommand({
      ImageId: EMULATOR_IMAGE_ID,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: options.subnetId,
      SecurityGroupIds: [...options.securityGroupIds],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: options.name }] }],
    }),
  );
  const instance = requireValue(launched.Instances?.[0], 'instance');
  const instanceId = requireValue(instance.InstanceId, 'instance id');
  const primary = requireValue(instance.NetworkInterfaces?.[0]?.NetworkInterfaceId, 'primary network interface id');
  const networkInterfaceIds = [primary];
  for (let deviceIndex = 1; deviceIndex <= (options.extraNetworkInterfaces ?? 0); deviceIndex++) {
    const created = await ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: options.subnetId,
        Groups: [...options.securityGroupIds],
        Description: `${options.name} eth${deviceIndex}`,
      }),
    );
    const networkInterfaceId = requireValue(created.NetworkInterface?.NetworkInterfaceId, 'network interface id');
    await ec2.send(
      new AttachNetworkInterfaceCommand({
        InstanceId: instanceId,
        NetworkInterfaceId: networkInterfaceId,
        DeviceIndex: deviceIndex,
      }),
    );
    networkInterfaceIds.push(networkInterfaceId);
  }
  return { instanceId, subnetId: options.subnetId, networkInterfaceIds };
}
