import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type FlagSpecs, UsageError } from '../command';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The flags as parseArgs takes them: without `choices`, which this module checks itself. */
function parseArgsOptions(flags: FlagSpecs): Options {
  return Object.fromEntries(
    Object.entries(flags).map(([name, { choices: _choices, ...config }]) => [name, config as Options[string]]),
  );
}

/** A flag whose value is not one of its choices: a UsageError naming the ones it takes. */
function checkChoices(commandName: string, flags: FlagSpecs, values: Record<string, unknown>): void {
  for (const [name, { choices }] of Object.entries(flags)) {
    const value = values[name];
    if (choices === undefined || value === undefined) continue;
    for (const given of Array.isArray(value) ? value : [value]) {
      if (!choices.includes(String(given))) {
        throw new UsageError(`${commandName}: --${name} "${String(given)}" is not one of ${choices.join(', ')}.`);
      }
    }
  }
}

/**
 * Conventional flags (`--name value`, `--name=value`, `--flag`) with node's own parser; anything unknown or
 * malformed, or a value outside a flag's choices, becomes a UsageError that names it and points at --help.
 */
export function parseCommandFlags<T extends FlagSpecs & Options>(
  commandName: string,
  args: readonly string[],
  options: T,
  { positionals = 0 }: { readonly positionals?: number } = {},
) {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: parseArgsOptions(options) as T,
      strict: true,
      allowPositionals: positionals > 0,
    });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(
        `${commandName}: unexpected argument "${parsed.positionals[positionals]}". Run "cli ${commandName} --help".`,
      );
    }
    checkChoices(commandName, options, parsed.values);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message =
      error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error);
    throw new UsageError(`${commandName}: ${message}. Run "cli ${commandName} --help".`, { cause: error });
  }
}

/** A required string flag, or a UsageError saying which one is missing. */
export function requireFlag(commandName: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new UsageError(`${commandName} needs --${name}. Run "cli ${commandName} --help".`);
  }
  return value;
}
