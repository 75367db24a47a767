// The step table of packages/responder/README.md, made from the registry; `pnpm --filter @cryptominer-defense/core
// steps` rewrites it there, and a test fails when the README's copy is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MEMBER_ACCOUNT_STEPS,
  type MemberAccountStepName,
  type MemberStepDefinition,
  stepDefinition,
} from '../src/index';

export const STEP_TABLE_BEGIN = '<!-- step table: made from packages/core/src/responseSteps.ts -->';
export const STEP_TABLE_END = '<!-- end of step table -->';
export const RESPONDER_README = fileURLToPath(new URL('../../responder/README.md', import.meta.url));

/** One row per member-account step: what it does, its phase, modes, waits, actions and undo, as the registry says. */
export function stepTable(): string {
  const rows = (Object.keys(MEMBER_ACCOUNT_STEPS) as MemberAccountStepName[]).map((step) => {
    const definition = stepDefinition(step);
    const cells = [
      `\`${step}\``,
      definition.description,
      definition.phase,
      definition.modes.join(', '),
      definition.doneOnce ? 'yes' : 'no',
      definition.after.map((before) => `\`${before}\``).join(', ') || '—',
      definition.iamActions.map((action) => `\`${action}\``).join(', '),
      undoneBy(definition),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [
    '| step | what it does | phase | modes | done once | waits for | IAM actions | undone by |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function undoneBy(definition: MemberStepDefinition): string {
  if (definition.releasedBy.length > 0) return definition.releasedBy.map((release) => `\`${release}\``).join(', ');
  return definition.phase === 'read' || definition.phase === 'attribution' ? 'nothing to undo' : 'left to a person';
}

/** The README with its step table replaced by the registry's. */
export function withStepTable(readme: string): string {
  const begin = readme.indexOf(STEP_TABLE_BEGIN);
  const end = readme.indexOf(STEP_TABLE_END);
  if (begin < 0 || end < begin) {
    throw new Error(`${RESPONDER_README} has no step table between "${STEP_TABLE_BEGIN}" and "${STEP_TABLE_END}".`);
  }
  return `${readme.slice(0, begin + STEP_TABLE_BEGIN.length)}\n${stepTable()}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(RESPONDER_README, withStepTable(readFileSync(RESPONDER_README, 'utf8')));
  process.stdout.write(`${RESPONDER_README}\n`);
}
