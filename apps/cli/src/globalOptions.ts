import { readFileSync } from 'node:fs';

/** The options every command takes, anywhere on the line, as the AWS CLI's global options are. */
export interface GlobalOptions {
  readonly version: boolean;
  /** The command line without the global options. */
  readonly rest: readonly string[];
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
  const head = argv.slice(0, end);
  return {
    version: head.includes('--version'),
    rest: [...head.filter((arg) => arg !== '--version' && !IGNORED.has(arg)), ...argv.slice(end)],
  };
}

/** The CLI package's version, from its package.json (the one source of it). */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
