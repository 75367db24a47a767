import { randomBytes } from 'node:crypto';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { emulatorClientConfig, guardDutyFindingEvent } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorFaults } from '../support/emulatorFaults';
import { type ResponderWorld, startResponderWorld } from '../support/responderWorld';

let world: ResponderWorld;
const region = 'us-east-1';

beforeAll(async () => {
  world = await startResponderWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** The session an access key belongs to, as STS tells it (the emulator does not check the signature). */
async function sessionOf(accessKeyId: string): Promise<string> {
  const sts = new STSClient(
    emulatorClientConfig(world.endpoint, { credentials: { accessKeyId, secretAccessKey: 'not-checked' } }),
  );
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '';
  } finally {
    sts.destroy();
  }
}

describe('two findings of one account answered at the same moment', () => {
  const faults = emulatorFaults(() => world.endpoint);

  afterAll(() => faults.stop());

  it('make every change under the session of their own finding, and read under the account session', async () => {
    // Prepare: the calls go through the proxy, which sees the access key of each.
    const member = world.organization.member('workload-a');
    const layout = member.inRegion(region);
    const proxy = await faults.start([]);
    const findingIds = [randomBytes(16).toString('hex'), randomBytes(16).toString('hex')];
    const instances = [layout.standaloneInstance.instanceId, layout.secondVpcInstance.instanceId];
    const responder = world.createResponder({ AWS_ENDPOINT_URL: proxy.endpoint });

    // Act
    await Promise.all(
      instances.map((instanceId, index) =>
        responder.handle(
          guardDutyFindingEvent({ accountId: member.accountId, region, instanceId, findingId: findingIds[index] }),
        ),
      ),
    );

    // Assess
    const memberCalls = proxy.calls.filter(
      (call) => ['ec2', 'autoscaling', 'iam'].includes(call.service) && call.region === region,
    );
    const keysOf = (readOnly: boolean) =>
      [...new Set(memberCalls.filter((call) => call.readOnly === readOnly).map((call) => call.accessKeyId))].sort();
    const sessionsOf = async (readOnly: boolean) =>
      (await Promise.all(keysOf(readOnly).map(sessionOf))).map((arn) => arn.split('/').at(-1)).sort();
    expect(memberCalls.some((call) => !call.readOnly)).toBe(true);
    expect(await sessionsOf(false)).toEqual(findingIds.map((id) => `cmd-${id}`).sort());
    expect(await sessionsOf(true)).toEqual(['CryptominerResponder']);
    const assumed = world.recorder.calls
      .filter((call) => call.action === 'sts:AssumeRole')
      .map((call) => (call.input as { SourceIdentity?: string }).SourceIdentity);
    expect(assumed.filter((identity) => identity !== undefined).sort()).toEqual(
      findingIds.map((id) => `cmd-${id}`).sort(),
    );
  });
});
