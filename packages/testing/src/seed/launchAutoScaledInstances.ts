import {
  type AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { EMULATOR_IMAGE_ID } from './emulatorImageId';
import type { SeededInstance } from './launchInstance';
import { requireValue } from './requireValue';

export interface LaunchAutoScaledInstancesOptions {
  /** The group's name; the launch template is named `<name>-template`. */
  readonly name: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Default 2, so that a test can show one instance kept while the group's others go. */
  readonly desiredCapacity?: number;
}

export interface SeededAutoScalingGroup {
  readonly autoScalingGroupName: string;
  readonly launchTemplateId: string;
  readonly launchTemplateName: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  /** The instances the group launched (moto tags them `aws:autoscaling:groupName`). */
  readonly instances: readonly SeededInstance[];
}

/** A launch template and an Auto Scaling group that launches instances from it at once. */
export async function launchAutoScaledInstances(
  ec2: EC2Client,
  autoScaling: AutoScalingClient,
  options: LaunchAutoScaledInstancesOptions,
): Promise<SeededAutoScalingGroup> {
  const desiredCapacity = options.desiredCapacity ?? 2;
  const maxSize = desiredCapacity + 2;
  const launchTemplateName = `${options.name}-template`;
  const template = await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: launchTemplateName,
      LaunchTemplateData: {
        ImageId: EMULATOR_IMAGE_ID,
        InstanceType: 't3.micro',
        SecurityGroupIds: [...options.securityGroupIds],
      },
    }),
  );
  const launchTemplateId = requireValue(template.LaunchTemplate?.LaunchTemplateId, 'launch template id');
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: options.name,
      LaunchTemplate: { LaunchTemplateId: launchTemplateId, Version: '$Latest' },
      MinSize: desiredCapacity,
      MaxSize: maxSize,
      DesiredCapacity: desiredCapacity,
      VPCZoneIdentifier: options.subnetIds.join(','),
    }),
  );
  const groups = await autoScaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [options.name] }),
  );
  const instanceIds = (groups.AutoScalingGroups?.[0]?.Instances ?? []).map((instance) =>
    requireValue(instance.InstanceId, 'Auto Scaling instance id'),
  );
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: instanceIds }));
  const instances = (described.Reservations ?? [])
    .flatMap((reservation) => reservation.Instances ?? [])
    .map((instance) => ({
      instanceId: requireValue(instance.InstanceId, 'instance id'),
      subnetId: requireValue(instance.SubnetId, 'instance subnet id'),
      networkInterfaceIds: (instance.NetworkInterfaces ?? []).map((eni) =>
        requireValue(eni.NetworkInterfaceId, 'network interface id'),
      ),
    }));
  return {
    autoScalingGroupName: options.name,
    launchTemplateId,
    launchTemplateName,
    minSize: desiredCapacity,
    maxSize,
    desiredCapacity,
    instances,
  };
}
