/**
 * Allocation of a bucket plan (issue 14), in exact rationals of a cent:
 * 1. every bucket's floor is set aside first: a protected bucket's whole claimed sum, a bucket
 *    with maxReductionPercent the part it may not lose; floors above the net fund refuse the plan;
 * 2. buckets are funded in order from the net fund, each with min(its target, what is left once
 *    the later buckets' floors are kept back); a bucket's target is what is claimed in it, at most
 *    its totalCap (a residual bucket: what is left, at most its totalCap and its claims' caps);
 * 3. within a bucket the money is shared pro rata to what each claim claims (points buckets: to
 *    points), no claim above its cap (water-filling);
 * 4. minimum payment: while a claim's total would be below it, the claims with the smallest such
 *    total are removed and the shares follow (./minimum.ts: without redoing everything each time);
 * 5. cents per bucket by largest remainder, ties by SHA-256(seed:bucket_id:claim_id).
 * So Σ amounts + residual = net, exactly.
 */
import { largestRemainder } from '../cents.js';
import { ratFloor, type Rational } from '../decimal.js';
import type { Cents } from '../money.js';
import type { Problem } from '../problems.js';
import type { BucketClaim } from './claims.js';
import type { Bucket, BucketPlan } from './plan.js';
import { applyMinimum } from './minimum.js';
import { add, bucketTargets, claimCap, fundInOrder, waterFill, ZERO } from './funding.js';

export { waterFill } from './funding.js';

export type BucketOutcome = 'paid' | 'below_minimum' | 'nothing_claimed' | 'ineligible';

export interface BucketFigures {
  bucket: Bucket;
  /** Claims with something in the bucket (eligible, not removed by the minimum). */
  claims: number;
  /** Money claimed (after per-claim caps), exact cents; null for points buckets. */
  claimed: Rational | null;
  /** Points claimed (points buckets). */
  points: Rational | null;
  /** The money set aside for it before funding. */
  floor: Rational;
  /** The exact money the bucket got. */
  funded: Rational;
  /** Whole cents paid from it. */
  paid: Cents;
  /** Leftover cents placed by the largest-remainder rule. */
  centsPlaced: bigint;
}

export interface BucketAllocation {
  outcomes: BucketOutcome[];
  /** cents[claim][bucket], buckets in the plan's funding order. */
  cents: Cents[][];
  /** Exact shares, same shape. */
  shares: Rational[][];
  totals: Cents[];
  buckets: BucketFigures[];
  net: Cents;
  paid: Cents;
  residual: Cents;
}

export interface ExactRun {
  shares: Rational[][];
  figures: Omit<BucketFigures, 'paid' | 'centsPlaced'>[];
}

/** The exact allocation of the active claims, without the minimum payment. */
export function exactRun(plan: BucketPlan, claims: readonly BucketClaim[], active: readonly boolean[]): ExactRun | { refused: Problem } {
  const perBucket = plan.buckets.map((b, k) => {
    const w = claims.map((c, i) => (active[i] ? c.inputs[k]! : ZERO));
    const caps = w.map((x) => claimCap(b, x));
    const sumW = w.reduce(add, ZERO);
    const unbounded = w.some((x, i) => x.n > 0n && caps[i] === null);
    const demand = unbounded ? null : caps.reduce((acc: Rational, c, i) => (w[i]!.n > 0n ? add(acc, c ?? ZERO) : acc), ZERO);
    const claimed = b.kind === 'points' ? null : sumW;
    return { b, w, caps, sumW, claimed, ...bucketTargets(b, sumW, demand), count: w.filter((x) => x.n > 0n).length };
  });
  const funding = fundInOrder(plan.net, perBucket);
  if (funding === null) {
    const floors = perBucket.reduce((acc, x) => add(acc, x.floor), ZERO);
    const first = perBucket.find((x) => x.b.protected) ?? perBucket.find((x) => x.floor.n > 0n)!;
    return {
      refused: {
        code: 'plan_invalid',
        severity: 'error',
        field: `buckets[${first.b.index}].${first.b.protected ? 'protected' : 'maxReductionPercent'}`,
        message: `the protected buckets and reduction limits need ${formatCents(floors)}, above the net fund ${formatCents({ n: plan.net, d: 1n })}`,
      },
    };
  }
  const shares = claims.map(() => plan.buckets.map(() => ZERO));
  const figures: ExactRun['figures'] = [];
  for (const [k, x] of perBucket.entries()) {
    const funded = funding[k]!;
    const s = waterFill(x.w, x.caps, funded);
    s.forEach((v, i) => (shares[i]![k] = v));
    figures.push({ bucket: x.b, claims: x.count, claimed: x.claimed, points: x.b.kind === 'points' ? x.sumW : null, floor: x.floor, funded });
  }
  return { shares, figures };
}

function formatCents(r: Rational): string {
  const c = ratFloor(r);
  const s = c.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/**
 * Allocates a bucket plan. `tieKey(bucketId, claimId)` is SHA-256(seed:bucket_id:claim_id) in
 * lowercase hex (passed in: the core does not hash). Refused (a problem naming the plan's key)
 * when the protected buckets and reduction limits need more than the net fund.
 */
export function allocateBuckets(
  plan: BucketPlan,
  claims: readonly BucketClaim[],
  tieKey: (bucketId: string, claimId: string) => string,
): BucketAllocation | { refused: Problem } {
  const claimsSomething = claims.map((c) => c.eligible && c.inputs.some((x) => x.n > 0n));
  let run = exactRun(plan, claims, claimsSomething);
  if ('refused' in run) return run;
  let active = claimsSomething;
  if (plan.minimumPayment !== null) {
    active = applyMinimum(plan, claims, claimsSomething, plan.minimumPayment);
    if (active.some((a, i) => a !== claimsSomething[i])) {
      const again = exactRun(plan, claims, active);
      if ('refused' in again) return again;
      run = again;
    }
  }
  const removed = active.map((a, i) => claimsSomething[i]! && !a);
  const final = run;
  const centsOut = claims.map(() => plan.buckets.map(() => 0n));
  const buckets: BucketFigures[] = final.figures.map((f, k) => {
    const members = claims.map((_, i) => i).filter((i) => active[i] && final.shares[i]![k]!.n > 0n);
    const total = ratFloor(f.funded);
    const items = members.map((i) => ({ exact: final.shares[i]![k]!, key: tieKey(f.bucket.id, claims[i]!.id) }));
    const { cents: placed, extra } = largestRemainder(items, total);
    members.forEach((i, j) => (centsOut[i]![k] = placed[j]!));
    return { ...f, paid: total, centsPlaced: BigInt(extra.filter(Boolean).length) };
  });
  const totals = centsOut.map((row) => row.reduce((a, b) => a + b, 0n));
  const paid = totals.reduce((a, b) => a + b, 0n);
  const outcomes = claims.map((c, i): BucketOutcome => (!c.eligible ? 'ineligible' : removed[i] ? 'below_minimum' : claimsSomething[i] && totals[i]! > 0n ? 'paid' : 'nothing_claimed'));
  return { outcomes, cents: centsOut, shares: final.shares, totals, buckets, net: plan.net, paid, residual: plan.net - paid };
}
