/**
 * Cells of the CSV files payout writes (docs/spec.md §5). Two rules, both reversible:
 * - a text cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
 *   carriage return) gets a leading `'`; so does a cell that already starts with `'`, so that
 *   reading back (drop one leading `'`) returns exactly what was written;
 * - RFC 4180 quoting: a cell holding the delimiter, a quote, CR or LF is quoted, quotes doubled.
 * Money, shares, units and points are never escaped: payout writes them itself, unsigned.
 */

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', "'"]);

/** Guards a text cell against formula injection. */
export function defuseFormula(text: string): string {
  return text.length > 0 && FORMULA_START.has(text[0] as string) ? `'${text}` : text;
}

/** Undoes defuseFormula when reading a file payout wrote. */
export function restoreFormula(text: string): string {
  return text.length > 1 && text[0] === "'" && FORMULA_START.has(text[1] as string) ? text.slice(1) : text;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** A CSV field, quoted only when it must be. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A text cell as payout writes it: defused, then quoted if needed. */
export function textCell(text: string): string {
  return csvField(defuseFormula(text));
}
