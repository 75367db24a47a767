#!/usr/bin/env node
import { applyProfileSettings, credentialProblem } from './aws/profileSettings';
import { type CommandIO, UsageError } from './command';
import { commands } from './commands/index';
import { cliVersion, GlobalOptionError, type GlobalOptions, parseGlobalOptions } from './globalOptions';

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length), 4);
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return [
    'cryptominer-defense: respond to GuardDuty crypto-mining findings across an AWS organization',
    '',
    'Usage: cli <command> [options]      (cli <command> --help for a command)',
    '',
    'Global options:',
    '  --version           print the version and exit',
    '  --no-color          accepted; the CLI writes no color (NO_COLOR likewise)',
    '  --profile <name>    the profile of your AWS config files (AWS_PROFILE); its region unless one is given',
    '  --region <region>   before the command name: the central region (AWS_REGION)',
    '',
    'Commands:',
    ...lines,
  ].join('\n');
}

export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  let global: GlobalOptions;
  try {
    global = parseGlobalOptions(argv);
  } catch (error) {
    if (!(error instanceof GlobalOptionError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (global.version) {
    io.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  const [name, ...rest] = global.rest;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.stderr.write(`Unknown command "${name}". Run "cli --help" for the list of commands.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    await applyProfileSettings(global, io);
    return await command.run(rest, io);
  } catch (error) {
    // First: a command may have wrapped the SDK's credential error in its own (a UsageError with it as cause).
    const problem = credentialProblem(error, io.env);
    if (problem !== null) {
      io.stderr.write(`${problem}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** Runs the CLI on this process's arguments and streams, setting its exit code: what the `cli` command does. */
export function runAsCommand(): void {
  // The SDK warns, once per process, that its releases after January 2027 need Node 22: a notice for whoever
  // installs the tool, not part of a command's output; the CLI keeps stderr for what the command says.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      process.stderr.write(
        `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    });
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isEntryPoint) runAsCommand();
