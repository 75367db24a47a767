import { resolve } from 'node:path';
import type { Command } from '../command';
import { parseCommandFlags } from '../flags/parseCommandFlags';
import { outputFlags, outputFormatOf } from '../output/outputFormat';

const HELP = `Usage: cli demo [--output-dir <dir>] [--output table|json]

Plays an organization-wide crypto-mining incident end to end on a local AWS emulator (moto, on 127.0.0.1;
nothing reaches AWS): an organization with a delegated-admin account and three member accounts in two OUs,
two regions; miners on a standalone instance with three network interfaces, on an instance its Auto Scaling
group launched (the group set up by an IAM user), on one launched by a role and on one launched by the root
user; plus a port-probe finding that must be left alone.

The findings take the real path: GuardDuty's events go on the central account's bus, the EventBridge rule with
core's crypto-mining pattern sends what it matches to an SQS queue, and the central Lambda's own handler gets
the SQS batches. Progress (a line per incident and step; a spinner while waiting, on a terminal) goes to
stderr. Then the demo checks the emulator's state (isolation, Auto Scaling, stop, freeze, the non-crypto
finding untouched) and prints a summary table and where the reports are.

  --output-dir <dir>  where the local copy of the reports goes (default: .demo-output in the repository)
  --output <o>        the summary: table (the default; fits 120 columns, long cells wrapped) or json (every
                      value in full, with each containment check)
  --json              --output json

Exit: 0 every expected containment happened; 1 one did not (see the table); 2 invalid usage.
Needs the project's .venv (moto): run \`npx -y pnpm@12.4.2 bootstrap\` (\`pnpm demo\` does it).`;

/** The summary is rows, but the demo's point is a person reading them: table or json. */
const OUTPUTS = ['table', 'json'] as const;

const FLAGS = { 'output-dir': { type: 'string' }, ...outputFlags(OUTPUTS) } as const;

/** The organization-wide incident, end to end, on the embedded emulator. */
export const demo: Command = {
  summary: 'Play an organization-wide incident end to end on the local emulator, and check the containment',
  help: HELP,
  flags: FLAGS,
  async run(args, io) {
    const { values } = parseCommandFlags('demo', args, FLAGS);
    const output = outputFormatOf('demo', values, OUTPUTS);
    // The SDK warns that Node 20 support ends in 2027; the deployed function runs on Node 24, so for the demo's
    // reader that warning is noise.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    // The emulator harness (@cryptominer-defense/testing) is loaded here only: respond, reports and release
    // start without the test package (tests/startup.test.ts).
    const [{ findRepoRoot }, { runDemo }] = await Promise.all([
      import('@cryptominer-defense/testing'),
      import('../demo/runDemo'),
    ]);
    const outputDirectory = resolve(values['output-dir'] ?? resolve(findRepoRoot(), '.demo-output'));
    return runDemo(io, { outputDirectory, output });
  },
};
