/**
 * The second distribution (docs/spec.md §6 and §6a) written plainly per row, the oracle the
 * property tests and the bucket round-two test compare payout with: per-row rationals, points =
 * the first-round share (a bucket plan's: its amount), the textbook iterative water-fill with each
 * claim's own room (cap − first AMOUNT), the literal while-loop of the minimum rule, a full sort for
 * the remainder cents.
 */
import { expect } from 'vitest';
import { rat, ratAdd, ratCmp, ratFloor, ratMul, ratSub, type Rational } from '../../src/core/decimal.js';
import type { Cents } from '../../src/core/money.js';
import type { Plan } from '../../src/core/plan.js';
import { roundTwoSeed, type RedistributionOutcome } from '../../src/core/redistribute.js';
import { tieKeyer } from '../../src/io/hash.js';
import { shareOf, type FirstRow } from './first-round.js';

export type RoundPlan = Pick<Plan, 'maximumPayment' | 'minimumPayment' | 'rounding' | 'seed'>;

export interface Ref {
  outcome: RedistributionOutcome[];
  amount: Cents[];
  residual: Cents;
}

export function reference(plan: RoundPlan, rows: readonly FirstRow[], uncashed: ReadonlySet<string>, available: Cents): Ref {
  const key = tieKeyer(roundTwoSeed(plan));
  const n = rows.length;
  const outcome: RedistributionOutcome[] = rows.map((r) =>
    uncashed.has(r.id) ? 'uncashed' : (r.outcome === 'paid' || r.outcome === 'capped') && r.amount > 0n ? 'paid' : 'ineligible',
  );
  const share: Rational[] = rows.map(() => rat(0n));
  const cap = plan.maximumPayment;
  const min = plan.minimumPayment !== null && plan.minimumPayment > 0n ? plan.minimumPayment : null;
  const room = rows.map((r) => (cap === null ? null : cap > r.amount ? cap - r.amount : 0n));
  const points = rows.map(shareOf);
  let active: number[] = [];
  for (let i = 0; i < n; i++) {
    if (outcome[i] !== 'paid') continue;
    const rm = room[i]!;
    if (rm !== null && rm < (min ?? 1n)) outcome[i] = 'capped';
    else active.push(i);
  }
  // The minimum rule, literally: while the smallest points get less than the minimum, drop them all.
  for (;;) {
    // Iterative water-fill: cap whoever reaches their room, recompute, until nobody new is capped.
    const capped = new Set<number>();
    for (;;) {
      const free = active.filter((i) => !capped.has(i));
      const left = active.filter((i) => capped.has(i)).reduce((a, i) => a - room[i]!, available);
      const total = free.reduce((a, i) => a + points[i]!, 0n);
      const lambda = total === 0n ? rat(0n) : rat(left, total);
      const newly = free.filter((i) => room[i] !== null && ratCmp(ratMul(lambda, rat(points[i]!)), rat(room[i]!)) >= 0);
      if (newly.length === 0) {
        for (const i of active) share[i] = capped.has(i) ? rat(room[i]!) : ratMul(lambda, rat(points[i]!));
        for (const i of active) outcome[i] = capped.has(i) ? 'capped' : 'paid';
        break;
      }
      for (const i of newly) capped.add(i);
    }
    if (min === null || active.length === 0) break;
    const smallest = active.reduce((a, i) => (points[i]! < a ? points[i]! : a), points[active[0]!]!);
    const low = active.filter((i) => points[i] === smallest);
    if (low.every((i) => ratCmp(share[i]!, rat(min)) >= 0)) break;
    for (const i of low) {
      outcome[i] = 'below_minimum';
      share[i] = rat(0n);
    }
    active = active.filter((i) => points[i] !== smallest);
  }
  const amount = share.map((s) => ratFloor(s));
  if (plan.rounding.method === 'largest-remainder') {
    const total = share.reduce((a, s) => ratAdd(a, s), rat(0n));
    let k = ratFloor(total) - amount.reduce((a, b) => a + b, 0n);
    expect(ratSub(total, rat(ratFloor(total))).n).toBe(0n); // Σ exact shares is whole cents
    const order = rows
      .map((_, i) => i)
      .filter((i) => outcome[i] === 'paid')
      .sort((a, b) => ratCmp(ratSub(share[b]!, rat(amount[b]!)), ratSub(share[a]!, rat(amount[a]!))) || (key(rows[a]!.id) < key(rows[b]!.id) ? -1 : 1));
    for (const i of order) {
      if (k === 0n) break;
      if (ratSub(share[i]!, rat(amount[i]!)).n === 0n) break;
      amount[i]! += 1n;
      k--;
    }
    expect(k).toBe(0n);
  }
  const paid = amount.reduce((a, b) => a + b, 0n);
  return { outcome, amount, residual: available - paid };
}

