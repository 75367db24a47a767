import { randomBytes } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { instanceClaimKey } from '@cryptominer-defense/core';
import {
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  guardDutyFindingEvent,
  iamUserIdentity,
  instanceFindingTargetOf,
  runInstancesRecord,
} from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceState } from '../support/instanceState';
import { memberWrites } from '../support/memberWrites';
import { reported } from '../support/reported';
import { REPORT_BUCKET, type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
let s3: S3Client;
const region = 'us-east-1';

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), {
    regions: [region],
    members: [
      { name: 'workload-a', organizationalUnit: 'Workloads' },
      { name: 'workload-b', organizationalUnit: 'Sandbox' },
      { name: 'claims-linked', organizationalUnit: 'Workloads' },
    ],
  });
  s3 = new S3Client(emulatorClientConfig(world.endpoint, { credentials: EMULATOR_CREDENTIALS }));
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await world?.close();
});

/** A finding about one of the member's instances (a new finding id each time), its launch in CloudTrail. */
async function findingOn(memberName: string, pick: 'standaloneInstance' | 'multiEniInstance' | 'secondVpcInstance') {
  const member = world.organization.member(memberName);
  const instance = member.inRegion(region)[pick];
  const clients = await world.clientsOf(member.accountId, region);
  world.cloudTrail.addRecords(
    runInstancesRecord({
      identity: iamUserIdentity({ accountId: member.accountId, userName: member.identities.developer.userName }),
      region,
      instanceIds: [instance.instanceId],
    }),
  );
  const target = await instanceFindingTargetOf(clients.ec2, instance.instanceId);
  const event = () =>
    guardDutyFindingEvent({
      accountId: member.accountId,
      region,
      ...target,
      findingId: randomBytes(16).toString('hex'),
    });
  const claimKey = instanceClaimKey({ accountId: member.accountId, region, instanceId: instance.instanceId }) ?? '';
  return { member, instance, clients, event, claimKey };
}

/** A claim as another response holds it: written as the engine writes its own. */
async function holdClaim(key: string, findingId: string, claimedAt: Date, instanceId: string, accountId: string) {
  await s3.send(
    new PutObjectCommand({
      Bucket: REPORT_BUCKET,
      Key: key,
      Body: JSON.stringify({ findingId, claimedAt: claimedAt.toISOString(), accountId, region, instanceId }),
      IfNoneMatch: '*',
    }),
  );
}

async function claimHolder(key: string): Promise<unknown> {
  const object = await s3.send(new GetObjectCommand({ Bucket: REPORT_BUCKET, Key: key }));
  return JSON.parse((await object.Body?.transformToString()) ?? 'null');
}

