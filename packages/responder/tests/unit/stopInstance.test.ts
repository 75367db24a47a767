import { EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InstanceFacts } from '../../src/steps/inspectInstance';
import { stopInstance } from '../../src/steps/stopInstance';
import { awsError } from '../support/awsError';

const ec2 = mockClient(EC2Client);
const client = new EC2Client({ region: 'us-east-1' });

const instance: InstanceFacts = {
  instanceId: 'i-0123456789abcdef0',
  state: 'running',
  networkInterfaces: [],
  autoScalingGroupName: null,
  tags: {},
  volumes: [],
  hibernationConfigured: true,
  instanceProfileArn: null,
  spotInstanceRequestId: null,
  metadataOptions: null,
};

beforeEach(() => {
  ec2.reset();
  ec2.on(StopInstancesCommand).resolves({});
});

describe('stopping an instance launched with hibernation', () => {
  it('stops it anyway when hibernating fails (containment first), and says so', async () => {
    // Prepare
    ec2.on(StopInstancesCommand, { Hibernate: true }).rejects(awsError('UnsupportedHibernationConfiguration'));

    // Act
    const result = await stopInstance(client, instance, { hibernate: true });

    // Assess
    expect(ec2.commandCalls(StopInstancesCommand).map((call) => call.args[0].input.Hibernate)).toEqual([
      true,
      undefined,
    ]);
    expect(result.hibernated).toBe(false);
    expect(result.records.map((record) => [record.action ?? 'stop', record.status])).toEqual([
      ['hibernate', 'failed'],
      ['stop', 'succeeded'],
    ]);
  });

  it('does not hibernate when the switch is off, nor an instance launched without it', async () => {
    // Act
    await stopInstance(client, instance, { hibernate: false });
    await stopInstance(client, { ...instance, hibernationConfigured: false }, { hibernate: true });

    // Assess
    expect(ec2.commandCalls(StopInstancesCommand).map((call) => call.args[0].input.Hibernate)).toEqual([
      undefined,
      undefined,
    ]);
  });
});
