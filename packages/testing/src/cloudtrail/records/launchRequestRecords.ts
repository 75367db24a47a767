import type { CloudTrailRecord } from '../cloudTrailRecord';
import { cloudTrailEnvelope, type RecordContext } from './cloudTrailEnvelope';

// The calls that ask a service to launch instances, with the fields the CloudTrail user guide's examples show:
// CreateStack answers with the stack id; UpdateStack names the stack; CreateFleet, RequestSpotFleet and
// RequestSpotInstances answer with the fleet or request id (the EC2 query API's response, as CloudTrail logs it).

export function createStackRecord(options: RecordContext & { readonly stackId: string }): CloudTrailRecord {
  const stackName = options.stackId.split('/')[1] ?? options.stackId;
  return cloudTrailEnvelope(options, {
    eventSource: 'cloudformation.amazonaws.com',
    eventName: 'CreateStack',
    requestParameters: {
      stackName,
      templateURL: `https://s3.amazonaws.com/templates/${stackName}.yaml`,
      capabilities: [],
    },
    responseElements: { stackId: options.stackId },
  });
}

export function updateStackRecord(options: RecordContext & { readonly stackId: string }): CloudTrailRecord {
  return cloudTrailEnvelope(options, {
    eventSource: 'cloudformation.amazonaws.com',
    eventName: 'UpdateStack',
    requestParameters: { stackName: options.stackId, usePreviousTemplate: true },
    responseElements: { stackId: options.stackId },
  });
}

export function createFleetRecord(options: RecordContext & { readonly fleetId: string }): CloudTrailRecord {
  return cloudTrailEnvelope(options, {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'CreateFleet',
    requestParameters: {
      CreateFleetRequest: {
        Type: 'instant',
        TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'spot' },
      },
    },
    responseElements: {
      CreateFleetResponse: { fleetId: options.fleetId, xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' },
    },
  });
}

export function requestSpotFleetRecord(
  options: RecordContext & { readonly spotFleetRequestId: string },
): CloudTrailRecord {
  return cloudTrailEnvelope(options, {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RequestSpotFleet',
    requestParameters: { RequestSpotFleetRequest: { SpotFleetRequestConfig: { TargetCapacity: 1 } } },
    responseElements: {
      RequestSpotFleetResponse: {
        spotFleetRequestId: options.spotFleetRequestId,
        xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
      },
    },
  });
}

export function requestSpotInstancesRecord(
  options: RecordContext & { readonly spotInstanceRequestId: string },
): CloudTrailRecord {
  return cloudTrailEnvelope(options, {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RequestSpotInstances',
    requestParameters: { instanceCount: 1, type: 'one-time' },
    responseElements: {
      spotInstanceRequestSet: {
        items: [{ spotInstanceRequestId: options.spotInstanceRequestId, state: 'open', type: 'one-time' }],
      },
    },
  });
}
