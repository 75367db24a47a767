import type { CompletionModel } from './completionModel';

/** The shell function's name: one per program, so that it does not clash with another tool's completion. */
export const COMPLETION_FUNCTION = '_cryptominer_defense_cli';

/** A word as a bash/zsh case pattern or a word list entry: the CLI's names are plain, but quote them anyway. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The scan of the words before the cursor, shared by bash and zsh (both read `(( ))`, `[[ ]]` and `case`): the
 * first word that is neither a flag nor a flag's value is the command, the next one its sub-command.
 */
export function commandScan(model: CompletionModel, wordsArray: string, first: number, cursor: string): string[] {
  return [
    `  local command="" subcommand="" word i`,
    `  for (( i = ${first}; i < ${cursor}; i++ )); do`,
    `    word="\${${wordsArray}[i]}"`,
    `    case "$word" in`,
    `      ${model.valueFlags.map(shellQuote).join('|')}) (( i++ )) ;;`,
    `      -*) ;;`,
    `      *) if [[ -z $command ]]; then command="$word"; elif [[ -z $subcommand ]]; then subcommand="$word"; fi ;;`,
    `    esac`,
    `  done`,
    `  local context="$command"`,
    `  case "$command" in`,
    `    ${model.commandsWithSubcommands.map(shellQuote).join('|') || '__none__'}) [[ -n $subcommand ]] && context="$command $subcommand" ;;`,
    `  esac`,
  ];
}

/** The `case "$context"` body: each place's words, and after a flag its choices (or nothing, for a free value). */
export function contextCases(model: CompletionModel, offer: (words: readonly string[]) => string): string[] {
  return model.contexts.flatMap((context) => [
    `    ${shellQuote(context.path)})`,
    `      case "$prev" in`,
    ...context.choices.map(({ flag, values }) => `        ${shellQuote(flag)}) ${offer(values)} ;;`),
    ...(context.freeValueFlags.length === 0
      ? []
      : [`        ${context.freeValueFlags.map(shellQuote).join('|')}) ${offer([])} ;;`]),
    `        *) ${offer(context.words)} ;;`,
    `      esac ;;`,
  ]);
}

/**
 * `cli completion bash`: a function for `complete -F`. After a flag with a free value it offers nothing, so that
 * `-o default` falls back to file names (`respond --event <file>`).
 */
export function bashCompletion(model: CompletionModel, program: string): string {
  return [
    `# bash completion for ${program} (cryptominer-defense), written by "${program} completion bash" from the`,
    `# CLI's own command table. Load it with: source <(${program} completion bash)`,
    `${COMPLETION_FUNCTION}() {`,
    `  local cur="\${COMP_WORDS[COMP_CWORD]}" prev=""`,
    `  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"`,
    ...commandScan(model, 'COMP_WORDS', 1, 'COMP_CWORD'),
    `  local candidates=""`,
    `  case "$context" in`,
    ...contextCases(model, (words) => `candidates=${shellQuote(words.join(' '))}`),
    `    *) candidates="" ;;`,
    `  esac`,
    `  COMPREPLY=( $(compgen -W "$candidates" -- "$cur") )`,
    `}`,
    `complete -o default -F ${COMPLETION_FUNCTION} ${program}`,
    '',
  ].join('\n');
}
