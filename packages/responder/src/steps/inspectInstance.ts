import type { EC2Client } from '@aws-sdk/client-ec2';
import { failed, type MetadataOptionsUndo, type StepRecord, succeeded } from '@cryptominer-defense/core';
import { runAction } from '../runAction';
import { type ReadInstance, readInstanceAlone } from './instanceReads';

/** What the containment steps need to know about the instance, read live (the finding may be stale). */
export interface InstanceFacts {
  readonly instanceId: string;
  /** `running`, `stopped`, `terminated`... */
  readonly state: string;
  readonly networkInterfaces: readonly {
    readonly networkInterfaceId: string;
    readonly vpcId: string;
    readonly securityGroupIds: readonly string[];
    /** Null for an ENI EC2 describes without a subnet. */
    readonly subnetId: string | null;
    /** Its private IPv4 addresses and IPv6 addresses: what the network ACL hard cut denies. */
    readonly privateIpAddresses: readonly string[];
    readonly ipv6Addresses: readonly string[];
  }[];
  /** From the `aws:autoscaling:groupName` tag; null when the instance was never in a group. */
  readonly autoScalingGroupName: string | null;
  /** Every tag of the instance (the response policy can choose the mode by tag). */
  readonly tags: Readonly<Record<string, string>>;
  /** Every attached EBS volume, with its device and whether it goes when the instance is terminated. */
  readonly volumes: readonly {
    readonly volumeId: string;
    readonly deviceName: string;
    readonly deleteOnTermination: boolean;
  }[];
  /** Launched with hibernation enabled: it can be hibernated instead of stopped (memory kept on the root volume). */
  readonly hibernationConfigured: boolean;
  /** Its instance profile's ARN (the role whose credentials the metadata service hands out); null when none. */
  readonly instanceProfileArn: string | null;
  /** The metadata service's options; null when EC2 gave none. */
  readonly metadataOptions: MetadataOptionsUndo | null;
  /** The spot instance request it fulfils (whoever requested it is the person behind the launch); null otherwise. */
  readonly spotInstanceRequestId: string | null;
}

const AUTO_SCALING_GROUP_TAG = 'aws:autoscaling:groupName';

/**
 * Reads the instance: every ENI with its VPC and groups, its state and its Auto Scaling group tag (alone, or with the
 * reads of the container's other responses: instanceReads.ts).
 */
export async function inspectInstance(
  ec2: EC2Client,
  instanceId: string,
  readInstance: ReadInstance = readInstanceAlone,
): Promise<{ readonly record: StepRecord; readonly instance: InstanceFacts | null }> {
  const { record, value } = await runAction<InstanceFacts | null>(
    { step: 'inspectInstance', target: instanceId },
    async () => {
      const instance = await readInstance(ec2, instanceId);
      if (instance === undefined) {
        return {
          result: failed('InvalidInstanceID.NotFound', `DescribeInstances returned no ${instanceId}`),
          value: null,
        };
      }
      const facts: InstanceFacts = {
        instanceId,
        state: instance.State?.Name ?? 'unknown',
        networkInterfaces: (instance.NetworkInterfaces ?? []).flatMap((networkInterface) =>
          networkInterface.NetworkInterfaceId === undefined || networkInterface.VpcId === undefined
            ? []
            : [
                {
                  networkInterfaceId: networkInterface.NetworkInterfaceId,
                  vpcId: networkInterface.VpcId,
                  securityGroupIds: (networkInterface.Groups ?? []).flatMap((group) =>
                    group.GroupId === undefined ? [] : [group.GroupId],
                  ),
                  subnetId: networkInterface.SubnetId ?? null,
                  privateIpAddresses: (networkInterface.PrivateIpAddresses ?? []).flatMap((address) =>
                    address.PrivateIpAddress === undefined ? [] : [address.PrivateIpAddress],
                  ),
                  ipv6Addresses: (networkInterface.Ipv6Addresses ?? []).flatMap((address) =>
                    address.Ipv6Address === undefined ? [] : [address.Ipv6Address],
                  ),
                },
              ],
        ),
        autoScalingGroupName: instance.Tags?.find((tag) => tag.Key === AUTO_SCALING_GROUP_TAG)?.Value ?? null,
        tags: Object.fromEntries(
          (instance.Tags ?? []).flatMap((tag) => (tag.Key === undefined ? [] : [[tag.Key, tag.Value ?? '']])),
        ),
        volumes: (instance.BlockDeviceMappings ?? []).flatMap((mapping) =>
          mapping.Ebs?.VolumeId === undefined || mapping.DeviceName === undefined
            ? []
            : [
                {
                  volumeId: mapping.Ebs.VolumeId,
                  deviceName: mapping.DeviceName,
                  deleteOnTermination: mapping.Ebs.DeleteOnTermination === true,
                },
              ],
        ),
        hibernationConfigured: instance.HibernationOptions?.Configured === true,
        instanceProfileArn: instance.IamInstanceProfile?.Arn ?? null,
        spotInstanceRequestId: instance.SpotInstanceRequestId ?? null,
        metadataOptions:
          instance.MetadataOptions === undefined
            ? null
            : {
                httpEndpoint: instance.MetadataOptions.HttpEndpoint ?? null,
                httpTokens: instance.MetadataOptions.HttpTokens ?? null,
                httpPutResponseHopLimit: instance.MetadataOptions.HttpPutResponseHopLimit ?? null,
                httpProtocolIpv6: instance.MetadataOptions.HttpProtocolIpv6 ?? null,
                instanceMetadataTags: instance.MetadataOptions.InstanceMetadataTags ?? null,
              },
      };
      return { result: succeeded, value: facts };
    },
    null,
  );
  return { record, instance: value };
}
