import { terminalText } from '@trim-dse/core';

export { terminalText };

/** Aligned plain-text columns; numeric columns right-aligned. Cells are escaped for terminals (names come from files). */
export function formatTable(rawHeader: readonly string[], rawRows: readonly (readonly string[])[], options: { alignRight?: readonly number[] } = {}): string {
  const header = rawHeader.map((c) => terminalText(c));
  const rows = rawRows.map((r) => r.map((c) => terminalText(c ?? '')));
  const right = new Set(options.alignRight ?? []);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Thousands-separated integers, or 4 significant digits. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) || Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(4);
}
