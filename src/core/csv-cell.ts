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
  // By character code (a one-character string and a Set lookup per cell cost more); FORMULA_START's characters.
  if (text.length === 0) return text;
  const c = text.charCodeAt(0);
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d || c === 0x27 ? `'${text}` : text;
}

/** Undoes defuseFormula when reading a file payout wrote. */
export function restoreFormula(text: string): string {
  return text.length > 1 && text[0] === "'" && FORMULA_START.has(text[1] as string) ? text.slice(1) : text;
}

/** A CSV field, quoted only when it must be. */
export function csvField(text: string): string {
  // A loop over the characters: cells are short, and a regex test per cell cost more.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a) return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** A text cell as payout writes it: defused, then quoted if needed. */
export function textCell(text: string): string {
  return csvField(defuseFormula(text));
}
