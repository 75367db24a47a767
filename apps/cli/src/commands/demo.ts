import { runEmulatorSmokeScenario, startMotoServer } from '@cryptominer-defense/testing';
import { type Command, UsageError } from '../command';

const HELP = `Usage: cli demo

Runs the emulator smoke scenario (until the full demo lands): starts the local AWS emulator (moto) on
127.0.0.1, seeds a small AWS organization in it, and checks the facts the responder relies on:
  - the central account reaches each member account only through that account's role;
  - a new security group allows all outbound traffic until its default egress rule is revoked;
  - CloudTrail lookups (served by the project's LookupEvents fake) answer per account.
Prints what it showed on stdout; progress goes to stderr. Exit code 0 when every check held, 1 otherwise.
The emulator is always stopped at the end. Needs the project's .venv: run \`npx -y pnpm@12.4.2 bootstrap\`.`;

/** Interim demo: the emulator smoke scenario, said in plain words. */
export const demo: Command = {
  summary: 'Run the emulator smoke scenario and say what it showed',
  help: HELP,
  async run(args, io) {
    if (args.length > 0)
      throw new UsageError(`demo takes no arguments (got ${args.join(' ')}). Run "cli demo --help".`);
    // The SDK warns that Node 20 support ends in 2027; the deployed function runs on Node 24, so for the demo's
    // reader that warning is noise.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    io.stderr.write('Starting the local AWS emulator (moto) on 127.0.0.1…\n');
    const server = await startMotoServer();
    try {
      io.stderr.write(`Emulator ready at ${server.endpoint}.\n`);
      const checks = await runEmulatorSmokeScenario(server.endpoint, (line) => io.stderr.write(`${line}\n`));
      const failed = checks.filter((check) => !check.passed);
      io.stdout.write('What the emulator smoke scenario showed:\n\n');
      for (const check of checks) {
        io.stdout.write(`${check.passed ? 'PASS' : 'FAIL'}  ${check.title}\n      ${check.detail}\n\n`);
      }
      io.stdout.write(
        failed.length === 0 && checks.length > 0
          ? `All ${checks.length} checks held: the local AWS emulator behaves like AWS where the responder depends on it.\n`
          : `${failed.length} of ${checks.length} checks failed: see above.\n`,
      );
      return failed.length === 0 && checks.length > 0 ? 0 : 1;
    } finally {
      await server.stop();
      io.stderr.write('Emulator stopped.\n');
    }
  },
};
