/**
 * One pool's exact shares (docs/spec.md §3): pro rata by points, a cap by water-filling, and the
 * minimum-payment rule, on groups of claims with equal points, each with a bigint count. Nothing
 * here is per claim, so 87,600,000 claimants (an estimate) cost as much as one.
 */
import { floorDiv, lcm, pow10, reduce, RAT_ZERO, type Rational } from './decimal.js';
import type { Cents } from './money.js';

/** Claims that share one points value. */
export interface PointsGroup {
  /** Points per claim; must be positive. */
  readonly points: Rational;
  /** Number of claims; a group with count 0 takes no part (its share is reported as 0). */
  readonly count: bigint;
}

export interface PoolRules {
  /** maximumPayment in cents, or null. */
  readonly cap: Cents | null;
  /** minimumPayment in cents, or null. */
  readonly minimum: Cents | null;
  /**
   * `per-point` rounding (docs/spec.md §4b): the minimum rule then looks at the amount actually paid
   * (p × v floored), not at the exact share. null for largest remainder and for estimates.
   */
  readonly perPointDecimals: number | null;
}

export type GroupOutcome = 'paid' | 'capped' | 'below_minimum';

export interface GroupShare {
  outcome: GroupOutcome;
  /**
   * The exact share of one claim of the group (0 when below the minimum). Not in lowest terms:
   * the uncapped shares of one pool all have the same denominator, so their fractional remainders
   * compare by numerator.
   */
  share: Rational;
  /** Per-point rounding only: what one claim of the group is paid (cap, or p × v floored). */
  perPointAmount: Cents | null;
}

export interface PoolSolution {
  /**
   * λ, the value of one point in cents: uncapped share = λ × points. null when no claim remains,
   * or when every remaining claim is capped (then no single level describes the pool).
   */
  level: Rational | null;
  /** Per-point rounding: v = λ floored to `decimals` places of the currency unit, in cents. */
  pointValue: Rational | null;
  /** Σ of the exact shares over all claims: an integer number of cents (N, or Σ caps, or 0). */
  exactTotal: Cents;
  /** Σ points × count over the groups with count > 0, and over those still paid. */
  eligiblePoints: Rational;
  paidPoints: Rational;
  /** Claims removed by the minimum rule, and claims paid exactly the cap. */
  belowMinimumClaims: bigint;
  cappedClaims: bigint;
  /** One entry per input group, in input order. */
  shares: GroupShare[];
}

/**
 * The state of a pool once the `r` smallest points values are removed: groups at index ≥ `s` are
 * capped; the others get λ·q with λ = num / den per scaled point.
 */
interface Level {
  r: number;
  s: number;
  /** N − cap × (claims capped) */
  num: bigint;
  /** Σ q × count over the uncapped groups (0 when none). */
  den: bigint;
}

/**
 * Solves one pool holding `net` cents for claims in `groups`.
 *
 * Water-filling: with the groups sorted by points, f(λ) = Σ min(c, λ·p)·count is increasing, and
 * a group is capped exactly when f(c / p) ≤ N. That test is monotone in p, so a binary search
 * finds the capped groups without iterating "cap, recompute, cap again".
 *
 * Minimum rule: removing the smallest points values only raises λ, and the smallest remaining
 * points value grows, so "the smallest remaining claims meet the minimum" is monotone in the
 * number removed; the while-loop of docs/spec.md §3 stops at the first number for which it holds,
 * which a binary search finds too.
 */