describe('one claim per instance (decision 0023)', () => {
  it('answers an instance once when two findings about it arrive at the same moment: the other report says by whom', async () => {
    // Prepare
    const { member, instance, clients, event, claimKey } = await findingOn('workload-a', 'standaloneInstance');
    const [first, second] = [event(), event()];
    world.recorder.clear();

    // Act
    const answers = await Promise.all([world.createResponder().handle(first), world.createResponder().handle(second)]);

    // Assess
    const [one, other] = answers.map(reported);
    if (one === undefined || other === undefined) throw new Error('both findings must be reported');
    expect(one.key).not.toBe(other.key);
    const reports = await Promise.all([world.readReport(one.key), world.readReport(other.key)]);
    const winner = reports.find((report) => report.disposition === 'responded');
    const loser = reports.find((report) => report.disposition === 'answered-elsewhere');
    expect(winner?.response).toMatchObject({ networkIsolated: true, instanceStopped: true });
    expect(loser).toMatchObject({
      instanceId: instance.instanceId,
      response: { networkIsolated: false, instanceStopped: false, manualInterventionRequired: false },
      manualInterventionReasons: [],
    });
    expect(loser?.dispositionReason).toContain(`finding ${winner?.findingId}`);
    expect(loser?.steps.find((record) => record.step === 'claimInstance')).toMatchObject({
      status: 'already-done',
      target: claimKey,
    });
    expect(await claimHolder(claimKey)).toMatchObject({
      findingId: winner?.findingId,
      instanceId: instance.instanceId,
    });
    expect(memberWrites(world, member.accountId).filter((action) => action === 'ec2:StopInstances')).toHaveLength(1);
    expect(await instanceState(clients.ec2, instance.instanceId)).toBe('stopped');
  });

  it("lets the holder's own delivery through, so a response that died after its claim is finished by its retry", async () => {
    // Prepare: the claim of a delivery that died before it acted (no state of that finding).
    const { member, instance, clients, event, claimKey } = await findingOn('workload-a', 'multiEniInstance');
    const delivery = event();
    await holdClaim(claimKey, String(delivery.detail.id), new Date(), instance.instanceId, member.accountId);

    // Act
    const handled = reported(await world.createResponder().handle(delivery));

    // Assess
    expect(handled.report).toMatchObject({
      disposition: 'responded',
      response: { networkIsolated: true, instanceStopped: true },
    });
    expect(handled.report.steps.find((record) => record.step === 'claimInstance')).toMatchObject({
      status: 'already-done',
      reason: expect.stringContaining('held by this finding'),
    });
    expect(await instanceState(clients.ec2, instance.instanceId)).toBe('stopped');
  });

  it('answers an instance whose holder left no report a lease after its claim, and says so for a person', async () => {
    // Prepare: another finding claimed it 20 minutes ago (the lease is 15) and wrote nothing since.
    const { member, instance, clients, event, claimKey } = await findingOn('workload-b', 'standaloneInstance');
    const dead = randomBytes(16).toString('hex');
    await holdClaim(claimKey, dead, new Date(Date.now() - 20 * 60_000), instance.instanceId, member.accountId);

    // Act
    const handled = reported(await world.createResponder().handle(event()));

    // Assess
    expect(handled.report.response).toMatchObject({ networkIsolated: true, instanceStopped: true });
    expect(handled.report.manualInterventionReasons).toContainEqual(
      expect.stringContaining(`claimed by finding ${dead}`),
    );
    expect(await instanceState(clients.ec2, instance.instanceId)).toBe('stopped');
  });

  it('changes nothing for an instance a live response holds, and a repeat of that finding is still answered elsewhere', async () => {
    // Prepare: a response of another finding is acting on it right now.
    const { member, instance, clients, event, claimKey } = await findingOn('workload-b', 'secondVpcInstance');
    const holder = randomBytes(16).toString('hex');
    await holdClaim(claimKey, holder, new Date(), instance.instanceId, member.accountId);
    const delivery = event();
    world.recorder.clear();

    // Act
    const first = reported(await world.createResponder().handle(delivery));
    const again = reported(await world.createResponder().handle({ ...delivery, id: randomBytes(16).toString('hex') }));

    // Assess
    for (const handled of [first, again]) {
      expect(handled.report).toMatchObject({ disposition: 'answered-elsewhere', instanceId: instance.instanceId });
      expect(handled.report.dispositionReason).toContain(holder);
    }
    expect(again.key).not.toBe(first.key);
    expect(again.report.deliveries.map((received) => received.outcome)).toEqual(['acted', 'repeated']);
    expect(memberWrites(world, member.accountId)).toEqual([]);
    expect(await instanceState(clients.ec2, instance.instanceId)).toBe('running');
  });

  it('answers an instance whose holder only observed it (the policy, the cap, the pause switch): a claim never keeps it running', async () => {
    // Prepare: the first finding's response observes (nothing changed) and holds the claim.
    const { clients, event } = await findingOn('workload-a', 'secondVpcInstance');
    const observed = reported(
      await world.createResponder({ RESPONSE_POLICY: JSON.stringify({ default: 'observe' }) }).handle(event()),
    );

    // Act
    const handled = reported(await world.createResponder().handle(event()));

    // Assess
    expect(observed.report).toMatchObject({ disposition: 'responded', responseMode: { mode: 'observe' } });
    expect(handled.report).toMatchObject({
      disposition: 'responded',
      response: { networkIsolated: true, instanceStopped: true },
    });
    expect(handled.report.manualInterventionReasons).toContainEqual(
      expect.stringContaining(`claimed by finding ${observed.report.findingId}`),
    );
    expect(await instanceState(clients.ec2, handled.report.instanceId ?? '')).toBe('stopped');
  });

  it("makes no linked incident of an instance whose own finding only observed: the follow lists it as that finding's", async () => {
    // Prepare: one developer launched both; the standalone instance's own finding observes and holds its claim.
    const observedOne = await findingOn('claims-linked', 'standaloneInstance');
    const containedOne = await findingOn('claims-linked', 'multiEniInstance');
    const observed = reported(
      await world
        .createResponder({ RESPONSE_POLICY: JSON.stringify({ default: 'observe' }) })
        .handle(observedOne.event()),
    );

    // Act: the other instance's finding is contained and follows the developer to the observed instance.
    const handled = reported(await world.createResponder().handle(containedOne.event()));

    // Assess: what held the first back (here the policy; in a burst, the cap) holds a linked incident back too.
    expect(handled.report.response).toMatchObject({ networkIsolated: true, instanceStopped: true });
    expect(handled.report.linkedInstances).toContainEqual(
      expect.objectContaining({
        instanceId: observedOne.instance.instanceId,
        action: 'answered by its own incident',
        answeredBy: observed.report.findingId,
      }),
    );
    expect(handled.derived ?? []).toEqual([]);
    expect(await instanceState(observedOne.clients.ec2, observedOne.instance.instanceId)).toBe('running');
    expect(await instanceState(containedOne.clients.ec2, containedOne.instance.instanceId)).toBe('stopped');
  });
});
