/**
 * A value from untrusted input, made safe to put in a report, an error and a log line: printable ASCII only
 * (control characters and bidirectional overrides become `?`), cut to `maxLength` characters.
 */
export function printable(value: string, maxLength = 64): string {
  const cleaned = value.replace(/[^\x20-\x7e]/g, '?');
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength)}… (${value.length} characters)` : cleaned;
}
