import { PAUSE_SWITCH_KEY } from '@cryptominer-defense/core';
import type { Command } from '../command';
import { parseCommandFlags } from '../flags/parseCommandFlags';
import { outputFlags, outputFormatOf } from '../output/outputFormat';
import { flipPauseSwitch, PAUSE_OUTPUTS } from './pause';

const HELP = `Usage: cli resume [--reason <text>] [--bucket <name>] [--output table|json]

Ends a "cli pause": writes the pause switch, s3://<bucket>/${PAUSE_SWITCH_KEY}, with paused false, who you
are, when and --reason. Responses act as the response policy says again once each container's cached
reading expires (PAUSE_SWITCH_CACHE_SECONDS, default 5). A finding answered while paused was only
observed: a later delivery of it (GuardDuty delivers an ongoing finding again as it updates it) runs what was
held back; "cli reports list" shows the others, and "cli respond" answers one by hand.

  --reason <text>  why, in your words
  --bucket <name>  the central report bucket (default: REPORT_BUCKET)
  --output <o>     table (the default: the switch in words) or json: the switch's content
                   ({"paused","reason","by","at"})
  --json           --output json

Credentials and exit codes: as for "cli pause" (cli pause --help).`;

const FLAGS = { reason: { type: 'string' }, bucket: { type: 'string' }, ...outputFlags(PAUSE_OUTPUTS) } as const;

/** Ends a pause: the pause switch set to paused false. */
export const resume: Command = {
  summary: 'End a pause: responses act as the response policy says again',
  help: HELP,
  flags: FLAGS,
  async run(args, io) {
    const { values } = parseCommandFlags('resume', args, FLAGS);
    return flipPauseSwitch(io, values, outputFormatOf('resume', values, PAUSE_OUTPUTS), false);
  },
};
