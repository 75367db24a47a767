import type { EC2Client } from '@aws-sdk/client-ec2';
import { launchInstance } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectInstance } from '../../src/steps/inspectInstance';
import { createInstanceReads } from '../../src/steps/instanceReads';
import { launchInstances, midHourClock } from '../support/capScenario';
import { reported } from '../support/reported';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const region = 'us-east-1';

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** The DescribeInstances calls a client sent, by the ids each named. */
function countDescribeInstances(ec2: EC2Client): (readonly string[])[] {
  const sent: (readonly string[])[] = [];
  ec2.middlewareStack.add(
    (next, context) => async (args) => {
      const input = (args as { input?: { InstanceIds?: string[] } }).input;
      if (context.commandName === 'DescribeInstancesCommand') sent.push(input?.InstanceIds ?? []);
      return next(args);
    },
    { step: 'initialize', name: 'countDescribeInstances' },
  );
  return sent;
}

describe("the instance reads of a container's concurrent responses", () => {
  it('reads the instances asked in one turn with one DescribeInstances, each reader getting its own', async () => {
    // Prepare
    const member = world.organization.member('workload-a');
    const { ec2 } = await world.clientsOf(member.accountId, region);
    const network = member.inRegion(region).primaryNetwork;
    const instances = await Promise.all(
      [0, 1, 2].map((index) =>
        launchInstance(ec2, {
          subnetId: network.subnetIds[0] ?? '',
          securityGroupIds: [network.securityGroupId],
          name: `read-${index}`,
        }),
      ),
    );
    const sent = countDescribeInstances(ec2);
    const reads = createInstanceReads();

    // Act
    const inspected = await Promise.all(instances.map((instance) => inspectInstance(ec2, instance.instanceId, reads)));

    // Assess
    expect(sent).toEqual([instances.map((instance) => instance.instanceId)]);
    expect(inspected.map((answer) => answer.instance?.instanceId)).toEqual(instances.map((one) => one.instanceId));
    expect(inspected.map((answer) => answer.record.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('reads each alone when EC2 refuses the batch for an id it does not know: only that reader fails', async () => {
    // Prepare
    const member = world.organization.member('workload-b');
    const { ec2 } = await world.clientsOf(member.accountId, region);
    const network = member.inRegion(region).primaryNetwork;
    const known = await launchInstance(ec2, {
      subnetId: network.subnetIds[0] ?? '',
      securityGroupIds: [network.securityGroupId],
      name: 'read-known',
    });
    const unknown = 'i-0000000000000dead';
    const sent = countDescribeInstances(ec2);
    const reads = createInstanceReads();

    // Act
    const [ofKnown, ofUnknown] = await Promise.all([
      inspectInstance(ec2, known.instanceId, reads),
      inspectInstance(ec2, unknown, reads),
    ]);

    // Assess
    expect(sent).toEqual([[known.instanceId, unknown], [known.instanceId], [unknown]]);
    expect(ofKnown.instance?.instanceId).toBe(known.instanceId);
    expect(ofUnknown.instance).toBeNull();
    expect(ofUnknown.record).toMatchObject({ status: 'failed', errorCode: 'InvalidInstanceID.NotFound' });
  });

  it('a burst of findings in one container reads its instances in one call on the way to isolation', async () => {
    // Prepare
    const { events, instances } = await launchInstances(world, 'workload-a', 4, region);
    const responder = world.createResponder({ MAX_FOLLOWED_INSTANCES: '0' }, { now: midHourClock });
    world.recorder.clear();

    // Act
    const reports = await Promise.all(events.map((event) => responder.handle(event).then(reported)));

    // Assess
    const instanceReads = world.recorder.calls.filter(
      (call) => call.action === 'ec2:DescribeInstances' && Array.isArray(call.input.InstanceIds),
    );
    expect(instanceReads.map((call) => [...(call.input.InstanceIds as string[])].sort())).toEqual([
      instances.map((instance) => instance.instanceId).sort(),
    ]);
    expect(reports.map((answer) => answer.report.response.networkIsolated)).toEqual([true, true, true, true]);
  });
});
