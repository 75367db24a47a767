import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';

/**
 * The member-account clients release reads and acts with, in the report's account and region. They carry the
 * operator's credentials (the CLI builds them): the responder role grants none of the undo actions.
 */
export interface ReleaseClients {
  readonly ec2: EC2Client;
  readonly autoScaling: AutoScalingClient;
  readonly iam: IAMClient;
  /** Lambda findings only: the throttled function's reserved concurrency. */
  readonly lambda: LambdaClient;
}
