export interface TableColumn<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  /** Longer values are cut with an ellipsis; default no limit. */
  readonly maxWidth?: number;
}

function fitToWidth(text: string, maxWidth: number | undefined): string {
  const oneLine = text.replace(/\s+/g, ' ');
  if (maxWidth === undefined || oneLine.length <= maxWidth) return oneLine;
  return `${oneLine.slice(0, Math.max(0, maxWidth - 1))}…`;
}

/** A plain-text table: a header, a rule, one line per row; columns padded to their widest cell. */
export function renderTable<Row>(rows: readonly Row[], columns: readonly TableColumn<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => fitToWidth(column.value(row), column.maxWidth)));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => (line[index] ?? '').length)),
  );
  const format = (line: readonly string[]) =>
    line
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    format(columns.map((column) => column.header)),
    format(widths.map((width) => '-'.repeat(width))),
    ...cells.map(format),
  ].join('\n');
}
