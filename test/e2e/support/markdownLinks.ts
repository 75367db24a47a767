import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Folders that hold no documentation of this repository (dependencies, build output, the Python environment). */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.venv', 'cdk.out', 'coverage']);

/** Every `*.md` file under `root`, relative to it, sorted. */
export function markdownFiles(root: string, folder = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) found.push(...markdownFiles(root, join(folder, entry.name)));
    } else if (entry.name.endsWith('.md')) {
      found.push(relative(root, join(folder, entry.name)));
    }
  }
  return found.sort();
}

/** The text without fenced code blocks and inline code: a `[x](y)` there is an example, not a link. */
function withoutCode(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .replace(/(`+)(?:(?!\1)[\s\S])+?\1/g, (code) => code.replace(/[[\]()]/g, ' '));
}

/** One link of a markdown file: where it points, as written. */
export interface MarkdownLink {
  readonly line: number;
  readonly target: string;
}

/** The inline (`[text](target)`, `![alt](target)`) and reference-definition (`[label]: target`) links. */
export function linksOf(markdown: string): MarkdownLink[] {
  const text = withoutCode(markdown);
  const links: MarkdownLink[] = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    links.push({ line: lineOf(match.index), target: match[1] ?? '' });
  }
  for (const match of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) {
    links.push({ line: lineOf(match.index), target: match[1] ?? '' });
  }
  return links;
}

/** A link to another site, or an e-mail address: not checked here. */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/**
 * The anchors GitHub gives a file's headings: the heading's text lower-cased, markup and punctuation dropped
 * (letters, digits, `-`, `_` and spaces kept), spaces made `-`; a repeated heading gets `-1`, `-2`, …. Explicit
 * `<a id>` / `<a name>` anchors count too.
 */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const match of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = (match[1] ?? '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase();
    const slug = text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const seen = counts.get(slug) ?? 0;
    anchors.add(seen === 0 ? slug : `${slug}-${seen}`);
    counts.set(slug, seen + 1);
  }
  for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  return anchors;
}

/** A file's text, read once. */
export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
