/**
 * The rules for one cell of a claims row (docs/spec.md §2), apart from any file: what a units,
 * status or class cell means and what is wrong with it. The reader (src/io/claim-fields.ts)
 * applies them once per distinct cell text.
 */
import { DECIMAL_LIMITS, digitLimitProblem, formatDec, parseDec, type Dec } from './decimal.js';

/** Units have at most this many decimal places (docs/spec.md §2). */
export const UNITS_MAX_DECIMALS = 6;

/**
 * A units cell (already trimmed): its value in shortest form (`"2.50"` → 2.5), or what is wrong.
 * A positive decimal with at most 6 decimal places. An empty cell is an error, not a silent 1:
 * units decide money, and a blank is more often a lost value than a default. (Leave the column
 * out to give every claim 1 unit.) Trailing zeros do not count as places.
 */
export function parseUnitsCell(text: string): Dec | string {
  if (text === '') return 'units is empty (write 1 for one unit, or leave out the units column to give every claim 1)';
  // Too long to be read at all, or too many whole digits (docs/safety.md); too many decimals: below.
  const whole = text.split('.')[0]?.replace(/^0+/, '') ?? '';
  if (/^[\d.]+$/.test(text) && (text.length > DECIMAL_LIMITS.characters || whole.length > DECIMAL_LIMITS.integerDigits)) {
    return `units "${text.length > 24 ? `${text.slice(0, 24)}…` : text}" ${digitLimitProblem(text, UNITS_MAX_DECIMALS) ?? ''}`;
  }
  const d = parseDec(text);
  if (d === undefined) {
    if (/^\d+,\d+$/.test(text)) return `units "${text}" uses a comma: write the decimal point as "." (e.g. ${text.replace(',', '.')})`;
    return `units "${text}" is not a positive decimal such as 1 or 2.5`;
  }
  if (d.n <= 0n) return `units must be greater than 0, found "${text}"`;
  const canonical = parseDec(formatDec(d)) as Dec;
  if (canonical.scale > UNITS_MAX_DECIMALS) return `units "${text}" has more than ${UNITS_MAX_DECIMALS} decimal places`;
  return canonical;
}

/** A status cell as compared with the plan's eligibleStatuses: trimmed and lower-cased; empty or absent means approved. */
export function normaliseStatus(cell: string): string {
  return cell.trim().toLowerCase() || 'approved';
}

/** A class cell as compared with the plan's class ids. */
export function classKey(cell: string): string {
  return cell.trim().toLowerCase();
}

/** The message for a class cell that names no class of the plan; `expected` lists the plan's ids. */
export function unknownClassMessage(cell: string, expected: string): string {
  const shown = cell.trim();
  return shown === '' ? `class is empty (expected: ${expected})` : `unknown class "${shown}" (expected: ${expected})`;
}
