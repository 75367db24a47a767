import { type CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { CENTRAL_OUTPUT_NAMES, CENTRAL_PARAMETER_NAMES } from '@cryptominer-defense/central/deployment-names';
import { DeploymentGap } from './checkResult';

/** Where the deployment's pieces are, as the central stack says (its outputs and parameters). */
export interface CentralDeployment {
  readonly stackName: string;
  readonly homeRegion: string;
  readonly partition: string;
  readonly centralAccountId: string;
  readonly incidentBucketName: string;
  readonly findingsQueueUrl: string;
  readonly responderFunctionName: string;
  readonly forwardingBusArn: string;
  readonly responderRoleName: string;
  readonly targetOrganizationalUnitIds: readonly string[];
  /** The regions of `ProjectionRegions` but the home region: the regions reports come from through a forwarder. */
  readonly forwardedRegions: readonly string[];
}

const SETTLED_STATUSES = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE']);

function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Reads the central stack with DescribeStacks: its outputs name the bucket, queue, function and forwarding bus, its
 * parameters the responder role, the StackSet's target OUs and the report regions. Throws a DeploymentGap when the
 * stack is missing, unsettled, or lacks an output or parameter.
 */
export async function readCentralDeployment(
  cloudFormation: CloudFormationClient,
  stackName: string,
  homeRegion: string,
): Promise<CentralDeployment> {
  const described = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName })).catch((error) => {
    if (error instanceof Error && error.name === 'ValidationError') {
      throw new DeploymentGap(
        'StackNotFound',
        `No stack ${stackName} in ${homeRegion}: deploy CryptominerCentral (docs/deploy.md), or pass --stack-name and set AWS_REGION to its region.`,
      );
    }
    throw error;
  });
  const stack: Stack | undefined = described.Stacks?.[0];
  const status = stack?.StackStatus ?? 'unknown';
  if (stack === undefined || !SETTLED_STATUSES.has(status)) {
    throw new DeploymentGap(
      'StackNotSettled',
      `Stack ${stackName} is ${status}: finish or fix its deployment (CloudFormation console, the stack's events) and run doctor again.`,
    );
  }
  const output = (key: string) => {
    const value = stack.Outputs?.find((candidate) => candidate.OutputKey === key)?.OutputValue;
    if (value === undefined || value === '') {
      throw new DeploymentGap(
        'MissingOutput',
        `Stack ${stackName} has no output ${key}: redeploy it from this version.`,
      );
    }
    return value;
  };
  const parameter = (key: string) => {
    const value = stack.Parameters?.find((candidate) => candidate.ParameterKey === key);
    if (value === undefined) {
      throw new DeploymentGap(
        'MissingParameter',
        `Stack ${stackName} has no parameter ${key}: redeploy it from this version.`,
      );
    }
    return value.ResolvedValue ?? value.ParameterValue ?? '';
  };
  // arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>
  const [, partition = 'aws', , , centralAccountId = ''] = (stack.StackId ?? '').split(':');
  return {
    stackName,
    homeRegion,
    partition,
    centralAccountId,
    incidentBucketName: output(CENTRAL_OUTPUT_NAMES.incidentBucketName),
    findingsQueueUrl: output(CENTRAL_OUTPUT_NAMES.findingsQueueUrl),
    responderFunctionName: output(CENTRAL_OUTPUT_NAMES.responderFunctionName),
    forwardingBusArn: output(CENTRAL_OUTPUT_NAMES.forwardingBusArn),
    responderRoleName: parameter(CENTRAL_PARAMETER_NAMES.responderRoleName),
    targetOrganizationalUnitIds: commaList(parameter(CENTRAL_PARAMETER_NAMES.targetOrganizationalUnitIds)),
    forwardedRegions: commaList(parameter(CENTRAL_PARAMETER_NAMES.projectionRegions)).filter(
      (region) => region !== homeRegion,
    ),
  };
}
