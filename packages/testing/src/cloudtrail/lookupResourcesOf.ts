import type { CloudTrailRecord } from './cloudTrailRecord';

/** One entry of a LookupEvents event's `Resources`. */
export interface LookupResource {
  readonly ResourceType: string;
  readonly ResourceName: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let current: unknown = value;
  for (const key of path) current = asRecord(current)?.[key];
  return typeof current === 'string' ? current : undefined;
}

function itemsAt(value: unknown, ...path: string[]): unknown[] {
  let current: unknown = value;
  for (const key of path) current = asRecord(current)?.[key];
  return Array.isArray(current) ? current : [];
}

/**
 * The resources CloudTrail's event history indexes a record under (what `ResourceName` lookups match): the
 * resources[] of the record, plus the ids the EC2 and Auto Scaling events name in their parameters.
 */
export function lookupResourcesOf(record: CloudTrailRecord): LookupResource[] {
  const found: LookupResource[] = [];
  const add = (ResourceType: string, ResourceName: string | undefined) => {
    if (
      ResourceName !== undefined &&
      !found.some((r) => r.ResourceType === ResourceType && r.ResourceName === ResourceName)
    )
      found.push({ ResourceType, ResourceName });
  };
  for (const resource of record.resources ?? []) {
    add(resource.type ?? 'Unknown', resource.ARN?.split(/[/:]/).pop());
  }
  const request = record.requestParameters;
  const response = record.responseElements;
  for (const item of itemsAt(response, 'instancesSet', 'items')) {
    add('AWS::EC2::Instance', stringAt(item, 'instanceId'));
    add('AWS::EC2::Ami', stringAt(item, 'imageId'));
  }
  add('AWS::EC2::Subnet', stringAt(request, 'subnetId'));
  add('AWS::EC2::LaunchTemplate', stringAt(request, 'launchTemplate', 'launchTemplateId'));
  add('AWS::AutoScaling::AutoScalingGroup', stringAt(request, 'autoScalingGroupName'));
  add(
    'AWS::EC2::LaunchTemplate',
    stringAt(response, 'CreateLaunchTemplateResponse', 'launchTemplate', 'launchTemplateId'),
  );
  add(
    'AWS::EC2::LaunchTemplate',
    stringAt(response, 'CreateLaunchTemplateVersionResponse', 'launchTemplateVersion', 'launchTemplateId'),
  );
  return found;
}
