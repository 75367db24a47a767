import type { IncomingHttpHeaders } from 'node:http';

/** What an AWS API request is, read from its wire form. */
export interface AwsRequestIdentity {
  /** The SigV4 signing name: `ec2`, `autoscaling`, `iam`, `sts`, `s3`, `cloudtrail`, `organizations`, … */
  readonly service: string;
  /** The API operation: `DescribeInstances`, `PutObject`, `LookupEvents`, … (`Unknown` if it cannot be told). */
  readonly operation: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly protocol: AwsProtocol;
  /** The URL path (for S3, path-style: `/<bucket>/<key>`). */
  readonly path: string;
}

/** The wire protocols the SDK v3 clients this project uses speak; each has its own error shape. */
export type AwsProtocol = 'ec2Query' | 'awsQuery' | 'awsJson' | 'restXml';

const CREDENTIAL_SCOPE = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

export function identifyAwsRequest(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: string,
): AwsRequestIdentity {
  const path = new URL(url, 'http://x').pathname;
  const scope = CREDENTIAL_SCOPE.exec(headerValue(headers.authorization));
  const accessKeyId = scope?.[1] ?? 'anonymous';
  const region = scope?.[2] ?? 'us-east-1';
  const service = scope?.[3] ?? 'unknown';
  const target = headerValue(headers['x-amz-target']);
  if (target !== '') {
    return { service, region, accessKeyId, path, protocol: 'awsJson', operation: target.split('.').pop() ?? 'Unknown' };
  }
  if (service === 's3') {
    return { service, region, accessKeyId, path, protocol: 'restXml', operation: s3Operation(method, url, headers) };
  }
  const action = new URLSearchParams(body).get('Action') ?? new URL(url, 'http://x').searchParams.get('Action');
  // Every non-JSON, non-S3 client here (EC2, IAM, STS, Auto Scaling, SNS) speaks a query protocol.
  const protocol: AwsProtocol = service === 'ec2' ? 'ec2Query' : 'awsQuery';
  return { service, region, accessKeyId, path, protocol, operation: action ?? 'Unknown' };
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** Path-style S3 (`/bucket/key?…`): enough of the REST mapping for the operations this project calls. */
function s3Operation(method: string, url: string, headers: IncomingHttpHeaders): string {
  const parsed = new URL(url, 'http://x');
  const [, bucket = '', ...keyParts] = parsed.pathname.split('/');
  const hasKey = keyParts.join('/') !== '';
  const query = parsed.searchParams;
  if (bucket === '') return method === 'GET' ? 'ListBuckets' : 'Unknown';
  if (!hasKey) {
    if (method === 'GET') return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'DELETE') return 'DeleteBucket';
    if (method === 'HEAD') return 'HeadBucket';
    return 'Unknown';
  }
  if (method === 'PUT') return headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'DELETE') return 'DeleteObject';
  return 'Unknown';
}

/** Reads, lists and look-ups: calls that change nothing in an account. */
export function isReadOnlyOperation(operation: string): boolean {
  return /^(Describe|List|Get|Lookup|Head|Search|Simulate|Test)/.test(operation);
}
