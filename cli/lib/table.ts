/** Plain-text tables and number formats for the CLI's output. Pure functions. */

export interface TableOptions {
  /** Cells longer than this are cut with an ellipsis. Default 60. */
  maxCellWidth?: number;
}

const ellipsis = '…';

export function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, Math.max(0, max - 1))}${ellipsis}`;
}

/**
 * Left-aligned columns separated by two spaces; the last column is not padded, so no line ends in
 * spaces. Returns the lines joined by `\n`, without a trailing newline.
 */
export function renderTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const max = options.maxCellWidth ?? 60;
  const cells = [headers, ...rows].map((row) => headers.map((_, i) => truncate(row[i] ?? '', max)));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .map((line) => line.trimEnd())
    .join('\n');
}

/** `label  value` pairs, labels padded to one width. */
export function renderKeyValues(pairs: [string, string][]): string {
  const width = Math.max(0, ...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${key.padEnd(width)}  ${value}`.trimEnd()).join('\n');
}

/** 1234567 → `1,234,567` (fixed locale, so output does not depend on the machine). */
export function formatCount(value: number): string {
  return Math.trunc(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 0.1234 → `12.3%` */
export function formatPercent(ratio: number): string {
  return `${(Number.isFinite(ratio) ? ratio * 100 : 0).toFixed(1)}%`;
}
