import { readFileSync } from 'node:fs';
import type { FlagSpecs } from './command';

/**
 * The global options, for shell completion and --help: what parseGlobalOptions takes out of the line. `region` is
 * global only before the command's name.
 */
export const GLOBAL_FLAGS = {
  version: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  profile: { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean' },
} as const satisfies FlagSpecs;

/** The options every command takes, anywhere on the line, as the AWS CLI's global options are. */
export interface GlobalOptions {
  readonly version: boolean;
  /** `--profile <name>`, anywhere on the line: the named profile of the shared AWS config and credentials files. */
  readonly profile: string | null;
  /** `--region <region>` before the command's name (after it, `reports list --region` is that command's filter). */
  readonly region: string | null;
  /** The command line without the global options. */
  readonly rest: readonly string[];
}

/** Thrown for a global option without its value: the caller reports it as wrong usage. */
export class GlobalOptionError extends Error {}

/** Takes `--name value` or `--name=value` out of the arguments from `from` on; the value, or null when absent. */
function takeValued(args: string[], name: string, from = 0, to = args.length): string | null {
  for (let index = from; index < Math.min(to, args.length); index++) {
    const arg = args[index] ?? '';
    if (arg.startsWith(`${name}=`)) {
      args.splice(index, 1);
      return nonEmpty(name, arg.slice(name.length + 1));
    }
    if (arg === name) {
      const value = args[index + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new GlobalOptionError(`${name} needs a value, e.g. ${name} ${EXAMPLES[name] ?? '<value>'}.`);
      }
      args.splice(index, 2);
      return nonEmpty(name, value);
    }
  }
  return null;
}

const EXAMPLES: Record<string, string> = { '--profile': 'security-audit', '--region': 'us-east-1' };

function nonEmpty(name: string, value: string): string {
  if (value.trim() === '') throw new GlobalOptionError(`${name} needs a value, e.g. ${name} ${EXAMPLES[name]}.`);
  return value;
}

/**
 * `--no-color` is accepted and changes nothing: the CLI writes no color (only the progress line on a terminal
 * rewrites itself, and that is not color), so NO_COLOR is honoured already. Accepted so that a line written for
 * the AWS CLI's conventions does not fail here.
 */
const IGNORED = new Set(['--no-color']);

export function parseGlobalOptions(argv: readonly string[]): GlobalOptions {
  // Everything after `--` belongs to the command.
  const end = argv.indexOf('--') === -1 ? argv.length : argv.indexOf('--');
  const head = argv.slice(0, end).filter((arg) => arg !== '--version' && !IGNORED.has(arg));
  const version = argv.slice(0, end).includes('--version');
  const profile = takeValued(head, '--profile');
  const commandAt = head.findIndex((arg) => !arg.startsWith('-'));
  const region = takeValued(head, '--region', 0, commandAt === -1 ? head.length : commandAt);
  return { version, profile, region, rest: [...head, ...argv.slice(end)] };
}

/** The CLI package's version, from its package.json (the one source of it). */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
