/**
 * The water-fill of a second distribution (docs/spec.md §3 and §6): one pool, points = the
 * first-round exact share (the first ledger's share column, in millionths of the currency unit),
 * and a cap that differs per claim, the room left under maximumPayment after the first round.
 * solvePool (waterfill.ts) takes one cap for the whole pool; here each group carries its own room.
 *
 * share_g = min(room_g, λ·p_g) with λ the one value that makes Σ share = N. A group is capped
 * exactly when its threshold room_g / p_g ≤ λ, so, with the groups sorted by threshold, the capped
 * ones are a prefix, found by one walk (f(λ) is increasing, so "f(threshold) ≤ N" is monotone).
 * The minimum rule removes the smallest points values while the smallest remaining one gets less
 * than the minimum; removing claims only raises λ, so that test is monotone in the number of
 * points values removed (a capped group always meets the minimum: rooms below it are left out
 * before the fill) and a binary search finds where the while-loop of docs/spec.md §3 would stop.
 *
 * Several groups may have the same points (claims of equal first-round share paid amounts a cent
 * apart have rooms a cent apart): the minimum rule counts points VALUES, never groups, so all
 * claims with one points value are kept or removed together.
 *
 * Everything is per group, never per claim: a million cashed checks of $397.00 are one group.
 */
import { reduce, RAT_ZERO, type Rational } from './decimal.js';
import type { Cents } from './money.js';
import { firstIndexWhere } from './waterfill.js';

export interface RoomGroup {
  /** Points per claim: a positive integer (the first-round exact share in millionths of the currency unit). */
  readonly points: bigint;
  /** Claims in the group (> 0). */
  readonly count: bigint;
  /** Room per claim under the cap in cents (> 0), or null when the plan has no cap. */
  readonly room: Cents | null;
}

export type FillOutcome = 'paid' | 'capped' | 'below_minimum';

export interface FillShare {
  outcome: FillOutcome;
  /**
   * Exact share of one claim, in cents. Uncapped shares all have the same denominator (Σ points of
   * the uncapped groups), so their fractional remainders compare by numerator. Not in lowest terms.
   */
  share: Rational;
}

export interface FillSolution {
  /** λ, cents per point; null when no uncapped claim remains. */
  level: Rational | null;
  /** Σ of the exact shares: N when some claim is uncapped, else Σ rooms paid (≤ N), 0 when none remain. */
  exactTotal: Cents;
  belowMinimumClaims: bigint;
  /** Distinct points values removed by the minimum rule (the rounds of its while-loop). */
  removedValues: number;
  cappedClaims: bigint;
  /** Σ room × count over the capped groups: what comes off N before the pro rata split. */
  cappedTotal: Cents;
  /** Σ points × count over the groups paid pro rata (the divisor of their shares). */
  uncappedPoints: bigint;
  /** One entry per input group, in input order. */
  shares: FillShare[];
}

interface Level {
  /** Σ room × count over the capped groups. */
  cappedTotal: bigint;
  /** Σ points × count over the uncapped groups. */
  uncappedPoints: bigint;
  /** Whether each group (by input index) is capped at this level. */
  capped: Uint8Array;
}

/**
 * Solves the pool of `net` cents over `groups`, with `minimum` in cents (null or 0: none). Groups
 * may share a points value; the minimum rule removes a points value with all its groups.
 */
export function fillWithRooms(net: Cents, groups: readonly RoomGroup[], minimum: Cents | null): FillSolution {
  if (net < 0n) throw new RangeError('a pool cannot hold a negative amount');
  const G = groups.length;
  for (const g of groups) {
    if (g.points <= 0n || g.count <= 0n) throw new RangeError('a group needs positive points and count');
    if (g.room !== null && g.room <= 0n) throw new RangeError('a group with no room takes no part in the fill');
  }
  // Points order, for the minimum rule; threshold order (room / points, no cap last), for the cap.
  const byPoints = Array.from({ length: G }, (_, i) => i).sort((a, b) => cmp(groups[a]!.points, groups[b]!.points));
  const byThreshold = Array.from({ length: G }, (_, i) => i).sort((a, b) => {
    const x = groups[a]!;
    const y = groups[b]!;
    if (x.room === null || y.room === null) return (x.room === null ? 1 : 0) - (y.room === null ? 1 : 0) || a - b;
    return cmp(x.room * y.points, y.room * x.points) || a - b;
  });
  // rankOf: the rank of a group's points VALUE (groups of equal points share it); D distinct values.
  const rankOf = new Int32Array(G);
  let D = 0;
  byPoints.forEach((g, k) => {
    if (k > 0 && groups[g]!.points !== groups[byPoints[k - 1]!]!.points) D++;
    rankOf[g] = D;
  });
  if (G > 0) D++;

  /** The level once the `r` smallest points values are removed. */
  const levelAt = (r: number): Level => {
    const capped = new Uint8Array(G);
    let uncappedPoints = 0n;
    for (let i = 0; i < G; i++) {
      if (rankOf[i]! < r) continue;
      const g = groups[i]!;
      uncappedPoints += g.points * g.count;
    }
    let cappedTotal = 0n;
    for (const i of byThreshold) {
      if (rankOf[i]! < r) continue;
      const g = groups[i]!;
      if (g.room === null) break;
      // Capped iff f(room / p) ≤ N; times p: (capped so far + this one) · p + room · (rest) ≤ N · p.
      const withThis = cappedTotal + g.room * g.count;
      const rest = uncappedPoints - g.points * g.count;
      if (withThis * g.points + g.room * rest > net * g.points) break;
      capped[i] = 1;
      cappedTotal = withThis;
      uncappedPoints = rest;
    }
    return { cappedTotal, uncappedPoints, capped };
  };

  // Does the smallest remaining points value (rank r) get at least the minimum? Its uncapped
  // groups all get λ·p; a capped one gets its room, which is ≥ the minimum.
  const meetsMinimum = (r: number, min: Cents): boolean => {
    if (r >= D) return true;
    const lv = levelAt(r);
    for (let i = 0; i < G; i++) {
      if (rankOf[i] !== r || lv.capped[i] === 1) continue;
      return (net - lv.cappedTotal) * groups[i]!.points >= min * lv.uncappedPoints;
    }
    return true;
  };

  const removed = minimum !== null && minimum > 0n ? firstIndexWhere(D, (r) => meetsMinimum(r, minimum)) : 0;
  const lv = levelAt(removed);
  const rest = net - lv.cappedTotal;
  let belowMinimumClaims = 0n;
  let cappedClaims = 0n;
  const shares = groups.map((g, i): FillShare => {
    if (rankOf[i]! < removed) {
      belowMinimumClaims += g.count;
      return { outcome: 'below_minimum', share: RAT_ZERO };
    }
    if (lv.capped[i] === 1) {
      cappedClaims += g.count;
      return { outcome: 'capped', share: { n: g.room as bigint, d: 1n } };
    }
    return { outcome: 'paid', share: { n: rest * g.points, d: lv.uncappedPoints } };
  });
  const hasLevel = lv.uncappedPoints > 0n;
  return {
    level: hasLevel ? reduce({ n: rest, d: lv.uncappedPoints }) : null,
    exactTotal: hasLevel ? net : lv.cappedTotal,
    belowMinimumClaims,
    removedValues: removed,
    cappedClaims,
    cappedTotal: lv.cappedTotal,
    uncappedPoints: lv.uncappedPoints,
    shares,
  };
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
