import { PAUSE_SWITCH_KEY, type PauseSwitch } from '@cryptominer-defense/core';
import { reportBucketOf } from '../aws/operatorSettings';
import { pauseSwitchStatus, writePauseSwitch } from '../aws/pauseSwitchObject';
import type { Command, CommandIO } from '../command';
import { parseCommandFlags } from '../flags/parseCommandFlags';
import { outputFlags, outputFormatOf, writeOutput } from '../output/outputFormat';
import { wrapLines } from '../output/wrapLines';

type PauseOutput = (typeof PAUSE_OUTPUTS)[number];

const HELP = `Usage: cli pause [--reason <text>] [--bucket <name>] [--output table|json]
       cli pause --status [--bucket <name>] [--output table|json]

Puts every response in observe mode at once: the responder still reports each finding, with what it would
have done, and changes nothing in any member account until "cli resume". It writes the pause switch,
s3://<bucket>/${PAUSE_SWITCH_KEY}, with who you are (STS GetCallerIdentity), when and --reason; each
container of the function reads it before acting and trusts what it read for PAUSE_SWITCH_CACHE_SECONDS
(default 5), so a pause reaches every response within seconds. A switch the responder cannot read (refused,
malformed) makes it observe too.

  --reason <text>  why, in your words (shown in every report while paused)
  --status         prints the switch and changes nothing
  --bucket <name>  the central report bucket (default: REPORT_BUCKET)
  --output <o>     table (the default: the switch in words) or json: the switch's content
                   ({"paused","reason","by","at"}), or null
  --json           --output json

Credentials: your own; only the release operator role (ReleaseOperatorRoleName) may write the switch, with
kms:GenerateDataKey on the incident key. Environment: AWS_REGION (the central region), REPORT_BUCKET.
Exit: 0 done; 1 --status found a malformed switch (the responder observes until it is rewritten); 2 invalid
usage, no such bucket, or access refused (the message names the permission).`;

/** One switch is not rows: no csv. */
export const PAUSE_OUTPUTS = ['table', 'json'] as const;

const FLAGS = {
  reason: { type: 'string' },
  status: { type: 'boolean', default: false },
  bucket: { type: 'string' },
  ...outputFlags(PAUSE_OUTPUTS),
} as const;

/** The switch in words, for a person (wrapped to the terminal's 120 columns: a long reason or ARN). */
export function describePauseSwitch(bucket: string, pauseSwitch: PauseSwitch | null): string {
  const location = `s3://${bucket}/${PAUSE_SWITCH_KEY}`;
  if (pauseSwitch === null)
    return wrapLines(`Not paused: ${location} has never been written. The responder acts as its policy says.`);
  const why = pauseSwitch.reason === '' ? '' : ` (${pauseSwitch.reason})`;
  return wrapLines(
    pauseSwitch.paused
      ? `PAUSED by ${pauseSwitch.by} at ${pauseSwitch.at}${why}: every response only observes.`
      : `Not paused: resumed by ${pauseSwitch.by} at ${pauseSwitch.at}${why}. The responder acts as its policy says.`,
  );
}

/** Writes the switch (pause or resume) and says what it now is. */
export async function flipPauseSwitch(
  io: CommandIO,
  values: { readonly bucket?: string | undefined; readonly reason?: string | undefined },
  output: PauseOutput,
  paused: boolean,
): Promise<number> {
  const bucket = reportBucketOf(values.bucket, io.env);
  const written = await writePauseSwitch(bucket, io.env, { paused, reason: values.reason ?? '', at: new Date() });
  writeOutput(io, output, { json: () => written, table: () => describePauseSwitch(bucket, written) });
  return 0;
}

async function printStatus(io: CommandIO, bucket: string, output: PauseOutput): Promise<number> {
  const status = await pauseSwitchStatus(bucket, io.env);
  if (!status.readable) {
    writeOutput(io, output, {
      json: () => ({ malformed: status.problem }),
      table: () => wrapLines(`Malformed: ${status.problem}. Until it is rewritten every response only observes.`),
    });
    return 1;
  }
  const { pauseSwitch } = status.reading;
  writeOutput(io, output, { json: () => pauseSwitch, table: () => describePauseSwitch(bucket, pauseSwitch) });
  return 0;
}

/** Puts every response in observe mode (the pause switch), or prints the switch with --status. */
export const pause: Command = {
  summary: 'Put every response in observe mode at once (the pause switch); --status prints it',
  help: HELP,
  flags: FLAGS,
  async run(args, io) {
    const { values } = parseCommandFlags('pause', args, FLAGS);
    const output = outputFormatOf('pause', values, PAUSE_OUTPUTS);
    if (values.status) {
      return printStatus(io, reportBucketOf(values.bucket, io.env), output);
    }
    return flipPauseSwitch(io, values, output, true);
  },
};
