/**
 * Numbers and amounts as people read them on a page: separators, currency symbols, compact chart
 * labels (`$30.67M`), and display ratios for chart geometry. Pure; money stays bigint cents and is
 * never a float. Used by the distribution report, compare's and accounting's HTML.
 */
import { divHalfUp, formatScaled } from './decimal.js';
import { formatMoneyHuman, grouped, parseMoney, type Cents } from './money.js';

/**
 * `part / whole` as a display coordinate in [0, 1] (6 significant places): bar heights and
 * positions. Computed in bigint so that no amount passes through a float; not money.
 */
export function displayRatio(part: Cents, whole: Cents): number {
  if (whole <= 0n || part <= 0n) return 0;
  const clamped = part > whole ? whole : part;
  return Number((clamped * 1_000_000n) / whole) / 1_000_000;
}

/**
 * A compact amount for chart labels: millions or thousands with two decimals, trailing zeros
 * dropped (`$92M`, `$30.67M`, `$42.5K`); below $1,000 the exact amount; zero is `$0`. Rounded half-up in bigint.
 */
export function compactMoney(c: Cents, symbol = '$'): string {
  const neg = c < 0n;
  const a = neg ? -c : c;
  const scaled = (unit: bigint, suffix: string): string => {
    const hundredths = divHalfUp(a * 100n, unit);
    const text = formatScaled(hundredths, 2).replace(/\.?0+$/, '');
    return `${neg ? '-' : ''}${symbol}${groupDecimal(text)}${suffix}`;
  };
  if (a === 0n) return `${symbol}0`;
  if (a >= 100_000_000_000n) return scaled(100_000_000_000n, 'B');
  if (a >= 100_000_000n) return scaled(100_000_000n, 'M');
  if (a >= 100_000n) return scaled(100_000n, 'K');
  return formatMoneyHuman(c, symbol);
}

/** Amounts written plainly in a sentence (`of the fund 92000000.00`) with separators and symbol. */
export function humanizeAmounts(text: string, symbol = '$'): string {
  return text.replace(/\b(\d+)\.(\d{2})\b(?!%)/g, (_m, whole: string, frac: string) =>
    formatMoneyHuman(parseMoney(`${whole}.${frac}`) as Cents, symbol),
  );
}

const SYMBOLS: Record<string, string> = { USD: '$', CAD: 'CA$', AUD: 'A$', EUR: '€', GBP: '£' };

/** The prefix used for amounts of a currency: `$` for USD, else the code and a space. */
export function currencySymbol(currency: string): string {
  return SYMBOLS[currency] ?? `${currency} `;
}

/**
 * `"1234567"` → `"1,234,567"`, `"13380.5"` → `"13,380.5"`, `"78206621/379"` → `"78,206,621/379"`:
 * a plain decimal (or fraction, or signed number) with separators in its whole part.
 */
export function groupDecimal(text: string): string {
  return text.replace(/(^|[^\d.])(\d{4,})/g, (_m, before: string, digits: string) => `${before}${grouped(BigInt(digits))}`);
}

/** A count with separators: `1234567` → `1,234,567`. */
export const countText = (n: number | bigint): string => grouped(n);
/** `no claims`, `1 claim`, `1,234 claims`. */
export const claimCount = (n: number): string => (n === 0 ? 'no claims' : `${countText(n)} ${n === 1 ? 'claim' : 'claims'}`);
/** Points as a decimal string of the core (`"13380.5"`): `1 point`, `13,380.5 points`. */
export const pointsText = (points: string): string => `${groupDecimal(points)} ${points === '1' ? 'point' : 'points'}`;
/** `1 row`, `1,234 rows` (`many` for irregular plurals). */
export const countOf = (n: number | bigint, one: string, many = `${one}s`): string => `${grouped(n)} ${n === 1 || n === 1n ? one : many}`;

/**
 * A money string of a file (`"1200000.00"`, as summary.json and the ledgers hold money) as people
 * read it: `$1,200,000.00`; null (no amount) is `-`. The text of the terminal and the pages;
 * machine files keep the plain string.
 */
export function moneyText(m: string | null, symbol = '$'): string {
  if (m === null) return '-';
  const neg = m.startsWith('-');
  const c = parseMoney(neg ? m.slice(1) : m);
  if (c === undefined) return m;
  return formatMoneyHuman(neg ? -c : c, symbol);
}

/** A piece of a case name: a docket number (`MDL 2948`, `No. 1:20-cv-04699-JZL`) or the text around it. */
export interface CaseNamePart {
  text: string;
  docket: boolean;
}

/**
 * Docket and MDL numbers with what names them: `MDL No. 2948`, `Case No. 5:18-md-02827-EJD`,
 * `No. 2019-CH-03145`, or any run that starts with a digit (`1:20-cv-04699`). A page keeps each
 * on one line: a browser would otherwise break it at a hyphen or after `MDL`.
 */
const DOCKET = /(?:\b(?:MDL|Case|Civil Action|Docket)\s+)?(?:\bNos?\.\s*)?\b\d(?:[\w:./‐–-]*\w)?/g;

/** A case name cut into docket numbers and the text between them, in order; joined, the parts give the name back. */
export function caseNameParts(name: string): CaseNamePart[] {
  const parts: CaseNamePart[] = [];
  let at = 0;
  for (const m of name.matchAll(DOCKET)) {
    const start = m.index;
    if (start > at) parts.push({ text: name.slice(at, start), docket: false });
    parts.push({ text: m[0], docket: true });
    at = start + m[0].length;
  }
  if (at < name.length) parts.push({ text: name.slice(at), docket: false });
  return parts;
}
