import { type Command, UsageError } from '../command';
import { bashCompletion } from '../completion/bashCompletion';
import { type CompletionModel, completionModel } from '../completion/completionModel';
import { fishCompletion } from '../completion/fishCompletion';
import { zshCompletion } from '../completion/zshCompletion';
import { parseCommandFlags } from '../flags/parseCommandFlags';

const SHELLS: Readonly<Record<string, (model: CompletionModel, program: string) => string>> = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
};

const HELP = `Usage: cli completion bash|zsh|fish [--program <name>]

Prints a completion script for your shell: the commands, their sub-commands and flags, and the values of the
flags that take a fixed set (--output, --format). It is made from the CLI's own command table, so it is never
behind the CLI that printed it: print it again after an upgrade.

  bash   source <(cli completion bash)             (or save it in ~/.local/share/bash-completion/completions/cli)
  zsh    source <(cli completion zsh)              (after compinit; or save it as _cli in a directory of $fpath)
  fish   cli completion fish | source              (or save it in ~/.config/fish/completions/cli.fish)

  --program <name>  the name you run the CLI by (default: cli), e.g. an alias

Exit: 0 printed; 2 no shell, or one it does not know.`;

const FLAGS = { program: { type: 'string' } } as const;

/** A shell completion script, derived from the command table it is given (the CLI's own, in commands/index). */
export function completionCommand(commandTable: () => Readonly<Record<string, Command>>): Command {
  return {
    summary: 'Print a shell completion script (bash, zsh or fish) for the commands and their flags',
    help: HELP,
    flags: FLAGS,
    subcommands: Object.fromEntries(Object.keys(SHELLS).map((shell) => [shell, FLAGS])),
    async run(args, io) {
      const { values, positionals } = parseCommandFlags('completion', args, FLAGS, { positionals: 1 });
      const [shell] = positionals;
      const script = shell === undefined ? undefined : SHELLS[shell];
      if (script === undefined) {
        throw new UsageError(
          `completion needs a shell: ${Object.keys(SHELLS).join(', ')}${shell === undefined ? '' : ` (got "${shell}")`}. Run "cli completion --help".`,
        );
      }
      const program = values.program ?? 'cli';
      if (!/^[\w.-]+$/.test(program)) {
        throw new UsageError(`completion: --program "${program}" is not a command name (letters, digits, _ . -).`);
      }
      io.stdout.write(script(completionModel(commandTable()), program));
      return 0;
    },
  };
}
