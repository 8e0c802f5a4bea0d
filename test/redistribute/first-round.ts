/** Test helpers: a FirstRoundTable from simple rows, as src/io/first-round-reader.ts builds it from a ledger. */
import { parseMoney, type Cents } from '../../src/core/money.js';
import { FIRST_ROUND_OUTCOMES, parseShare, type FirstRoundOutcome, type FirstRoundTable } from '../../src/core/first-round.js';

export interface FirstRow {
  id: string;
  class: string;
  outcome: FirstRoundOutcome;
  /** Cents. */
  amount: Cents;
  /**
   * The ledger's share column in millionths of the currency unit (the second round's points).
   * Default: the amount itself (amount × 10^4), as if the first round's shares were whole cents.
   */
  share?: bigint;
}

export function money(text: string): Cents {
  const c = parseMoney(text);
  if (c === undefined) throw new Error(`bad money ${text}`);
  return c;
}

/** `"40.532500"` → 40532500n, as the first-round reader reads the share column. */
export function share(text: string): bigint {
  const s = parseShare(text);
  if (s === undefined) throw new Error(`bad share ${text}`);
  return s;
}

export const shareOf = (r: FirstRow): bigint => r.share ?? r.amount * 10_000n;

/** Classes in code-unit order and (amount, share) values in first-appearance order (the reader's order does not matter to amounts). */
export function makeFirstRound(rows: readonly FirstRow[]): FirstRoundTable {
  const classes = [...new Set(rows.map((r) => r.class))].sort();
  const amounts: Cents[] = [];
  const shares: bigint[] = [];
  const valueIdx = new Map<string, number>();
  const valueIndex = Uint32Array.from(rows, (r) => {
    const key = `${r.amount},${shareOf(r)}`;
    let i = valueIdx.get(key);
    if (i === undefined) {
      i = amounts.length;
      amounts.push(r.amount);
      shares.push(shareOf(r));
      valueIdx.set(key, i);
    }
    return i;
  });
  return {
    count: rows.length,
    ids: rows.map((r) => r.id),
    lines: Uint32Array.from(rows, (_, i) => i + 2),
    classes,
    classIndex: Uint32Array.from(rows, (r) => classes.indexOf(r.class)),
    amounts,
    shares,
    valueIndex,
    outcomeIndex: Uint8Array.from(rows, (r) => FIRST_ROUND_OUTCOMES.indexOf(r.outcome)),
  };
}

/** Flags for the rows whose ids are listed. */
export function uncashedFlags(rows: readonly FirstRow[], ids: Iterable<string>): Uint8Array {
  const set = new Set(ids);
  return Uint8Array.from(rows, (r) => (set.has(r.id) ? 1 : 0));
}
