import { loadFixtureObject } from '../../fixtures/loadFixture';
import type { CloudTrailRecord } from '../cloudTrailRecord';
import { cloudTrailEnvelope, type RecordContext } from './cloudTrailEnvelope';

export interface RunInstancesRecordOptions extends RecordContext {
  readonly instanceIds: readonly string[];
  readonly imageId?: string;
  readonly subnetId?: string;
  readonly vpcId?: string;
  /** For launches by Auto Scaling: the group, tagged on the instances as AWS does. */
  readonly autoScalingGroupName?: string;
  /** Launches from a launch template carry it instead of an imageId in the request. */
  readonly launchTemplateId?: string;
}

const IAM_USER_FIXTURE = 'cloudtrail/ct_RunInstances_IAMUser_awscli_elastic-integrations.json';
const AUTO_SCALING_FIXTURE = 'cloudtrail/ct_RunInstances_AssumedRole_AWSServiceRoleForAutoScaling_classicASG_2026.json';

type Json = Record<string, unknown>;

function firstInstanceItem(fixture: Json): Json {
  const items = ((fixture.responseElements as Json).instancesSet as Json).items as Json[];
  return items[0] as Json;
}

/**
 * A RunInstances record by any identity, built on a real record (the Auto Scaling fixture when a launch template
 * or group is involved, the IAM-user CLI fixture otherwise): one `instancesSet` item per instance id.
 */
export function runInstancesRecord(options: RunInstancesRecordOptions): CloudTrailRecord {
  const fromTemplate = options.launchTemplateId !== undefined || options.autoScalingGroupName !== undefined;
  const fixture = loadFixtureObject(fromTemplate ? AUTO_SCALING_FIXTURE : IAM_USER_FIXTURE);
  const accountId = options.identity.accountId ?? '';
  const imageId = options.imageId ?? 'ami-760aaa0f';
  const subnetId = options.subnetId ?? 'subnet-0b2fbf6da06d9ba4b';
  const groupTags =
    options.autoScalingGroupName === undefined
      ? []
      : [{ key: 'aws:autoscaling:groupName', value: options.autoScalingGroupName }];
  const template = firstInstanceItem(fixture);
  const items = options.instanceIds.map((instanceId) => ({
    ...template,
    instanceId,
    imageId,
    subnetId,
    ...(options.vpcId !== undefined && { vpcId: options.vpcId }),
    tagSet: { items: groupTags },
  }));
  const request = fixture.requestParameters as Json;
  const requestParameters: Json = fromTemplate
    ? {
        ...request,
        subnetId,
        launchTemplate: { launchTemplateId: options.launchTemplateId ?? 'lt-03a70e6a9f2f6657d', version: '1' },
        tagSpecificationSet: { items: [{ resourceType: 'instance', tags: groupTags }] },
      }
    : {
        ...request,
        instancesSet: { items: [{ imageId, minCount: items.length, maxCount: items.length }] },
        subnetId,
      };
  return cloudTrailEnvelope(options, {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    requestParameters,
    responseElements: {
      ...(fixture.responseElements as Json),
      ownerId: accountId,
      instancesSet: { items },
    },
    resources: options.instanceIds.map((instanceId) => ({
      accountId,
      type: 'AWS::EC2::Instance',
      ARN: `arn:aws:ec2:${options.region}:${accountId}:instance/${instanceId}`,
    })),
  });
}
