/**
 * Actions the central function's role needs because of how it is deployed, not because the engine calls them:
 * the Lambda platform calls them on the function's behalf. Kept in one list, apart from the engine's actions
 * (core's centralAccountActions()), so that the least-privilege check can state: the engine's calls equal the
 * engine actions granted, and everything else granted is on this list, with its reason.
 */
export const CENTRAL_INFRASTRUCTURE_ACTIONS = [
  {
    action: 'sqs:ReceiveMessage',
    reason: 'The Lambda event source mapping polls the findings queue with the function role.',
  },
  {
    action: 'sqs:DeleteMessage',
    reason: 'The event source mapping deletes the messages of a batch that was handled.',
  },
  {
    action: 'sqs:GetQueueAttributes',
    reason: 'The event source mapping reads the queue attributes when it starts polling.',
  },
  {
    action: 'logs:CreateLogStream',
    reason: 'The Lambda runtime creates a log stream in the function log group.',
  },
  {
    action: 'logs:PutLogEvents',
    reason: 'The Lambda runtime writes the function logs.',
  },
  {
    action: 'kms:GenerateDataKey',
    reason:
      'S3 needs a data key of the incident key to store a report with SSE-KMS; SNS to publish to the encrypted topic.',
  },
  {
    action: 'kms:Decrypt',
    reason: 'SNS decrypts the data key when it publishes to the encrypted alert topic.',
  },
] as const satisfies readonly { action: string; reason: string }[];

export type InfrastructureAction = (typeof CENTRAL_INFRASTRUCTURE_ACTIONS)[number]['action'];
