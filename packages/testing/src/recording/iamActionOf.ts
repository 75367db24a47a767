/** IAM service prefixes by SDK client name (the prefix is not always the client's lower-cased name). */
const SERVICE_PREFIXES: Readonly<Record<string, string>> = {
  AutoScalingClient: 'autoscaling',
  CloudFormationClient: 'cloudformation',
  CloudTrailClient: 'cloudtrail',
  EC2Client: 'ec2',
  EventBridgeClient: 'events',
  GuardDutyClient: 'guardduty',
  IAMClient: 'iam',
  LambdaClient: 'lambda',
  OrganizationsClient: 'organizations',
  S3Client: 's3',
  SecurityHubClient: 'securityhub',
  SNSClient: 'sns',
  SQSClient: 'sqs',
  STSClient: 'sts',
};

/**
 * S3 operations whose IAM action has another name (Service Authorization Reference, "Actions defined by Amazon
 * S3"). Every other operation of every service is authorized by the action of the same name.
 */
const S3_ACTIONS: Readonly<Record<string, string>> = {
  HeadObject: 'GetObject',
  HeadBucket: 'ListBucket',
  ListObjects: 'ListBucket',
  ListObjectsV2: 'ListBucket',
  ListObjectVersions: 'ListBucketVersions',
  ListBuckets: 'ListAllMyBuckets',
  DeleteObjects: 'DeleteObject',
  CreateMultipartUpload: 'PutObject',
  UploadPart: 'PutObject',
  CompleteMultipartUpload: 'PutObject',
  AbortMultipartUpload: 'AbortMultipartUpload',
  GetObjectAttributes: 'GetObjectAttributes',
};

/** `ec2:DescribeInstances` from (`EC2Client`, `DescribeInstancesCommand`); undefined for an unknown client. */
export function iamActionOf(clientName: string, commandName: string): string | undefined {
  const prefix = SERVICE_PREFIXES[clientName] ?? /^(\w+)Client$/.exec(clientName)?.[1]?.toLowerCase();
  if (prefix === undefined) return undefined;
  const operation = commandName.replace(/Command$/, '');
  const action = prefix === 's3' ? (S3_ACTIONS[operation] ?? operation) : operation;
  return `${prefix}:${action}`;
}
