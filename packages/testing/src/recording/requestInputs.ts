/** What authorizedRequestsOf.ts reads from a command's input: values, tags, EC2 ids and attribute names. */

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** `aws:RequestTag/<key>` and `aws:TagKeys` of tags in the SDK's `[{ Key, Value }]` form. */
export function requestTagContext(tags: unknown): Record<string, string | string[]> {
  const list = Array.isArray(tags) ? (tags as { Key?: unknown; Value?: unknown }[]) : [];
  const context: Record<string, string | string[]> = {};
  const keys: string[] = [];
  for (const tag of list) {
    if (typeof tag.Key !== 'string') continue;
    keys.push(tag.Key);
    context[`aws:RequestTag/${tag.Key}`] = typeof tag.Value === 'string' ? tag.Value : '';
  }
  if (keys.length > 0) context['aws:TagKeys'] = keys;
  return context;
}

/** The tags of the `TagSpecifications` entries for one resource type. */
export function specifiedTags(input: Readonly<Record<string, unknown>>, resourceType: string): unknown[] {
  const specifications = Array.isArray(input.TagSpecifications)
    ? (input.TagSpecifications as { ResourceType?: unknown; Tags?: unknown }[])
    : [];
  return specifications
    .filter((specification) => specification.ResourceType === resourceType)
    .flatMap((specification) => (Array.isArray(specification.Tags) ? specification.Tags : []));
}

/** EC2 resource type (in ARNs) of an id, by its prefix. */
export const EC2_ID_TYPES: readonly [string, string][] = [
  ['sg-', 'security-group'],
  ['i-', 'instance'],
  ['vol-', 'volume'],
  ['snap-', 'snapshot'],
  ['eni-', 'network-interface'],
  ['vpc-', 'vpc'],
  ['subnet-', 'subnet'],
  ['acl-', 'network-acl'],
];

/** Attribute names as `ec2:Attribute` knows them, by the ModifyInstanceAttribute input member that sets them. */
export const INSTANCE_ATTRIBUTES: Readonly<Record<string, string>> = {
  BlockDeviceMappings: 'blockDeviceMapping',
  DisableApiStop: 'disableApiStop',
  DisableApiTermination: 'disableApiTermination',
  EbsOptimized: 'ebsOptimized',
  EnaSupport: 'enaSupport',
  Groups: 'groupSet',
  InstanceInitiatedShutdownBehavior: 'instanceInitiatedShutdownBehavior',
  InstanceType: 'instanceType',
  Kernel: 'kernel',
  Ramdisk: 'ramdisk',
  SourceDestCheck: 'sourceDestCheck',
  SriovNetSupport: 'sriovNetSupport',
  UserData: 'userData',
};
