import { readFile } from 'node:fs/promises';
import {
  ConfigurationError,
  InvalidFindingEventError,
  parseConfiguration,
  parseGuardDutyFindingEventJson,
} from '@cryptominer-defense/core';
import { createResponder, jsonLinesLogger, ReportWriteError } from '@cryptominer-defense/responder';
import { type Command, UsageError } from '../command';
import { parseCommandFlags, requireFlag } from '../flags/parseCommandFlags';
import { outputFlags, outputFormatOf, writeOutput } from '../output/outputFormat';

const HELP = `Usage: cli respond --event <file|-> [--output json]

Runs the response engine once, locally, on one EventBridge "GuardDuty Finding" event (a file, or - for
stdin): the same engine and configuration as the central Lambda.

stdout: one JSON document: the incident report, or {"ignored": "<reason>"} when the finding is not
        crypto-mining (--output json, or --json, says so; the report is a document, so there is no table
        or csv: "cli reports show" reads it). Logs (JSON lines) go to stderr.
Exit:   0 handled (report written, or ignored); 2 invalid input or configuration (one line on stderr);
        1 the report could not be written (the report is still printed on stdout).

Configuration (environment): REPORT_BUCKET (required), AWS_REGION (required, the central region),
RESPONDER_ROLE_NAME, ISOLATION_SG_NAME, PROTECTED_PRINCIPALS, REPORT_KMS_KEY_ID, ALERT_TOPIC_ARN,
CHAT_ALERT_TOPIC_ARN.
Endpoints: only the SDK's standard AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> variables.`;

const FLAGS = { event: { type: 'string' }, ...outputFlags(['json']) } as const;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function readEventText(source: string, stdin: NodeJS.ReadableStream): Promise<string> {
  try {
    return source === '-' ? await readAll(stdin) : await readFile(source, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Cannot read the event from ${source}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Runs the response engine on one GuardDuty finding event, as the central Lambda does. */
export const respond: Command = {
  summary: 'Respond to one GuardDuty finding event (file or stdin), as the central Lambda does',
  help: HELP,
  flags: FLAGS,
  async run(args, io) {
    const { values } = parseCommandFlags('respond', args, FLAGS);
    const output = outputFormatOf('respond', values, ['json']);
    const source = requireFlag('respond', 'event', values.event);
    const text = await readEventText(source, io.stdin);
    // Configuration and event are checked before any AWS client exists: bad input touches nothing and
    // prints one line.
    let event: unknown;
    try {
      parseConfiguration(io.env);
      event = parseGuardDutyFindingEventJson(text);
    } catch (error) {
      if (error instanceof ConfigurationError || error instanceof InvalidFindingEventError) {
        throw new UsageError(error.message);
      }
      throw error;
    }
    const responder = createResponder({ env: io.env, logger: jsonLinesLogger(io.stderr) });
    try {
      const handled = await responder.handle(event);
      writeOutput(io, output, {
        json: () => (handled.kind === 'ignored' ? { ignored: handled.reason } : handled.report),
      });
      return 0;
    } catch (error) {
      if (error instanceof ReportWriteError) {
        writeOutput(io, output, { json: () => error.report });
        io.stderr.write(`${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      responder.destroy();
    }
  },
};
