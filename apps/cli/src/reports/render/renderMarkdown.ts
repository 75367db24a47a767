import type { IncidentView, TimelineRow } from './incidentView';

/**
 * Report text as inert Markdown: `<`, `>` and `&` as entities (a Markdown renderer passes raw HTML through, and an
 * entity is shown as the character), the punctuation that starts emphasis, code, links and table cells behind a
 * backslash, and a leading list or heading marker too; line breaks as spaces (a table row is one line).
 * CommonMark shows each of these as the character itself.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (character) => `\\${character}`)
    .replace(/^[-+#]/, (marker) => `\\${marker}`)
    .replace(/^(\d+)([.)])/, (_marker, digits: string, dot: string) => `${digits}\\${dot}`);
}

function list(items: readonly string[], none: string): string[] {
  return items.length === 0 ? [none] : items.map((item) => `- ${escapeMarkdown(item)}`);
}

function timelineRow(row: TimelineRow): string {
  const cells = [
    `+${row.offsetMs} ms`,
    escapeMarkdown(row.step),
    escapeMarkdown(row.target),
    row.status === 'failed' ? `**failed: ${escapeMarkdown(row.errorCode ?? '')}**` : row.status,
    `${row.durationMs} ms`,
    escapeMarkdown(row.detail),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The incident as a Markdown document (GitHub-flavoured tables), for a ticket or a wiki page. */
export function renderMarkdown(view: IncidentView): string {
  const first = view.timeline[0];
  const last = view.timeline.at(-1);
  return [
    `# ${escapeMarkdown(view.title)}`,
    '',
    `Report: \`${view.location.replace(/`/g, "'")}\``,
    '',
    '## What happened',
    '',
    '| | |',
    '|---|---|',
    ...view.facts.map((fact) => `| ${fact.label} | ${escapeMarkdown(fact.value)} |`),
    '',
    view.outcome.map((item) => `${item.label}: **${item.done ? 'yes' : 'no'}**`).join(' · '),
    '',
    '## Timeline',
    '',
    first === undefined || last === undefined
      ? 'No step ran.'
      : `${view.timeline.length} step(s), from ${first.startedAt} to ${last.endedAt}.`,
    '',
    ...(view.timeline.length === 0
      ? []
      : [
          '| at | step | target | outcome | took | detail |',
          '|---|---|---|---|---|---|',
          ...view.timeline.map(timelineRow),
          '',
        ]),
    '## What needs a person',
    '',
    ...list(view.needsPerson, 'Nothing: the response did everything it set out to do.'),
    '',
    '## What `cli release` would undo',
    '',
    ...list(view.releaseUndoes, 'Nothing: the response changed nothing release can undo.'),
    '',
    'What release leaves as it is:',
    '',
    ...list(view.releaseLeaves, 'Nothing.'),
    '',
    '## Releases',
    '',
    ...list(view.releases, 'None recorded.'),
    '',
  ].join('\n');
}
