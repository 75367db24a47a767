import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateSecurityGroupCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorClientConfig } from '../src/emulator/emulatorClientConfig';
import { type FaultInjectingProxy, injectedErrorCode, startFaultInjectingProxy } from '../src/faults';
import { emulatorEndpoint } from '../src/vitest';

describe('startFaultInjectingProxy', () => {
  let proxy: FaultInjectingProxy;
  const config = (maxAttempts = 1) => ({ ...emulatorClientConfig(proxy.endpoint), maxAttempts });

  beforeAll(async () => {
    proxy = await startFaultInjectingProxy({ target: emulatorEndpoint() });
  });
  afterAll(async () => {
    await proxy.stop();
  });
  beforeEach(() => {
    proxy.setRules([]);
    proxy.clearCalls();
  });

  it('forwards calls to the emulator and logs what each one was', async () => {
    // Act
    const vpcs = await new EC2Client(config()).send(new DescribeVpcsCommand({}));
    await new S3Client(config()).send(new ListBucketsCommand({}));

    // Assess
    expect(vpcs.Vpcs?.length).toBeGreaterThan(0);
    expect(
      proxy.calls.map(({ service, operation, status, readOnly }) => ({ service, operation, status, readOnly })),
    ).toEqual([
      { service: 'ec2', operation: 'DescribeVpcs', status: 200, readOnly: true },
      { service: 's3', operation: 'ListBuckets', status: 200, readOnly: true },
    ]);
  });

  it('answers with the throttling error each protocol and service really uses', async () => {
    // Prepare
    proxy.setRules([{ fault: 'throttle' }]);
    const nameAndStatus = (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
      `${error.name} ${error.$metadata?.httpStatusCode}`;

    // Act
    const errors = await Promise.all([
      new EC2Client(config()).send(new DescribeVpcsCommand({})).catch(nameAndStatus),
      new IAMClient(config()).send(new ListUsersCommand({})).catch(nameAndStatus),
      new OrganizationsClient(config()).send(new DescribeOrganizationCommand({})).catch(nameAndStatus),
      new CloudTrailClient(config()).send(new LookupEventsCommand({})).catch(nameAndStatus),
      new S3Client(config()).send(new ListBucketsCommand({})).catch(nameAndStatus),
    ]);

    // Assess: Organizations' own code (its API reference), CloudTrail's; both are HTTP 429.
    expect(errors).toEqual([
      'RequestLimitExceeded 503',
      'Throttling 400',
      'TooManyRequestsException 429',
      'ThrottlingException 429',
      'SlowDown 503',
    ]);
    expect(injectedErrorCode('throttle', { service: 'organizations', protocol: 'awsJson' })).toBe(
      'TooManyRequestsException',
    );
  });

  it('injects AccessDenied in the shape of each protocol', async () => {
    // Prepare
    proxy.setRules([
      { service: 'ec2', fault: 'accessDenied' },
      { service: 'iam', fault: 'accessDenied' },
    ]);

    // Act
    const errors = await Promise.all([
      new EC2Client(config()).send(new DescribeVpcsCommand({})).catch((error: Error) => error.name),
      new IAMClient(config()).send(new ListUsersCommand({})).catch((error: Error) => error.name),
    ]);

    // Assess
    expect(errors).toEqual(['UnauthorizedOperation', 'AccessDenied']);
  });

  it('faults only the n-th matching call, so the SDK retry gets through', async () => {
    // Prepare
    proxy.setRules([{ service: 'sts', operation: 'GetCallerIdentity', fault: 'serverError', onCalls: [1] }]);

    // Act
    const identity = await new STSClient(config(3)).send(new GetCallerIdentityCommand({}));

    // Assess
    expect(identity.Account).toMatch(/^\d{12}$/);
    expect(proxy.calls.map((call) => call.status)).toEqual([500, 200]);
  });

  it('faults only the S3 keys under a path prefix', async () => {
    // Prepare
    const s3 = new S3Client(config());
    await s3.send(new CreateBucketCommand({ Bucket: 'path-prefix-bucket' }));
    proxy.setRules([
      { service: 's3', operation: 'PutObject', pathPrefix: '/path-prefix-bucket/reports/', fault: 'accessDenied' },
    ]);

    // Act
    const outside = await s3.send(new PutObjectCommand({ Bucket: 'path-prefix-bucket', Key: 'state/lock', Body: 'x' }));
    const inside = await s3
      .send(new PutObjectCommand({ Bucket: 'path-prefix-bucket', Key: 'reports/one.json', Body: '{}' }))
      .catch((error: Error) => error.name);

    // Assess
    expect(outside.$metadata.httpStatusCode).toBe(200);
    expect(inside).toBe('AccessDenied');
  });

  it('drops the connection without an answer', async () => {
    // Prepare
    proxy.setRules([{ service: 'ec2', fault: 'dropConnection' }]);

    // Act
    const error = await new EC2Client(config()).send(new DescribeVpcsCommand({})).catch((caught: Error) => caught);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(proxy.calls[0]?.status).toBe(0);
  });

  it('limits a caller to a number of calls per second and region', async () => {
    // Prepare
    proxy.setRules([{ service: 'sts', operation: 'GetCallerIdentity', fault: 'throttle', maxPerSecond: 2 }]);
    const sts = new STSClient(config());

    // Act
    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        sts.send(new GetCallerIdentityCommand({})).then(
          () => 'ok',
          (error: Error) => error.name,
        ),
      ),
    );

    // Assess
    expect(outcomes.sort()).toEqual(['Throttling', 'ok', 'ok']);
  });

  it('tells calls that change something from reads', async () => {
    // Prepare
    const ec2 = new EC2Client(config());
    const vpcId = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId;

    // Act
    await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'proxy-test', Description: 'proxy test', VpcId: vpcId }),
    );

    // Assess
    expect(proxy.mutatingCalls().map((call) => call.operation)).toEqual(['CreateSecurityGroup']);
  });

  it('adds latency to a call and still forwards it', async () => {
    // Prepare
    proxy.setRules([{ service: 'ec2', fault: 'latency', latencyMs: 20 }]);

    // Act
    await new EC2Client(config()).send(new DescribeVpcsCommand({}));

    // Assess
    expect(proxy.calls[0]).toMatchObject({ faults: ['latency'], status: 200 });
  });
});
