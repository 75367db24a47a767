/**
 * RFC 4180 CSV: a header line, a line per row, CRLF line ends, a field quoted when it holds a comma, a quote or a
 * line break. A field that a spreadsheet would read as a formula (`= + - @`, tab, carriage return first) gets a
 * leading `'`: report fields come from the attacker (a group name, a user agent).
 */
export function renderCsv<Row>(
  rows: readonly Row[],
  columns: readonly { readonly header: string; readonly value: (row: Row) => string }[],
): string {
  const field = (text: string) => {
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const line = (fields: readonly string[]) => fields.map(field).join(',');
  return [line(columns.map((column) => column.header)), ...rows.map((row) => line(columns.map((c) => c.value(row))))]
    .map((text) => `${text}\r\n`)
    .join('');
}
