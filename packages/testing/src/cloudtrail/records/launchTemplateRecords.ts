import type { CloudTrailRecord } from '../cloudTrailRecord';
import { cloudTrailEnvelope, type RecordContext } from './cloudTrailEnvelope';

export interface LaunchTemplateRecordOptions extends RecordContext {
  readonly launchTemplateId: string;
  readonly launchTemplateName: string;
  /** Default 1 for CreateLaunchTemplate, 2 for CreateLaunchTemplateVersion. */
  readonly versionNumber?: number;
  readonly imageId?: string;
  readonly userData?: string;
}

function launchTemplateData(options: LaunchTemplateRecordOptions): Record<string, unknown> {
  return {
    ImageId: options.imageId ?? 'ami-760aaa0f',
    InstanceType: 't3.micro',
    // CloudTrail hides user data: the record only says it was there.
    ...(options.userData !== undefined && { UserData: '<sensitiveDataRemoved>' }),
  };
}

function templateVersion(options: LaunchTemplateRecordOptions, versionNumber: number): Record<string, unknown> {
  return {
    launchTemplateId: options.launchTemplateId,
    launchTemplateName: options.launchTemplateName,
    versionNumber,
    createdBy: options.identity.arn,
    defaultVersion: versionNumber === 1,
  };
}

/** Someone created a launch template (EC2 logs these calls in its XML-to-JSON style). */
export function createLaunchTemplateRecord(options: LaunchTemplateRecordOptions): CloudTrailRecord {
  const versionNumber = options.versionNumber ?? 1;
  return cloudTrailEnvelope(options, {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'CreateLaunchTemplate',
    requestParameters: {
      CreateLaunchTemplateRequest: {
        LaunchTemplateName: options.launchTemplateName,
        LaunchTemplateData: launchTemplateData(options),
      },
    },
    responseElements: {
      CreateLaunchTemplateResponse: {
        launchTemplate: {
          launchTemplateId: options.launchTemplateId,
          launchTemplateName: options.launchTemplateName,
          defaultVersionNumber: 1,
          latestVersionNumber: versionNumber,
          createdBy: options.identity.arn,
        },
      },
    },
  });
}

/** Someone added a version to a launch template (for example one whose user data starts a miner). */
export function createLaunchTemplateVersionRecord(options: LaunchTemplateRecordOptions): CloudTrailRecord {
  const versionNumber = options.versionNumber ?? 2;
  return cloudTrailEnvelope(options, {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'CreateLaunchTemplateVersion',
    requestParameters: {
      CreateLaunchTemplateVersionRequest: {
        LaunchTemplateId: options.launchTemplateId,
        LaunchTemplateData: launchTemplateData(options),
      },
    },
    responseElements: {
      CreateLaunchTemplateVersionResponse: { launchTemplateVersion: templateVersion(options, versionNumber) },
    },
  });
}
