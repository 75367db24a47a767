import { GetFunctionConcurrencyCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { guardDutyLambdaFindingEvent, seedLambdaFunction } from '@cryptominer-defense/testing';
import { emulatorEndpoint } from '@cryptominer-defense/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/applyRelease';
import { planRelease } from '../src/planRelease';
import { type ReleaseWorld, startReleaseWorld } from './support/releaseWorld';

let world: ReleaseWorld;
const region = 'us-east-1';

beforeAll(async () => {
  world = await startReleaseWorld(emulatorEndpoint(), { regions: [region] });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** A function of workload-b, throttled by the responder; its concurrency as moto holds it. */
async function throttled(functionName: string, reservedConcurrency?: number) {
  const member = world.organization.member('workload-b');
  const clients = await world.releaseClients(member.accountId, region);
  const seeded = await seedLambdaFunction(
    { iam: clients.iam, lambda: clients.lambda },
    { functionName, ...(reservedConcurrency === undefined ? {} : { reservedConcurrency }) },
  );
  const concurrency = async () =>
    (await clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName })))
      .ReservedConcurrentExecutions ?? null;
  const { report } = await world.respondToEvent(
    guardDutyLambdaFindingEvent({ accountId: member.accountId, region, functionName }),
  );
  return { clients, seeded, concurrency, report };
}

describe('release of a throttled Lambda function', () => {
  it('gives the function back its reserved concurrency from before the incident', async () => {
    // Prepare
    const { clients, seeded, concurrency, report } = await throttled('release-reserved', 6);
    expect(await concurrency()).toBe(0);

    // Act
    const plan = await planRelease(clients, report);
    const records = await applyRelease(clients, plan);

    // Assess
    expect(await concurrency()).toBe(6);
    expect(records).toEqual([
      expect.objectContaining({
        action: 'restoreFunctionConcurrency',
        target: seeded.functionArn,
        status: 'succeeded',
      }),
    ]);
    // A second release finds it done.
    const again = await planRelease(clients, report);
    expect(again.steps).toEqual([expect.objectContaining({ decision: 'already-done' })]);
  });

  it('deletes the setting of a function that had none', async () => {
    // Prepare
    const { clients, concurrency, report } = await throttled('release-unreserved');

    // Act
    await applyRelease(clients, await planRelease(clients, report));

    // Assess
    expect(await concurrency()).toBeNull();
  });

  it('leaves alone a setting a person changed since the throttle', async () => {
    // Prepare
    const { clients, concurrency, report } = await throttled('release-changed', 2);
    await clients.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'release-changed', ReservedConcurrentExecutions: 1 }),
    );

    // Act
    const plan = await planRelease(clients, report);
    await applyRelease(clients, plan);

    // Assess
    expect(plan.steps).toEqual([expect.objectContaining({ decision: 'skip' })]);
    expect(await concurrency()).toBe(1);
  });
});
