import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findRepoRoot } from '@cryptominer-defense/testing';
import { describe, expect, it } from 'vitest';
import { anchorsOf, isExternal, linksOf, markdownFiles, readText } from './support/markdownLinks';

const root = findRepoRoot();
const files = markdownFiles(root);

/** What is wrong with one relative link of `file`, or undefined when it points to something that exists. */
function brokenLink(file: string, target: string): string | undefined {
  const [pathPart = '', anchor] = target.split('#', 2);
  const path = decodeURIComponent(pathPart);
  const resolved = path === '' ? join(root, file) : join(root, dirname(file), path);
  if (!resolved.startsWith(root)) return 'points outside the repository';
  if (!existsSync(resolved)) return 'no such file';
  if (anchor === undefined || anchor === '' || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) {
    return undefined;
  }
  return anchorsOf(readText(resolved)).has(decodeURIComponent(anchor).toLowerCase()) ? undefined : 'no such heading';
}

describe('links in the markdown files of the repository', () => {
  it('finds the documentation (the walk reads the repository, not an empty folder)', () => {
    // Assess
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/deploy.md', 'docs/architecture.md']));
  });

  it('the anchor rule is GitHub\'s: punctuation and code marks dropped, spaces made "-", repeats numbered', () => {
    // Prepare
    const markdown = "# `cli doctor`\n## The operator's permissions\n## Steps\n## Steps\n```sh\n# not a heading\n```\n";

    // Act
    const anchors = anchorsOf(markdown);

    // Assess
    expect([...anchors]).toEqual(['cli-doctor', 'the-operators-permissions', 'steps', 'steps-1']);
  });

  it('a link in code is an example, not a link; reference definitions are links', () => {
    // Act
    const links = linksOf('see [a](a.md) and `[b](b.md)`\n```\n[c](c.md)\n```\n[d]: d.md#x\n');

    // Assess
    expect(links.map((link) => link.target)).toEqual(['a.md', 'd.md#x']);
  });

  it('the check reports a missing file and a missing heading', () => {
    // Act
    const missingFile = brokenLink('docs/deploy.md', 'no-such-page.md');
    const missingHeading = brokenLink('docs/deploy.md', '#no-such-heading');
    const present = brokenLink('docs/deploy.md', 'architecture.md#how-a-finding-flows');

    // Assess
    expect([missingFile, missingHeading, present]).toEqual(['no such file', 'no such heading', undefined]);
  });

  it.each(files)('%s: every relative link and #anchor points to a file or heading that exists', (file) => {
    // Act
    const broken = linksOf(readText(join(root, file)))
      .filter((link) => !isExternal(link.target))
      .flatMap((link) => {
        const problem = brokenLink(file, link.target);
        return problem === undefined ? [] : [`${file}:${link.line} ${link.target}: ${problem}`];
      });

    // Assess
    expect(broken).toEqual([]);
  });
});