export function solvePool(net: Cents, groups: readonly PointsGroup[], rules: PoolRules): PoolSolution {
  if (net < 0n) throw new RangeError('a pool cannot hold a negative amount');
  const cap = rules.cap;
  const minimum = rules.minimum !== null && rules.minimum > 0n ? rules.minimum : null;

  // Scale every points value to an integer q = p × D over one common denominator D.
  let D = 1n;
  const dens = new Set<bigint>();
  for (const g of groups) {
    if (g.count < 0n) throw new RangeError('a group cannot have a negative count');
    if (g.count === 0n) continue;
    if (g.points.d <= 0n || g.points.n <= 0n) throw new RangeError('points must be positive');
    if (!dens.has(g.points.d)) {
      dens.add(g.points.d);
      D = lcm(D, g.points.d);
    }
  }
  // Merge equal points values: the minimum rule removes all claims of a points value at once.
  const slotOfQ = new Map<bigint, number>();
  const qRaw: bigint[] = [];
  const nRaw: bigint[] = [];
  const slotOfGroup = new Int32Array(groups.length).fill(-1);
  groups.forEach((g, i) => {
    if (g.count === 0n) return;
    const q = g.points.n * (D / g.points.d);
    let slot = slotOfQ.get(q);
    if (slot === undefined) {
      slot = qRaw.length;
      slotOfQ.set(q, slot);
      qRaw.push(q);
      nRaw.push(0n);
    }
    nRaw[slot]! += g.count;
    slotOfGroup[i] = slot;
  });
  const G = qRaw.length;
  const order = Array.from({ length: G }, (_, i) => i).sort((a, b) => (qRaw[a]! < qRaw[b]! ? -1 : qRaw[a]! > qRaw[b]! ? 1 : 0));
  const rankOf = new Int32Array(G);
  order.forEach((slot, k) => (rankOf[slot] = k));
  const q = order.map((slot) => qRaw[slot]!);
  const n = order.map((slot) => nRaw[slot]!);
  // PQ[i] = Σ_{k<i} q_k n_k, PN[i] = Σ_{k<i} n_k
  const PQ: bigint[] = [0n];
  const PN: bigint[] = [0n];
  for (let k = 0; k < G; k++) {
    PQ.push(PQ[k]! + q[k]! * n[k]!);
    PN.push(PN[k]! + n[k]!);
  }
  const qAt = (k: number): bigint => q[k]!;
  const totalN = PN[G]!;
  const totalQ = PQ[G]!;

  // f(c / q_g) ≤ N, times q_g: groups g..G−1 at the cap, groups r..g−1 at (c / q_g)·q.
  const cappedAt = (g: number, r: number, c: bigint): boolean =>
    c * (totalN - PN[g]!) * qAt(g) + c * (PQ[g]! - PQ[r]!) <= net * qAt(g);

  const levelAt = (r: number): Level => {
    if (r >= G) return { r, s: G, num: 0n, den: 0n };
    let s = G;
    if (cap !== null) {
      let lo = r;
      let hi = G;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cappedAt(mid, r, cap)) hi = mid;
        else lo = mid + 1;
      }
      s = lo;
    }
    if (s === r) return { r, s, num: 0n, den: 0n };
    return { r, s, num: net - (cap ?? 0n) * (totalN - PN[s]!), den: PQ[s]! - PQ[r]! };
  };

  const perPoint = rules.perPointDecimals;
  // v = λ (cents per point = num·D / den) floored to `decimals` places of the currency unit.
  const pointValueOf = (lv: Level): Rational | null => {
    if (perPoint === null || lv.s <= lv.r) return null;
    const scale = pow10(perPoint);
    return { n: floorDiv(lv.num * D * scale, lv.den * 100n) * 100n, d: scale };
  };
  const perPointAmountOf = (k: number, v: Rational): Cents => floorDiv(qAt(k) * v.n, D * v.d);

  // Does the smallest remaining points value (group r) meet the minimum?
  const meetsMinimum = (r: number, min: Cents): boolean => {
    if (r >= G) return true;
    const lv = levelAt(r);
    if (lv.s === r) return (cap ?? 0n) >= min; // all capped (cap ≥ minimum in a valid plan)
    if (perPoint !== null) return perPointAmountOf(r, pointValueOf(lv) as Rational) >= min;
    return lv.num * qAt(r) >= min * lv.den;
  };

  const removed = minimum === null ? 0 : firstIndexWhere(G, (r) => meetsMinimum(r, minimum));
  const lv = levelAt(removed);
  const v = pointValueOf(lv);
  const hasLevel = lv.s > lv.r;

  const shareOfRank = (k: number): GroupShare => {
    if (k < lv.r) return { outcome: 'below_minimum', share: RAT_ZERO, perPointAmount: perPoint === null ? null : 0n };
    if (k >= lv.s) return { outcome: 'capped', share: { n: cap ?? 0n, d: 1n }, perPointAmount: perPoint === null ? null : (cap ?? 0n) };
    return {
      outcome: 'paid',
      share: { n: lv.num * qAt(k), d: lv.den },
      perPointAmount: v === null ? null : perPointAmountOf(k, v),
    };
  };
  const byRank = Array.from({ length: G }, (_, k) => shareOfRank(k));
  const shares = groups.map((_, i): GroupShare => {
    const slot = slotOfGroup[i]!;
    if (slot < 0) return { outcome: 'paid', share: RAT_ZERO, perPointAmount: perPoint === null ? null : 0n };
    return byRank[rankOf[slot]!]!;
  });

  const cappedClaims = totalN - PN[lv.s]!;
  return {
    level: hasLevel ? reduce({ n: lv.num * D, d: lv.den }) : null,
    pointValue: v === null ? null : reduce(v),
    exactTotal: hasLevel ? net : (cap ?? 0n) * cappedClaims,
    eligiblePoints: reduce({ n: totalQ, d: D }),
    paidPoints: reduce({ n: totalQ - PQ[lv.r]!, d: D }),
    belowMinimumClaims: PN[lv.r]!,
    cappedClaims,
    shares,
  };
}

/**
 * The smallest i in [0, n] for which `ok(i)` holds, for a predicate that once true stays true
 * (n when it holds nowhere below n): how many of the smallest groups the minimum rule removes.
 */
export function firstIndexWhere(n: number, ok: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
