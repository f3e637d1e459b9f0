/**
 * RFC 4180 CSV: records end in CRLF; a field holding a comma, a quote, CR or LF is quoted, its quotes doubled. A text
 * field a spreadsheet would read as a formula (starting with =, +, -, @, a tab or CR: layer names come from ONNX and
 * CSV files anyone writes) is prefixed with a single quote, as OWASP advises for CSV injection; numbers are written
 * as numbers.
 */
export function csvField(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(fields: ReadonlyArray<string | number>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** A whole CSV document: a header record, then the rows. */
export function csvDocument(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return csvRecord(header) + rows.map(csvRecord).join('');
}
