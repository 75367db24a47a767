import type { IncidentView, TimelineRow } from './incidentView';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Report text as HTML text or a quoted attribute value: the five characters HTML gives meaning to, as entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

// Inline, so the file is one self-contained document: it is mailed, attached to tickets, opened offline.
const STYLE = `
body { font: 14px/1.45 system-ui, "DejaVu Sans", sans-serif; color: #1f2328; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.45rem; margin-bottom: .25rem; }
h2 { font-size: 1.1rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; }
.location { color: #57606a; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #eaeef2; overflow-wrap: anywhere; }
th { background: #f6f8fa; }
.facts th { width: 10rem; }
.outcome span { display: inline-block; margin: .25rem .5rem .25rem 0; padding: .15rem .6rem; border-radius: 1rem; }
.yes { background: #dafbe1; color: #116329; }
.no { background: #ffebe9; color: #a40e26; }
.status { font-weight: 600; white-space: nowrap; }
tr.failed { background: #fff5f5; }
tr.failed .status, .error { color: #a40e26; }
tr.skipped .status { color: #7d4e00; }
.number { white-space: nowrap; font-variant-numeric: tabular-nums; }
.person li { color: #7d4e00; }
`;

function list(className: string, items: readonly string[], none: string): string {
  if (items.length === 0) return `<p class="${className} none">${escapeHtml(none)}</p>`;
  return `<ul class="${className}">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

function timelineRow(row: TimelineRow): string {
  const outcome =
    row.errorCode === null
      ? escapeHtml(row.status)
      : `failed: <code class="error error-code">${escapeHtml(row.errorCode)}</code>`;
  return [
    `<tr class="step ${escapeHtml(row.status)}">`,
    `<td class="number"><time datetime="${escapeHtml(row.startedAt)}">+${row.offsetMs} ms</time></td>`,
    `<td class="name">${escapeHtml(row.step)}</td>`,
    `<td class="target">${escapeHtml(row.target)}</td>`,
    `<td class="status">${outcome}</td>`,
    `<td class="number"><time datetime="${escapeHtml(row.endedAt)}">${row.durationMs} ms</time></td>`,
    `<td class="detail">${escapeHtml(row.detail)}</td>`,
    '</tr>',
  ].join('');
}

function timeline(rows: readonly TimelineRow[]): string {
  const first = rows[0];
  const last = rows.at(-1);
  if (first === undefined || last === undefined) return '<p class="timeline none">No step ran.</p>';
  return [
    `<p>${rows.length} step(s), from ${escapeHtml(first.startedAt)} to ${escapeHtml(last.endedAt)}.</p>`,
    '<table class="timeline"><thead><tr><th>at</th><th>step</th><th>target</th><th>outcome</th><th>took</th><th>detail</th></tr></thead>',
    `<tbody>${rows.map(timelineRow).join('')}</tbody></table>`,
  ].join('');
}

/**
 * The incident as one self-contained HTML file: inline CSS, no script, no external resource (the policy says so
 * to the browser too, in case a field ever slipped past the escaping), every report field escaped.
 */
export function renderHtml(view: IncidentView): string {
  const facts = view.facts
    .map((fact) => `<tr><th>${escapeHtml(fact.label)}</th><td>${escapeHtml(fact.value)}</td></tr>`)
    .join('');
  const outcome = view.outcome
    .map(
      (item) =>
        `<span class="${item.done ? 'yes' : 'no'}">${escapeHtml(item.label)}: ${item.done ? 'yes' : 'no'}</span>`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(view.title)}</h1>
<p class="location">${escapeHtml(view.location)}</p>
<h2>What happened</h2>
<table class="facts"><tbody>${facts}</tbody></table>
<p class="outcome">${outcome}</p>
<h2>Timeline</h2>
${timeline(view.timeline)}
<h2>What needs a person</h2>
${list('person', view.needsPerson, 'Nothing: the response did everything it set out to do.')}
<h2>What cli release would undo</h2>
${list('undo', view.releaseUndoes, 'Nothing: the response changed nothing release can undo.')}
<p>What release leaves as it is:</p>
${list('leaves', view.releaseLeaves, 'Nothing.')}
<h2>Releases</h2>
${list('releases', view.releases, 'None recorded.')}
</body>
</html>
`;
}
