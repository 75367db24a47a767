import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../command';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Conventional flags (`--name value`, `--name=value`, `--flag`) with node's own parser; anything unknown or
 * malformed becomes a UsageError that names it and points at the command's --help.
 */
export function parseCommandFlags<T extends Options>(
  commandName: string,
  args: readonly string[],
  options: T,
  { positionals = 0 }: { readonly positionals?: number } = {},
) {
  try {
    const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(
        `${commandName}: unexpected argument "${parsed.positionals[positionals]}". Run "cli ${commandName} --help".`,
      );
    }
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
