import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
} from '@aws-sdk/client-ec2';
import { guardDutyFindingEvent, launchInstance as launchSeededInstance } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** A new instance of workload-b (the seeder's launch), with stop protection (DisableApiStop) turned on or left off. */
async function launchInstance(options: { readonly stopProtection: boolean }) {
  const member = world.organization.member('workload-b');
  const clients = await world.clientsOf(member.accountId, region);
  const network = member.inRegion(region).primaryNetwork;
  const { instanceId } = await launchSeededInstance(clients.ec2, {
    subnetId: network.subnetIds[0] ?? '',
    securityGroupIds: [network.securityGroupId],
    name: 'stop-protected',
  });
  if (options.stopProtection) {
    await clients.ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: instanceId, DisableApiStop: { Value: true } }),
    );
  }
  const state = async () => ({
    state: (await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]
      ?.Instances?.[0]?.State?.Name,
    stopProtection: (
      await clients.ec2.send(
        new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiStop' }),
      )
    ).DisableApiStop?.Value,
  });
  return { event: guardDutyFindingEvent({ accountId: member.accountId, region, instanceId }), instanceId, state };
}

describe('an instance with stop protection', () => {
  it('has it lifted once the evidence is kept, and is stopped; the report keeps what it was for release', async () => {
    // Prepare
    const { event, instanceId, state } = await launchInstance({ stopProtection: true });

    // Act
    const report = await world.readReport(reported(await world.createResponder().handle(event)).key);

    // Assess: lifted, stopped, after the evidence and before the stop.
    expect(await state()).toEqual({ state: 'stopped', stopProtection: false });
    expect(report.undo.stopProtection).toEqual({
      instanceId,
      previousDisableApiStop: true,
      stopProtectionLifted: true,
    });
    const lifted = report.steps.find((record) => record.step === 'liftStopProtection');
    expect(lifted).toMatchObject({ action: 'disableStopProtection', status: 'succeeded' });
    const evidenceEnded = Math.max(
      ...report.steps
        .filter((record) => record.step === 'preserveEvidence')
        .map((record) => Date.parse(record.endedAt)),
    );
    const stop = report.steps.find((record) => record.step === 'stopInstance');
    expect(Date.parse(lifted?.startedAt ?? '')).toBeGreaterThanOrEqual(evidenceEnded);
    expect(Date.parse(stop?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(lifted?.endedAt ?? ''));
    expect(report.response.instanceStopped).toBe(true);
  });

  it('is left on in contain mode (nothing is stopped), and the report says what full mode would do', async () => {
    // Prepare
    const { event, instanceId, state } = await launchInstance({ stopProtection: true });

    // Act
    const responder = world.createResponder({ RESPONSE_POLICY: JSON.stringify({ default: 'contain', rules: [] }) });
    const report = await world.readReport(reported(await responder.handle(event)).key);

    // Assess
    expect(await state()).toEqual({ state: 'running', stopProtection: true });
    expect(report.steps.find((record) => record.step === 'liftStopProtection')).toMatchObject({
      status: 'skipped',
      wouldDo: `turn stop protection of ${instanceId} off if it is on, so that it can be stopped`,
    });
    expect(report.undo.stopProtection).toBeNull();
  });

  it('is not touched when it is off (already done), and the instance is stopped', async () => {
    // Prepare
    const { event, instanceId, state } = await launchInstance({ stopProtection: false });

    // Act
    const report = await world.readReport(reported(await world.createResponder().handle(event)).key);

    // Assess
    expect(await state()).toEqual({ state: 'stopped', stopProtection: false });
    expect(report.steps.find((record) => record.step === 'liftStopProtection')).toMatchObject({
      status: 'already-done',
    });
    expect(report.undo.stopProtection).toEqual({
      instanceId,
      previousDisableApiStop: false,
      stopProtectionLifted: false,
    });
  });
});
