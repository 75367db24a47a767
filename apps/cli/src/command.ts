/** One flag of a command, as node's parseArgs takes it, plus the values it accepts when they are a fixed set. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly default?: string | boolean;
  /** The only values it takes: checked when parsed, and what shell completion offers after the flag. */
  readonly choices?: readonly string[];
}

/** A command's flags by name (without the leading `--`). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** One sub-command of the operator CLI. Each lives in its own file under commands/. */
export interface Command {
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  /** The flags it parses: the same object its run() hands to parseCommandFlags, so completion cannot drift. */
  readonly flags: FlagSpecs;
  /** Its sub-commands (`reports list`, `reports show`) and their flags, when it has some. */
  readonly subcommands?: Readonly<Record<string, FlagSpecs>>;
  /** Runs the command; resolves to the process exit code. */
  run(args: readonly string[], io: CommandIO): Promise<number>;
}

/** Where a command writes: stdout carries results only (JSON with --json), stderr carries logs and progress. */
export interface CommandIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** Wrong usage or invalid input: exit code 2 and one line on stderr. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
