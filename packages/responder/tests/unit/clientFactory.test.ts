import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAssumedRoleCredentials } from '../../src/clients/createAssumedRoleCredentials';
import { createClientFactory } from '../../src/clients/createClientFactory';
import type { ResponderClient } from '../../src/clients/responderClients';
import { awsError } from '../support/awsError';

const sts = mockClient(STSClient);

function answerAssumeRole(expiresInMs: number, clock: () => Date): void {
  sts.on(AssumeRoleCommand).callsFake(() => ({
    Credentials: {
      AccessKeyId: 'ASIA1',
      SecretAccessKey: 's',
      SessionToken: 't',
      Expiration: new Date(clock().getTime() + expiresInMs),
    },
  }));
}

beforeEach(() => sts.reset());
afterEach(() => sts.reset());

describe('createAssumedRoleCredentials', () => {
  it('assumes the role once per account while the credentials are fresh, and renews them near expiry', async () => {
    // Prepare
    let time = new Date('2026-11-26T10:00:00Z');
    const clock = () => time;
    answerAssumeRole(60 * 60 * 1000, clock);
    const credentialsFor = createAssumedRoleCredentials(new STSClient({ region: 'eu-west-1' }), {
      roleName: 'Responder',
      roleSessionName: 'test',
      now: clock,
    });
    const target = { accountId: '111122223333', partition: 'aws' };

    // Act
    await credentialsFor(target);
    await credentialsFor(target);
    await credentialsFor({ accountId: '444455556666', partition: 'aws' });
    time = new Date('2026-11-26T10:56:00Z'); // 4 minutes left: inside the 5-minute margin
    const renewed = await credentialsFor(target);

    // Assess
    const roleArns = sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn);
    expect(roleArns).toEqual([
      'arn:aws:iam::111122223333:role/Responder',
      'arn:aws:iam::444455556666:role/Responder',
      'arn:aws:iam::111122223333:role/Responder',
    ]);
    expect(renewed).toMatchObject({ accountId: '111122223333', accessKeyId: 'ASIA1' });
  });

  it('does not cache a refusal: the next call asks again', async () => {
    // Prepare
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(awsError('AccessDenied'))
      .resolves({
        Credentials: {
          AccessKeyId: 'ASIA2',
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(Date.now() + 3_600_000),
        },
      });
    const credentialsFor = createAssumedRoleCredentials(new STSClient({ region: 'eu-west-1' }), {
      roleName: 'Responder',
      roleSessionName: 'test',
    });
    const target = { accountId: '111122223333', partition: 'aws-cn' };

    // Act
    const first = credentialsFor(target);
    await expect(first).rejects.toThrow('AccessDenied');
    const second = await credentialsFor(target);

    // Assess
    expect(second.accessKeyId).toBe('ASIA2');
    expect(sts.commandCalls(AssumeRoleCommand)[1]?.args[0].input.RoleArn).toBe(
      'arn:aws-cn:iam::111122223333:role/Responder',
    );
  });
});

describe('createClientFactory', () => {
  it('uses path-style S3 addressing only when a custom endpoint is set', async () => {
    // Act
    const custom = createClientFactory({
      centralRegion: 'eu-west-1',
      responderRoleName: 'R',
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' },
    });
    const s3Only = createClientFactory({
      centralRegion: 'eu-west-1',
      responderRoleName: 'R',
      env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:5000' },
    });
    const aws = createClientFactory({ centralRegion: 'eu-west-1', responderRoleName: 'R', env: {} });

    // Assess
    expect(custom.central.s3.config.forcePathStyle).toBe(true);
    expect(s3Only.central.s3.config.forcePathStyle).toBe(true);
    expect(aws.central.s3.config.forcePathStyle).toBe(false);
    for (const factory of [custom, s3Only, aws]) factory.destroy();
  });

  it("creates clients per account and region, in the finding's region, with adaptive retries, each passed to the hook", async () => {
    // Prepare
    answerAssumeRole(3_600_000, () => new Date());
    const hooked: ResponderClient[] = [];
    const factory = createClientFactory({
      centralRegion: 'eu-west-1',
      responderRoleName: 'R',
      env: { AWS_MAX_ATTEMPTS: '3' },
      configureClient: (client) => hooked.push(client),
    });
    const target = { accountId: '111122223333', region: 'ap-southeast-2', partition: 'aws' };

    // Act
    const first = await factory.memberAccount(target);
    const again = await factory.memberAccount(target);
    const otherRegion = await factory.memberAccount({ ...target, region: 'us-west-2' });

    // Assess
    expect(again).toBe(first);
    expect(otherRegion.ec2).not.toBe(first.ec2);
    expect(await first.ec2.config.region()).toBe('ap-southeast-2');
    expect(await otherRegion.cloudTrail.config.region()).toBe('us-west-2');
    expect(await factory.central.organizations.config.region()).toBe('eu-west-1');
    expect(first.ec2.config.retryMode).toBe('adaptive');
    expect(await first.ec2.config.maxAttempts()).toBe(3);
    // STS, Organizations, S3, then 5 member clients per account and region; SNS only once asked for, then reused.
    expect(hooked).toHaveLength(3 + 5 + 5);
    const sns = await factory.central.sns();
    expect(await factory.central.sns()).toBe(sns);
    expect(await sns.config.region()).toBe('eu-west-1');
    expect(hooked).toHaveLength(3 + 5 + 5 + 1);
    expect(hooked.at(-1)).toBe(sns);
    factory.destroy();
  });

  it("rejects with STS's error when the role cannot be assumed, and tries again on the next call", async () => {
    // Prepare
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(awsError('AccessDenied'))
      .resolves({
        Credentials: {
          AccessKeyId: 'ASIA3',
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(Date.now() + 3_600_000),
        },
      });
    const hooked: ResponderClient[] = [];
    const factory = createClientFactory({
      centralRegion: 'eu-west-1',
      responderRoleName: 'R',
      env: {},
      configureClient: (client) => hooked.push(client),
    });
    const target = { accountId: '111122223333', region: 'eu-west-1', partition: 'aws' };

    // Act
    const refused = factory.memberAccount(target);
    await expect(refused).rejects.toThrow('AccessDenied');
    const clients = await factory.memberAccount(target);

    // Assess: the clients loaded on demand (Auto Scaling, CloudTrail, IAM) are there and hooked like the others.
    expect(await clients.iam.config.region()).toBe('eu-west-1');
    expect(await clients.autoScaling.config.region()).toBe('eu-west-1');
    expect(await clients.cloudTrail.config.region()).toBe('eu-west-1');
    expect(hooked).toEqual(expect.arrayContaining([clients.ec2, clients.autoScaling, clients.iam, clients.cloudTrail]));
    factory.destroy();
  });
});
