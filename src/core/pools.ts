/**
 * Pools (docs/spec.md §3): in weights mode one pool holds all of net; in pools mode each class is a
 * pool of N_k = net × poolPercent_k / 100, and the pools' cents are split by largest remainder
 * (4a) with the tie-break key SHA-256(seed + ":" + class id), the same key function as for claims.
 */
import { RAT_ZERO, ratMul, reduce, type Rational } from './decimal.js';
import { largestRemainder } from './cents.js';
import type { Cents } from './money.js';
import type { Plan } from './plan.js';

export interface PoolSplit {
  /** Pools mode: the class whose pool this is; weights mode: null. */
  classIndex: number | null;
  /** net × poolPercent / 100, exactly (weights mode: net). */
  exact: Rational;
  /** Whole cents of the pool. */
  net: Cents;
  /** Pools mode: whether the pool received one of the leftover cents of the split. */
  extraCent: boolean;
}

export function splitPools(plan: Pick<Plan, 'mode' | 'classes'>, net: Cents, tieKey: (id: string) => string): PoolSplit[] {
  if (plan.mode === 'weights') return [{ classIndex: null, exact: { n: net, d: 1n }, net, extraCent: false }];
  const exact = plan.classes.map((c) => {
    if (c.poolPercent === undefined) throw new RangeError(`class "${c.id}" has no poolPercent in a pools-mode plan`);
    return reduce(ratMul({ n: net, d: 100n }, c.poolPercent));
  });
  // The percents sum to exactly 100 (the plan schema checks it), so the exact pools sum to net.
  const { cents, extra } = largestRemainder(
    plan.classes.map((c, i) => ({ exact: exact[i] ?? RAT_ZERO, key: tieKey(c.id) })),
    net,
  );
  return plan.classes.map((_, i) => ({ classIndex: i, exact: exact[i]!, net: cents[i]!, extraCent: extra[i]! }));
}
