// `pnpm bench:burst`: a burst of GuardDuty findings across many accounts and regions through the Lambda handler
// with Lambda-like concurrency, CloudTrail limited to 2 lookups per second per account and region. Prints
// findings per second, p50/p99 time to isolation and the AWS calls it took (--json for the figures alone).
// Options: --findings 1000 --accounts 100 --regions us-east-1,eu-west-1,ap-southeast-2 --concurrency 20
//          --duplicate-every 0 (deliver every n-th finding twice) --json
import { parseArgs } from 'node:util';
import { startMotoServer } from '@cryptominer-defense/testing';
import { inBatches, seedBurstOrganization } from '../../e2e/support/burstOrganization';
import { startReliabilityWorld } from '../../e2e/support/reliabilityWorld';
import { burstDeliveries, runBurst } from '../../e2e/support/runBurst';
import { burstFigures, formatBurstFigures } from './burstFigures';

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number.parseInt(value, 10);
  if (!(number >= 0)) throw new Error(`--${name} must be a whole number (got "${value}")`);
  return number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      findings: { type: 'string' },
      accounts: { type: 'string' },
      regions: { type: 'string' },
      concurrency: { type: 'string' },
      'duplicate-every': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const shape = {
    findings: positive('findings', values.findings, 1000),
    accounts: positive('accounts', values.accounts, 100),
    regions: (values.regions ?? 'us-east-1,eu-west-1,ap-southeast-2').split(','),
  };
  const concurrency = positive('concurrency', values.concurrency, 20);
  const duplicateEvery = positive('duplicate-every', values['duplicate-every'], 0);
  const progress = (line: string) => process.stderr.write(`bench:burst: ${line}\n`);

  progress('starting the emulator');
  const moto = await startMotoServer();
  try {
    const world = await startReliabilityWorld(moto.endpoint);
    try {
      const seedStart = Date.now();
      progress(`seeding ${shape.accounts} accounts, ${shape.findings} instances in ${shape.regions.length} regions`);
      const organization = await seedBurstOrganization(moto.endpoint, world.cloudTrail, shape);
      progress(
        `seeded in ${Math.round((Date.now() - seedStart) / 1000)} s; burst on ${concurrency} function instances`,
      );
      world.cloudTrail.setThrottling({ perSecondPerAccountRegion: 2 });
      world.proxy.clearCalls();
      world.cloudTrail.clearCalls();
      const run = await runBurst(burstDeliveries(organization.targets, duplicateEvery), concurrency, () =>
        world.createHandler(),
      );
      const calls = [...world.proxy.calls];
      const throttled = world.cloudTrail.calls.filter((call) => call.outcome === 'ThrottlingException').length;
      const errors = run.invocations.filter((invocation) => invocation.error !== undefined);
      if (errors.length > 0) progress(`${errors.length} invocations failed, first: ${String(errors[0]?.error)}`);
      progress('reading the reports back');
      const reports = await inBatches(await world.reportKeys(), 20, (key) => world.readReport(key));
      const figures = burstFigures(run, reports, calls, throttled);
      process.stdout.write(
        values.json === true ? `${JSON.stringify(figures, null, 2)}\n` : `${formatBurstFigures(figures)}\n`,
      );
    } finally {
      await world.close();
    }
  } finally {
    await moto.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:burst failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
