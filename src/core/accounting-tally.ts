/**
 * One ledger's rows, tallied per class for the accounting: claims by outcome, and every payment
 * (a row with an amount above 0) kept in a BigInt64Array of cents, so the median is exact and a
 * million payments cost 8 MB, not a million objects. Fed row by row by the reader (src/io).
 */
import type { Cents } from './money.js';

/** A class's payments and outcomes in one round, finished (payments sorted). */
export interface ClassTally {
  id: string;
  claims: number;
  /** Claims per outcome, in the order first seen. */
  outcomes: Map<string, number>;
  /** Amounts above 0, in cents, ascending. */
  payments: BigInt64Array;
  total: Cents;
  /** Round 2 ledgers: claims whose first-round payment was uncashed, and its Σ first_amount. */
  uncashed: number;
  uncashedAmount: Cents;
}

class ClassBuilder {
  claims = 0;
  readonly outcomes = new Map<string, number>();
  payments = new BigInt64Array(64);
  count = 0;
  total: Cents = 0n;
  uncashed = 0;
  uncashedAmount: Cents = 0n;

  constructor(readonly id: string) {}

  add(outcome: string, amount: Cents, firstAmount: Cents | undefined): void {
    this.claims++;
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
    if (outcome === 'uncashed') {
      this.uncashed++;
      this.uncashedAmount += firstAmount ?? 0n;
    }
    if (amount <= 0n) return;
    if (this.count === this.payments.length) {
      const grown = new BigInt64Array(this.payments.length * 2);
      grown.set(this.payments);
      this.payments = grown;
    }
    this.payments[this.count++] = amount;
    this.total += amount;
  }

  finish(): ClassTally {
    const payments = this.payments.slice(0, this.count).sort();
    const { id, claims, outcomes, total, uncashed, uncashedAmount } = this;
    return { id, claims, outcomes, payments, total, uncashed, uncashedAmount };
  }
}

/** Tallies a ledger's rows per class, classes in the order first seen. */
export class LedgerTallier {
  readonly #classes = new Map<string, ClassBuilder>();

  add(classId: string, outcome: string, amount: Cents, firstAmount?: Cents): void {
    let c = this.#classes.get(classId);
    if (c === undefined) {
      c = new ClassBuilder(classId);
      this.#classes.set(classId, c);
    }
    c.add(outcome, amount, firstAmount);
  }

  finish(): ClassTally[] {
    return [...this.#classes.values()].map((c) => c.finish());
  }
}
