import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { clientConfigForAccount } from '../emulator/credentialsForAccount';
import { EMULATOR_IMAGE_ID } from './emulatorImageId';
import { requireValue } from './requireValue';

export interface StackInstance {
  readonly stackId: string;
  readonly instanceId: string;
}

/**
 * A CloudFormation stack with one instance, created in the emulator by CloudFormation itself, which tags the
 * instance `aws:cloudformation:stack-id` as AWS does.
 */
export async function launchStackInstance(
  endpoint: string,
  target: {
    readonly accountId: string;
    readonly region: string;
    readonly subnetId: string;
    readonly stackName: string;
  },
): Promise<StackInstance> {
  const cloudFormation = new CloudFormationClient(
    await clientConfigForAccount(endpoint, target.accountId, { region: target.region }),
  );
  try {
    const template = {
      Resources: {
        Worker: {
          Type: 'AWS::EC2::Instance',
          Properties: { ImageId: EMULATOR_IMAGE_ID, InstanceType: 't3.micro', SubnetId: target.subnetId },
        },
      },
    };
    const created = await cloudFormation.send(
      new CreateStackCommand({ StackName: target.stackName, TemplateBody: JSON.stringify(template) }),
    );
    const stackId = requireValue(created.StackId, 'stack id');
    const resources = await cloudFormation.send(new DescribeStackResourcesCommand({ StackName: stackId }));
    const worker = resources.StackResources?.find((resource) => resource.LogicalResourceId === 'Worker');
    return { stackId, instanceId: requireValue(worker?.PhysicalResourceId, 'stack instance id') };
  } finally {
    cloudFormation.destroy();
  }
}
