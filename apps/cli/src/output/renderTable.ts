import { TABLE_WIDTH, wrapText } from './wrapLines';

export interface TableColumn<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  /** Longer values are cut with an ellipsis; default no limit. */
  readonly maxWidth?: number;
  /** Where a cut value loses its text: the end (default), or the start (a key whose end tells rows apart). */
  readonly elide?: 'end' | 'start';
  /** Whether the column may be narrowed to fit maxLineWidth (free text, a long key); ids are kept whole. */
  readonly narrowable?: boolean;
  /**
   * A narrowed cell continues on the next lines instead of being cut (free text a person reads whole: what was
   * done, a fix). Implies narrowable.
   */
  readonly wrap?: boolean;
}

export interface TableOptions {
  /** The widest a line may be (default TABLE_WIDTH): the widest narrowable columns are narrowed until it fits. */
  readonly maxLineWidth?: number;
}

const GAP = 2;

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function fitToWidth(text: string, maxWidth: number | undefined, elide: 'end' | 'start' = 'end'): string {
  if (maxWidth === undefined || text.length <= maxWidth) return text;
  const kept = Math.max(0, maxWidth - 1);
  return elide === 'start' ? `…${text.slice(text.length - kept)}` : `${text.slice(0, kept)}…`;
}

const isNarrowable = (column: TableColumn<unknown>) => column.narrowable === true || column.wrap === true;

/** The longest run of a text that wrapText does not break (between spaces, after `/`, `:` or `,`). */
function longestWord(text: string): number {
  return Math.max(0, ...text.split(/(?<=[ /:,])/).map((word) => word.trim().length));
}

/**
 * Narrows the widest narrowable column whose width is above its floor, a character at a time, until the line fits.
 * First down to each wrapped column's longest word (wrapped at spaces, words whole), then down to the headers.
 */
function narrowToFit<Row>(
  widths: number[],
  columns: readonly TableColumn<Row>[],
  cells: readonly (readonly string[])[],
  maxLineWidth: number,
): number[] {
  const narrowed = [...widths];
  const lineWidth = () => narrowed.reduce((sum, width) => sum + width, 0) + GAP * (narrowed.length - 1);
  const headerFloor = columns.map((column) =>
    isNarrowable(column as TableColumn<unknown>) ? Math.max(column.header.length, 2) : Number.POSITIVE_INFINITY,
  );
  const wordFloor = columns.map((column, index) =>
    column.wrap === true
      ? Math.max(headerFloor[index] ?? 0, ...cells.map((line) => longestWord(line[index] ?? '')))
      : (headerFloor[index] ?? 0),
  );
  for (const floors of [wordFloor, headerFloor]) {
    while (lineWidth() > maxLineWidth) {
      const candidates = narrowed
        .map((width, index) => ({ width, index }))
        .filter(({ width, index }) => width > (floors[index] ?? Number.POSITIVE_INFINITY));
      if (candidates.length === 0) break;
      const widest = candidates.reduce((left, right) => (right.width > left.width ? right : left));
      narrowed[widest.index] = widest.width - 1;
    }
  }
  return narrowed;
}

/**
 * A plain-text table: a header, a rule, one row per item; columns padded to their widest cell, and narrowed
 * (cells cut with `…`, or wrapped onto more lines) until every line fits maxLineWidth.
 */
export function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly TableColumn<Row>[],
  { maxLineWidth = TABLE_WIDTH }: TableOptions = {},
): string {
  const full = rows.map((row) => columns.map((column) => fitToWidth(oneLine(column.value(row)), column.maxWidth)));
  const natural = columns.map((column, index) =>
    Math.max(column.header.length, ...full.map((line) => (line[index] ?? '').length)),
  );
  const widths = narrowToFit(natural, columns, full, maxLineWidth);
  const format = (line: readonly string[]) =>
    line
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join(' '.repeat(GAP))
      .trimEnd();
  const lines = full.flatMap((line) => {
    const cells = line.map((cell, index) => {
      const width = widths[index] ?? cell.length;
      const column = columns[index];
      return column?.wrap === true ? wrapText(cell, width) : [fitToWidth(cell, width, column?.elide)];
    });
    const height = Math.max(...cells.map((cell) => cell.length));
    return Array.from({ length: height }, (_unused, at) => format(cells.map((cell) => cell[at] ?? '')));
  });
  return [
    format(columns.map((column) => column.header)),
    format(widths.map((width) => '-'.repeat(width))),
    ...lines,
  ].join('\n');
}
