/** A terminal of 120 columns shows every table and line unwrapped; --output json (or csv) has every value in full. */
export const TABLE_WIDTH = 120;

/**
 * Lines of at most `width`: broken at the last space if it leaves the line at least half full, else after the last
 * `/`, `:` or `,` (an ARN, a URI), else at the last space, else inside the word.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text.trim();
  while (rest.length > width) {
    const head = rest.slice(0, width + 1);
    const space = head.lastIndexOf(' ');
    const mark = Math.max(...['/', ':', ','].map((character) => head.lastIndexOf(character, width - 1) + 1));
    const cut = space >= width / 2 ? space : mark > 0 ? mark : space > 0 ? space : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  return rest === '' && lines.length > 0 ? lines : [...lines, rest];
}

/** One line of text for a person, wrapped to `width`; continuation lines indented two more than the line. */
function wrapLine(line: string, width: number): string[] {
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const text = line.trim();
  const [first = '', ...more] = wrapText(text, width - indent.length);
  if (more.length === 0) return [`${indent}${first}`];
  const continued = wrapText(text.slice(first.length), width - indent.length - 2);
  return [`${indent}${first}`, ...continued.map((next) => `${indent}  ${next}`)];
}

/** Text for a person, each line wrapped to `width` (continuation lines indented), so that no line is wider. */
export function wrapLines(text: string, width = TABLE_WIDTH): string {
  return text
    .split('\n')
    .flatMap((line) => (line.trim() === '' ? [line.trimEnd()] : wrapLine(line, width)))
    .join('\n');
}
