import type { Command, FlagSpec, FlagSpecs } from '../command';
import { GLOBAL_FLAGS } from '../globalOptions';

/** What a shell offers in one place of the command line: after `cli`, after `cli reports`, after `cli reports list`. */
export interface CompletionContext {
  /** The command words that lead here: "" (none yet), "reports", "reports list". */
  readonly path: string;
  /** The words offered: sub-command names, then the flags (`--bucket`). */
  readonly words: readonly string[];
  /** Flags that take a value of a fixed set, with that set (`--output`: table json csv). */
  readonly choices: readonly { readonly flag: string; readonly values: readonly string[] }[];
  /** Flags that take a free value (a name, a file): nothing but the shell's own (file) completion after them. */
  readonly freeValueFlags: readonly string[];
}

export interface CompletionModel {
  readonly contexts: readonly CompletionContext[];
  /** The commands that have sub-commands (`reports`): only there is a second word a sub-command. */
  readonly commandsWithSubcommands: readonly string[];
  /** Every flag that takes a value, anywhere: its value is not a command word. */
  readonly valueFlags: readonly string[];
  /** Each command's one-line summary, for shells that show it. */
  readonly summaries: Readonly<Record<string, string>>;
}

function contextOf(path: string, names: readonly string[], flags: FlagSpecs): CompletionContext {
  const entries: [string, FlagSpec][] = Object.entries({ ...flags, help: { type: 'boolean' } });
  return {
    path,
    words: [...names, ...entries.map(([name]) => `--${name}`)],
    choices: entries.flatMap(([name, flag]) =>
      flag.choices === undefined ? [] : [{ flag: `--${name}`, values: flag.choices }],
    ),
    freeValueFlags: entries
      .filter(([, flag]) => flag.type === 'string' && flag.choices === undefined)
      .map(([name]) => `--${name}`),
  };
}

/** The completion of every command and flag, from the command table: a new command or flag needs nothing here. */
export function completionModel(commands: Readonly<Record<string, Command>>): CompletionModel {
  const contexts: CompletionContext[] = [contextOf('', Object.keys(commands), GLOBAL_FLAGS)];
  for (const [name, command] of Object.entries(commands)) {
    const subcommands = Object.entries(command.subcommands ?? {});
    contexts.push(
      contextOf(
        name,
        subcommands.map(([subcommand]) => subcommand),
        command.flags,
      ),
    );
    for (const [subcommand, flags] of subcommands) contexts.push(contextOf(`${name} ${subcommand}`, [], flags));
  }
  return {
    contexts,
    commandsWithSubcommands: Object.entries(commands)
      .filter(([, command]) => command.subcommands !== undefined)
      .map(([name]) => name),
    valueFlags: [
      ...new Set(contexts.flatMap((context) => [...context.freeValueFlags, ...context.choices.map((c) => c.flag)])),
    ],
    summaries: Object.fromEntries(Object.entries(commands).map(([name, command]) => [name, command.summary])),
  };
}
