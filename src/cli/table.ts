/** Aligned text tables for the terminal: numbers right, text left, widths from the content. */
export type Align = 'left' | 'right';

/** Visible width, ignoring ANSI colour codes. */
const width = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;

export function renderTable(header: string[], rows: string[][], align: Align[], indent = ''): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) =>
    indent +
    r
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(cell)));
        return align[i] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** 1234567 → "1,234,567". */
export { grouped } from '../core/money.js';
