import { COMPLETION_FUNCTION, commandScan, contextCases, shellQuote } from './bashCompletion';
import type { CompletionModel } from './completionModel';

/**
 * `cli completion zsh`: the same scan and places as bash's (zsh reads the same `case` and `[[ ]]`), offered with
 * compadd, which matches the typed prefix itself. `words` and `CURRENT` are zsh's own (1-based, `cli` first).
 */
export function zshCompletion(model: CompletionModel, program: string): string {
  return [
    `#compdef ${program}`,
    `# zsh completion for ${program} (cryptominer-defense), written by "${program} completion zsh" from the`,
    `# CLI's own command table. Load it with: source <(${program} completion zsh)  (after compinit)`,
    `${COMPLETION_FUNCTION}() {`,
    `  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"`,
    ...commandScan(model, 'words', 2, 'CURRENT'),
    `  local -a candidates`,
    `  case "$context" in`,
    ...contextCases(model, (offered) => `candidates=(${offered.map(shellQuote).join(' ')})`),
    `    *) candidates=() ;;`,
    `  esac`,
    // Nothing to offer after a flag with a free value: the files, as for any argument.
    `  if (( \${#candidates} == 0 )); then _files; else compadd -- "\${candidates[@]}"; fi`,
    `}`,
    `compdef ${COMPLETION_FUNCTION} ${program}`,
    '',
  ].join('\n');
}
