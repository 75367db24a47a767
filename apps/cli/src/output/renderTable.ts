export interface TableColumn<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  /** Longer values are cut with an ellipsis; default no limit. */
  readonly maxWidth?: number;
  /** Where a cut value loses its text: the end (default), or the start (a key whose end tells rows apart). */
  readonly elide?: 'end' | 'start';
  /** Whether the column may be narrowed to fit maxLineWidth (free text, a long key); ids are kept whole. */
  readonly narrowable?: boolean;
}

export interface TableOptions {
  /** The widest a line may be: the widest narrowable columns are narrowed (cells elided) until the table fits. */
  readonly maxLineWidth?: number;
}

const GAP = 2;

function fitToWidth(text: string, maxWidth: number | undefined, elide: 'end' | 'start' = 'end'): string {
  const oneLine = text.replace(/\s+/g, ' ');
  if (maxWidth === undefined || oneLine.length <= maxWidth) return oneLine;
  const kept = Math.max(0, maxWidth - 1);
  return elide === 'start' ? `…${oneLine.slice(oneLine.length - kept)}` : `${oneLine.slice(0, kept)}…`;
}

/** Narrows the widest narrowable column, a character at a time, until the line fits (never below its header). */
function narrowToFit<Row>(widths: number[], columns: readonly TableColumn<Row>[], maxLineWidth: number): number[] {
  const narrowed = [...widths];
  const lineWidth = () => narrowed.reduce((sum, width) => sum + width, 0) + GAP * (narrowed.length - 1);
  while (lineWidth() > maxLineWidth) {
    const candidates = narrowed
      .map((width, index) => ({ width, index }))
      .filter(({ width, index }) => {
        const column = columns[index];
        return column?.narrowable === true && width > Math.max(column.header.length, 2);
      });
    if (candidates.length === 0) break;
    const widest = candidates.reduce((left, right) => (right.width > left.width ? right : left));
    narrowed[widest.index] = widest.width - 1;
  }
  return narrowed;
}

/** A plain-text table: a header, a rule, one line per row; columns padded to their widest cell. */
export function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly TableColumn<Row>[],
  options: TableOptions = {},
): string {
  const full = rows.map((row) => columns.map((column) => fitToWidth(column.value(row), column.maxWidth)));
  const natural = columns.map((column, index) =>
    Math.max(column.header.length, ...full.map((line) => (line[index] ?? '').length)),
  );
  const headers = columns.map((column) => column.header);
  const widths = options.maxLineWidth === undefined ? natural : narrowToFit(natural, columns, options.maxLineWidth);
  const cells = full.map((line) => line.map((cell, index) => fitToWidth(cell, widths[index], columns[index]?.elide)));
  const format = (line: readonly string[]) =>
    line
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join(' '.repeat(GAP))
      .trimEnd();
  return [format(headers), format(widths.map((width) => '-'.repeat(width))), ...cells.map(format)].join('\n');
}
