/**
 * Money in the core is a bigint count of cents (the currency's minor unit). It enters as a decimal
 * string with at most 2 places and leaves as one; it never passes through a JavaScript number.
 */
import { formatScaled } from './decimal.js';

export type Cents = bigint;

const MONEY = /^(\d+)(?:\.(\d{1,2}))?$/;

/** `"1200000.00"` → `120000000n`; undefined when not a non-negative amount with ≤ 2 decimals. */
export function parseMoney(text: string): Cents | undefined {
  const m = MONEY.exec(text);
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(2, '0');
  return BigInt((m[1] ?? '') + frac);
}

/** `120000000n` → `"1200000.00"`. */
export function formatMoney(c: Cents): string {
  return formatScaled(c, 2);
}

/**
 * 1234567 → "1,234,567" (a count for people). The one digit grouping of payout's human text:
 * display-numbers.ts builds every other format for people on it.
 */
export function grouped(n: number | bigint): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `120000000n` → `"$1,200,000.00"` for people (never for files that are read back). */
export function formatMoneyHuman(c: Cents, symbol = '$'): string {
  const neg = c < 0n;
  const [whole = '0', frac = '00'] = formatScaled(neg ? -c : c, 2).split('.');
  return `${neg ? '-' : ''}${symbol}${grouped(BigInt(whole))}.${frac}`;
}
