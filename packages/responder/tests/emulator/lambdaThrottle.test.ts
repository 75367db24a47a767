import { GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { guardDutyLambdaFindingEvent, seedLambdaFunction } from '@cryptominer-defense/testing';
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

/** A new function of workload-b (created only, never invoked), its finding and a reader of its concurrency. */
async function mining(functionName: string, reservedConcurrency?: number) {
  const member = world.organization.member('workload-b');
  const clients = await world.clientsOf(member.accountId, region);
  const seeded = await seedLambdaFunction(clients, {
    functionName,
    ...(reservedConcurrency === undefined ? {} : { reservedConcurrency }),
  });
  const concurrency = async () =>
    (await clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName })))
      .ReservedConcurrentExecutions ?? null;
  const event = guardDutyLambdaFindingEvent({ accountId: member.accountId, region, functionName });
  return { event, seeded, concurrency, accountId: member.accountId };
}

describe('a crypto-mining finding in a Lambda function', () => {
  it('throttles the function to reserved concurrency 0 in full mode, the earlier setting recorded', async () => {
    // Prepare
    const { event, seeded, concurrency } = await mining('miner-full', 7);

    // Act
    const report = await world.readReport(reported(await world.createResponder().handle(event)).key);

    // Assess
    expect(await concurrency()).toBe(0);
    expect(report).toMatchObject({ disposition: 'responded', resourceType: 'Lambda', instanceId: null });
    expect(report.undo.lambdaFunction).toEqual({
      functionName: 'miner-full',
      functionArn: seeded.functionArn,
      previousReservedConcurrency: 7,
      throttled: true,
    });
    expect(report.steps.filter((step) => step.step === 'throttleLambdaFunction')).toMatchObject([
      { action: 'readConcurrency', status: 'succeeded', target: seeded.functionArn },
      { action: 'setConcurrencyToZero', status: 'succeeded', target: seeded.functionArn },
    ]);
  });

  it('records no earlier setting for a function without reserved concurrency, and throttles it', async () => {
    // Prepare
    const { event, concurrency } = await mining('miner-unreserved');

    // Act
    const report = await world.readReport(reported(await world.createResponder().handle(event)).key);

    // Assess
    expect(await concurrency()).toBe(0);
    expect(report.undo.lambdaFunction).toMatchObject({ previousReservedConcurrency: null, throttled: true });
  });

  it('changes nothing in observe mode and says what it would do', async () => {
    // Prepare
    const { event, seeded, concurrency } = await mining('miner-observed', 3);
    const responder = world.createResponder({ RESPONSE_POLICY: JSON.stringify({ default: 'observe', rules: [] }) });

    // Act
    const report = await world.readReport(reported(await responder.handle(event)).key);

    // Assess
    expect(await concurrency()).toBe(3);
    expect(report.responseMode.mode).toBe('observe');
    expect(report.undo.lambdaFunction).toBeNull();
    expect(report.steps.filter((step) => step.step === 'throttleLambdaFunction')).toMatchObject([
      { status: 'skipped', wouldDo: expect.stringContaining(`${seeded.functionArn} to 0`) },
    ]);
  });

  it('throttles the function in contain mode too (there is nothing to stop or freeze)', async () => {
    // Prepare
    const { event, concurrency } = await mining('miner-contained', 2);
    const responder = world.createResponder({ RESPONSE_POLICY: JSON.stringify({ default: 'contain', rules: [] }) });

    // Act
    const report = await world.readReport(reported(await responder.handle(event)).key);

    // Assess
    expect(await concurrency()).toBe(0);
    expect(report.responseMode.mode).toBe('contain');
    expect(report.undo.lambdaFunction).toMatchObject({ previousReservedConcurrency: 2, throttled: true });
    expect(report.manualInterventionReasons.join(' ')).not.toContain('Contain mode');
  });

  it('finds a function at 0 already done, and a repeated delivery keeps the first undo data', async () => {
    // Prepare: a first delivery throttles the function.
    const { event, concurrency } = await mining('miner-repeated', 4);
    const responder = world.createResponder();
    await responder.handle(event);

    // Act: GuardDuty sends the finding again; and another finding on a function at 0 already.
    const again = reported(await responder.handle({ ...event, id: `${event.id}-again` }));
    const atZero = await mining('miner-at-zero', 0);
    const zeroReport = await world.readReport(reported(await responder.handle(atZero.event)).key);

    // Assess
    const report = await world.readReport(again.key);
    expect(await concurrency()).toBe(0);
    // Not the 0 the second delivery would read: the setting from before the incident.
    expect(report.undo.lambdaFunction).toMatchObject({ previousReservedConcurrency: 4, throttled: true });
    expect(report.steps).toContainEqual(
      expect.objectContaining({ action: 'setConcurrencyToZero', status: 'succeeded' }),
    );
    expect(zeroReport.undo.lambdaFunction).toMatchObject({ previousReservedConcurrency: 0, throttled: false });
    expect(zeroReport.steps).toContainEqual(
      expect.objectContaining({ action: 'setConcurrencyToZero', status: 'already-done' }),
    );
  });

  it('records the AWS error code of a failed call and still writes the report', async () => {
    // Prepare: a finding naming a function that does not exist.
    const member = world.organization.member('workload-b');
    const event = guardDutyLambdaFindingEvent({
      accountId: member.accountId,
      region,
      functionName: 'no-such-function',
    });

    // Act
    const report = await world.readReport(reported(await world.createResponder().handle(event)).key);

    // Assess
    expect(report.steps).toContainEqual(
      expect.objectContaining({
        step: 'throttleLambdaFunction',
        action: 'readConcurrency',
        status: 'failed',
        errorCode: 'ResourceNotFoundException',
      }),
    );
    expect(report.undo.lambdaFunction).toBeNull();
    expect(report.response.manualInterventionRequired).toBe(true);
  });
});
