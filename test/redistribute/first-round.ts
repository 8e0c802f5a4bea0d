/** Test helpers: a FirstRoundTable from simple rows, as src/io/first-round-reader.ts builds it from a ledger. */
import { parseMoney, type Cents } from '../../src/core/money.js';
import { FIRST_ROUND_OUTCOMES, type FirstRoundOutcome, type FirstRoundTable } from '../../src/core/redistribute.js';

export interface FirstRow {
  id: string;
  class: string;
  outcome: FirstRoundOutcome;
  /** Cents. */
  amount: Cents;
}

export function money(text: string): Cents {
  const c = parseMoney(text);
  if (c === undefined) throw new Error(`bad money ${text}`);
  return c;
}

/** Classes in code-unit order and amounts in first-appearance order (the reader's order does not matter to amounts). */
export function makeFirstRound(rows: readonly FirstRow[]): FirstRoundTable {
  const classes = [...new Set(rows.map((r) => r.class))].sort();
  const amounts: Cents[] = [];
  const amountIdx = new Map<Cents, number>();
  const amountIndex = Uint32Array.from(rows, (r) => {
    let i = amountIdx.get(r.amount);
    if (i === undefined) {
      i = amounts.length;
      amounts.push(r.amount);
      amountIdx.set(r.amount, i);
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
    amountIndex,
    outcomeIndex: Uint8Array.from(rows, (r) => FIRST_ROUND_OUTCOMES.indexOf(r.outcome)),
  };
}

/** Flags for the rows whose ids are listed. */
export function uncashedFlags(rows: readonly FirstRow[], ids: Iterable<string>): Uint8Array {
  const set = new Set(ids);
  return Uint8Array.from(rows, (r) => (set.has(r.id) ? 1 : 0));
}
