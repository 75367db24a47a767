import type { CompletionModel } from './completionModel';

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `-l name`, with `-x -a '<choices>'` for a fixed set, `-r` for a free value (files offered). */
function fishFlag(flag: string, context: CompletionModel['contexts'][number]): string {
  const name = `-l ${flag.replace(/^--/, '')}`;
  const choices = context.choices.find((choice) => choice.flag === flag);
  if (choices !== undefined) return `${name} -x -a ${fishQuote(choices.values.join(' '))}`;
  return context.freeValueFlags.includes(flag) ? `${name} -r` : name;
}

/**
 * `cli completion fish`: one `complete` line per command, sub-command and flag, each under the condition of its
 * place (`__fish_seen_subcommand_from`).
 */
export function fishCompletion(model: CompletionModel, program: string): string {
  const commandNames = Object.keys(model.summaries);
  const lines = [
    `# fish completion for ${program} (cryptominer-defense), written by "${program} completion fish" from the`,
    `# CLI's own command table. Load it with: ${program} completion fish | source`,
  ];
  for (const context of model.contexts) {
    const [command, subcommand] = context.path === '' ? [] : context.path.split(' ');
    const subcommandNames = model.contexts
      .filter((other) => command !== undefined && other.path.startsWith(`${command} `))
      .map((other) => other.path.split(' ')[1] ?? '');
    const condition =
      command === undefined
        ? `not __fish_seen_subcommand_from ${commandNames.join(' ')}`
        : subcommand === undefined
          ? `__fish_seen_subcommand_from ${command}${subcommandNames.length === 0 ? '' : `; and not __fish_seen_subcommand_from ${subcommandNames.join(' ')}`}`
          : `__fish_seen_subcommand_from ${command}; and __fish_seen_subcommand_from ${subcommand}`;
    const complete = `complete -c ${program} -n ${fishQuote(condition)}`;
    for (const word of context.words) {
      if (word.startsWith('--')) lines.push(`${complete} ${fishFlag(word, context)}`);
      else {
        const summary = command === undefined ? model.summaries[word] : undefined;
        lines.push(`${complete} -f -a ${fishQuote(word)}${summary === undefined ? '' : ` -d ${fishQuote(summary)}`}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
