import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { guardDutyFindingEvent } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaHandler } from '../../src/createLambdaHandler';
import { jsonLinesLogger } from '../../src/responderLogger';
import { emulatorFaults } from '../support/emulatorFaults';
import { networkInterfacesInGroup } from '../support/networkInterfaceGroups';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const region = 'us-east-1';
const ISOLATION = 'CryptominerIsolationGroup';
const CUT = 'CryptominerConnectionCutGroup';

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function groupNamed(ec2: EC2Client, vpcId: string, name: string) {
  const described = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [name] },
      ],
    }),
  );
  return described.SecurityGroups?.[0];
}

const findingOf = (accountId: string, instanceId: string) =>
  guardDutyFindingEvent({ accountId, region, instanceId, findingId: randomBytes(16).toString('hex') });

describe('a group of the isolation name that this tool did not create (a member-account user made it first)', () => {
  it('is never used and never blocks isolation: the ENI goes onto a new group under the next name, and the report says so', async () => {
    // Prepare: a group named like the isolation group, one inbound rule, no purpose tag, in the second VPC.
    const member = world.organization.member('workload-a');
    const layout = member.inRegion(region);
    const clients = await world.clientsOf(member.accountId, region);
    const { vpcId } = layout.secondaryNetwork;
    const squatted = await clients.ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: ISOLATION, Description: 'looks like isolation' }),
    );
    await clients.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: squatted.GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const target = layout.secondVpcInstance;

    // Act
    const handled = reported(await world.createResponder().handle(findingOf(member.accountId, target.instanceId)));

    // Assess
    const report = await world.readReport(handled.key);
    const used = await groupNamed(clients.ec2, vpcId, `${ISOLATION}-2`);
    expect(used?.IpPermissions).toEqual([]);
    expect(used?.IpPermissionsEgress).toEqual([]);
    expect(await networkInterfacesInGroup(clients.ec2, used?.GroupId ?? 'none')).toEqual([
      ...target.networkInterfaceIds,
    ]);
    expect(await networkInterfacesInGroup(clients.ec2, squatted.GroupId ?? 'none')).toEqual([]);
    expect((await groupNamed(clients.ec2, vpcId, ISOLATION))?.IpPermissions).toHaveLength(1);
    expect(report.response.networkIsolated).toBe(true);
    expect(report.steps).toContainEqual(
      expect.objectContaining({ action: 'passOverGroup', target: squatted.GroupId, status: 'skipped' }),
    );
    expect(report.manualInterventionReasons.join('\n')).toContain('not created by this tool');
  });
});

describe('an ENI that cannot leave the all-open group (its moves onto the isolation group refused)', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('ends on the all-open group emptied of its rules: never left open to all traffic', async () => {
    // Prepare: the 1st move (onto the all-open group) goes through, the 2nd and its retry are refused.
    const member = world.organization.member('workload-b');
    const layout = member.inRegion(region);
    const clients = await world.clientsOf(member.accountId, region);
    const target = layout.standaloneInstance;
    const proxy = await faults.start([
      { service: 'ec2', operation: 'ModifyNetworkInterfaceAttribute', fault: 'accessDenied', onCalls: [2, 3] },
    ]);

    // Act
    const handled = reported(
      await world
        .createResponder({ AWS_ENDPOINT_URL: proxy.endpoint })
        .handle(findingOf(member.accountId, target.instanceId)),
    );

    // Assess
    const report = await world.readReport(handled.key);
    const cut = await groupNamed(clients.ec2, layout.primaryNetwork.vpcId, CUT);
    expect(await networkInterfacesInGroup(clients.ec2, cut?.GroupId ?? 'none')).toEqual([
      ...target.networkInterfaceIds,
    ]);
    expect(cut?.IpPermissions).toEqual([]);
    expect(cut?.IpPermissionsEgress).toEqual([]);
    expect(report.steps).toContainEqual(
      expect.objectContaining({ action: 'closeConnectionCutGroup', status: 'succeeded' }),
    );
    expect(report.response.networkIsolated).toBe(true);
    expect(report.undo.networkInterfaces).toEqual([
      expect.objectContaining({
        isolationSecurityGroupId: cut?.GroupId,
        previousSecurityGroupIds: [layout.primaryNetwork.securityGroupId],
      }),
    ]);
  });
});

describe('an isolation left undone (the moves and the fallback refused), delivered through the findings queue', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('fails the record after the report is stored, and the redelivery isolates the instance', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const layout = member.inRegion(region);
    const clients = await world.clientsOf(member.accountId, region);
    const target = layout.standaloneInstance;
    const proxy = await faults.start([
      { service: 'ec2', operation: 'ModifyNetworkInterfaceAttribute', fault: 'accessDenied', onCalls: [2, 3] },
      { service: 'ec2', operation: 'RevokeSecurityGroupIngress', fault: 'accessDenied' },
    ]);
    const queueArn = `arn:aws:sqs:${region}:000000000000:cryptominer-findings`;
    const handlerThrough = (endpoint: string) =>
      createLambdaHandler({
        env: { ...world.env, AWS_ENDPOINT_URL: endpoint, FINDING_QUEUE_ARN: queueArn },
        logger: jsonLinesLogger(new Writable({ write: (_chunk, _encoding, done) => done() })),
      });
    const batch = {
      Records: [
        {
          messageId: 'message-1',
          eventSource: 'aws:sqs',
          eventSourceARN: queueArn,
          body: JSON.stringify(findingOf(member.accountId, target.instanceId)),
        },
      ],
    };
    const reportsOfTarget = async () =>
      (await world.reportKeys()).filter((key) => key.startsWith('incidents/') && key.includes(target.instanceId));

    // Act
    const first = await handlerThrough(proxy.endpoint)(batch);
    const eniAfterFirst = await networkInterfacesInGroup(
      clients.ec2,
      (await groupNamed(clients.ec2, layout.primaryNetwork.vpcId, ISOLATION))?.GroupId ?? 'none',
    );
    const redelivered = await handlerThrough(world.endpoint)(batch);

    // Assess
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'message-1' }] });
    expect(eniAfterFirst).not.toContain(target.networkInterfaceIds[0]);
    expect(await reportsOfTarget()).toHaveLength(2);
    expect(redelivered).toEqual({ batchItemFailures: [] });
    const isolation = await groupNamed(clients.ec2, layout.primaryNetwork.vpcId, ISOLATION);
    expect(await networkInterfacesInGroup(clients.ec2, isolation?.GroupId ?? 'none')).toContain(
      target.networkInterfaceIds[0],
    );
  });
});
