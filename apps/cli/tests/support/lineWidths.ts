/** The widest line of a command's output, in characters (every character the CLI writes is one column wide). */
export function widestLine(text: string): number {
  return Math.max(...text.split('\n').map((line) => [...line].length));
}

/**
 * Text the CLI wrapped to 120 columns (wrapLines) as one line per paragraph again: a line indented two more than
 * the line that began its paragraph continues it, after a space, or with none after a `/` (wrapLines breaks a long
 * key or URI after a `/` and takes nothing out there).
 */
export function unwrapped(text: string): string {
  const lines: string[] = [];
  let paragraphIndent = -1;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    if (lines.length > 0 && line.trim() !== '' && indent === paragraphIndent + 2) {
      const previous = lines[lines.length - 1] ?? '';
      lines[lines.length - 1] = `${previous}${previous.endsWith('/') ? '' : ' '}${line.trim()}`;
      continue;
    }
    lines.push(line);
    paragraphIndent = line.trim() === '' ? -10 : indent;
  }
  return lines.join('\n');
}

/**
 * A column of the first table in `output` that has it, read down its lines (a wrapped cell continues on the next
 * lines), as one text: the cells' words in order, so that a wrapped value can be compared with the full one.
 */
export function columnOf(output: string, header: string): string {
  const lines = output.split('\n');
  const at = lines.findIndex(
    (line, index) => new RegExp(`(^|  )${header}(  |$)`).test(line) && /^-+( +-+)*$/.test(lines[index + 1] ?? ''),
  );
  if (at === -1) throw new Error(`no table with a column ${header} in:\n${output}`);
  const rule = lines[at + 1] ?? '';
  const start = (lines[at] ?? '').indexOf(header);
  const end = rule.indexOf(' ', start) === -1 ? undefined : rule.indexOf(' ', start);
  const body = lines.slice(at + 2);
  const rows = body.slice(
    0,
    body.findIndex((line) => line.trim() === '') === -1 ? undefined : body.findIndex((line) => line.trim() === ''),
  );
  return rows
    .map((line) => line.slice(start, end).trim())
    .filter((cell) => cell !== '')
    .join(' ');
}
