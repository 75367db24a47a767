import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentViewOf } from '../src/reports/render/incidentView';
import { escapeHtml, renderHtml } from '../src/reports/render/renderHtml';
import { escapeMarkdown, renderMarkdown } from '../src/reports/render/renderMarkdown';
import { type CliWorld, REPORT_BUCKET, startCliWorld } from './support/cliWorld';
import { unwrapped } from './support/lineWidths';
import {
  FAILED_ERROR_CODE,
  HOSTILE_TAG,
  HOSTILE_USER_AGENT,
  type RespondedIncident,
  respondToHostileIncident,
} from './support/respondedIncident';

let world: CliWorld;
let incident: RespondedIncident;

beforeAll(async () => {
  world = await startCliWorld();
  incident = await respondToHostileIncident(world);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

const view = () => incidentViewOf(REPORT_BUCKET, incident.key, incident.report, []);

/** The tag names of an HTML document (its text is escaped, so every `<` opens a real tag). */
function tagsOf(html: string): { name: string; attributes: string }[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map((match) => ({
    name: (match[1] ?? '').toLowerCase(),
    attributes: match[2] ?? '',
  }));
}

describe('the incident view of a real report', () => {
  it('has a timeline row for every step, in start order, the failed one with its AWS error code', () => {
    // Act
    const { timeline } = view();

    // Assess
    expect(timeline).toHaveLength(incident.report.steps.length);
    const starts = timeline.map((row) => row.startedAt);
    expect(starts).toEqual([...starts].sort());
    const failed = timeline.filter((row) => row.status === 'failed');
    expect(failed.map((row) => [row.step, row.errorCode])).toEqual([
      ['preserveEvidence.snapshotVolume', FAILED_ERROR_CODE],
    ]);
  });

  it('says what happened, what needs a person and what release would undo', () => {
    // Act
    const { facts, needsPerson, releaseUndoes, releaseLeaves } = view();

    // Assess
    const fact = (label: string) => facts.find((item) => item.label === label)?.value;
    expect(fact('Instance')).toBe(incident.report.instanceId);
    expect(fact('Account')).toBe(incident.report.accountId);
    expect(fact('Region')).toBe('us-east-1');
    expect(fact('Mode')).toMatch(/^full: /);
    expect(needsPerson).toEqual(incident.report.manualInterventionReasons);
    expect(needsPerson.join('\n')).toContain(FAILED_ERROR_CODE);
    const group = incident.report.undo.autoScalingGroup;
    expect(releaseUndoes).toContain(`${HOSTILE_TAG}: back to min 1 / max 3 / desired 1`);
    expect(releaseUndoes.filter((line) => line.includes(': back onto '))).toHaveLength(
      incident.report.undo.networkInterfaces.length,
    );
    expect(releaseUndoes.filter((line) => line.includes(' deny entry '))).toHaveLength(
      incident.report.undo.networkAclEntries?.length ?? -1,
    );
    expect(releaseLeaves).toContain(
      `${group?.detachedInstanceId} stays out of ${HOSTILE_TAG}: it ran a miner (the group launches fresh instances instead).`,
    );
  });
});

describe('renderMarkdown', () => {
  it('renders the timeline as a table row per step and keeps the hostile tag inert', () => {
    // Act
    const markdown = renderMarkdown(view());

    // Assess
    const rows = markdown.split('\n').filter((line) => /^\| \+\d+ ms \|/.test(line));
    expect(rows).toHaveLength(incident.report.steps.length);
    expect(rows.filter((row) => row.includes(`**failed: ${FAILED_ERROR_CODE}**`))).toHaveLength(1);
    expect(markdown).not.toMatch(/<script|<img/i);
    expect(markdown).toContain(escapeMarkdown(HOSTILE_TAG));
    expect(escapeMarkdown(HOSTILE_TAG)).toMatch(/^&lt;script&gt;/);
  });

  it('escapes what Markdown acts on', () => {
    expect(escapeMarkdown('a|b *c* _d_ `e` [f](g) <h> & 1. - x\ny')).toBe(
      'a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) &lt;h&gt; &amp; 1. - x y',
    );
    expect(escapeMarkdown('- a')).toBe('\\- a');
    expect(escapeMarkdown('12. a')).toBe('12\\. a');
  });
});

describe('renderHtml', () => {
  it('is one document with inline CSS only: no script, no element that loads anything', () => {
    // Act
    const html = renderHtml(view());

    // Assess
    const names = new Set(tagsOf(html).map((tag) => tag.name));
    expect([...names].filter((name) => !ALLOWED_TAGS.has(name))).toEqual([]);
    expect(tagsOf(html).filter((tag) => /\b(src|href|action|srcset)\s*=/i.test(tag.attributes))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).toContain(`default-src 'none'`);
  });

  it('shows the hostile tag and user agent as text', () => {
    // Act
    const html = renderHtml(view());

    // Assess
    expect(html).toContain(escapeHtml(HOSTILE_TAG));
    expect(html).toContain(escapeHtml(HOSTILE_USER_AGENT));
    expect(html).not.toMatch(/<script|<img|onerror="/i);
  });

  it('escapes the characters HTML gives meaning to', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });
});

describe('cli reports show --format', () => {
  it.each([
    ['md', (out: string) => out.startsWith('# CryptoCurrency:EC2/BitcoinTool.B!DNS on ')],
    ['html', (out: string) => out.startsWith('<!DOCTYPE html>')],
  ])('--format %s by finding id writes the document to stdout', async (format, looksRight) => {
    // Act
    const run = await world.cli(['reports', 'show', incident.findingId, '--format', format]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(looksRight(run.stdout)).toBe(true);
    expect(run.stdout).toContain(incident.key);
  });

  it('keeps the text output as the default, now naming every change release would undo', async () => {
    // Act
    const run = await world.cli(['reports', 'show', incident.key]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(unwrapped(run.stdout)).toContain(`Report      s3://${REPORT_BUCKET}/${incident.key}`);
    expect(run.stdout).toContain(`  - ${HOSTILE_TAG}: back to min 1 / max 3 / desired 1`);
    expect(run.stdout).toMatch(/ {2}- acl-\w+: delete the inbound deny entry \d+ for /);
  });

  it.each([
    [['--format', 'pdf'], '--format "pdf" is not one of text, md, html'],
    [['--format', 'md', '--json'], '--json and --format are alternatives'],
  ])('refuses %j with exit 2', async (flags, message) => {
    // Act
    const run = await world.cli(['reports', 'show', incident.key, ...flags]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});

const ALLOWED_TAGS = new Set([
  '!doctype',
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'h1',
  'h2',
  'p',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'time',
  'code',
  'span',
  'ul',
  'li',
]);
