import type { CloudTrailRecord } from '../cloudTrailRecord';
import { cloudTrailEnvelope, type RecordContext } from './cloudTrailEnvelope';

export interface AutoScalingGroupRecordOptions extends RecordContext {
  readonly autoScalingGroupName: string;
  readonly launchTemplateId?: string;
  readonly launchTemplateVersion?: string;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desiredCapacity?: number;
  readonly subnetIds?: readonly string[];
}

function groupParameters(options: AutoScalingGroupRecordOptions): Record<string, unknown> {
  return {
    autoScalingGroupName: options.autoScalingGroupName,
    ...(options.launchTemplateId !== undefined && {
      launchTemplate: {
        launchTemplateId: options.launchTemplateId,
        version: options.launchTemplateVersion ?? '$Latest',
      },
    }),
    ...(options.minSize !== undefined && { minSize: options.minSize }),
    ...(options.maxSize !== undefined && { maxSize: options.maxSize }),
    ...(options.desiredCapacity !== undefined && { desiredCapacity: options.desiredCapacity }),
    ...(options.subnetIds !== undefined && { vPCZoneIdentifier: options.subnetIds.join(',') }),
  };
}

/** Someone created an Auto Scaling group (the human behind instances the group launches). */
export function createAutoScalingGroupRecord(options: AutoScalingGroupRecordOptions): CloudTrailRecord {
  return cloudTrailEnvelope(options, {
    eventSource: 'autoscaling.amazonaws.com',
    eventName: 'CreateAutoScalingGroup',
    requestParameters: groupParameters(options),
    // Auto Scaling's write calls log no response elements.
    responseElements: null,
  });
}

/** Someone changed an Auto Scaling group (for example pointed it at another launch template). */
export function updateAutoScalingGroupRecord(options: AutoScalingGroupRecordOptions): CloudTrailRecord {
  return cloudTrailEnvelope(options, {
    eventSource: 'autoscaling.amazonaws.com',
    eventName: 'UpdateAutoScalingGroup',
    requestParameters: groupParameters(options),
    responseElements: null,
  });
}
