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
 *    total are removed and everything is computed again;
 * 5. cents per bucket by largest remainder, ties by SHA-256(seed:bucket_id:claim_id).
 * So Σ amounts + residual = net, exactly.
 */
import { largestRemainder } from '../cents.js';
import { ratCmp, ratFloor, reduce, type Rational } from '../decimal.js';
import type { Cents } from '../money.js';
import type { Problem } from '../problems.js';
import type { BucketClaim } from './claims.js';
import type { Bucket, BucketPlan } from './plan.js';

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

const ZERO: Rational = { n: 0n, d: 1n };
const add = (a: Rational, b: Rational): Rational => (a.n === 0n ? b : b.n === 0n ? a : reduce({ n: a.n * b.d + b.n * a.d, d: a.d * b.d }));
const sub = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.d - b.n * a.d, d: a.d * b.d });
const mul = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.n, d: a.d * b.d });
const div = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.d, d: a.d * b.n });
const min = (a: Rational, b: Rational | null): Rational => (b === null || ratCmp(a, b) <= 0 ? a : b);
const cents = (c: Cents | null): Rational | null => (c === null ? null : { n: c, d: 1n });

/**
 * Shares `money` among weights `w` with caps `cap` (null: none): share_i = min(cap_i, λ·w_i),
 * Σ share = money (money ≤ Σ cap). Claims are taken by cap/weight, smallest first.
 */
export function waterFill(w: readonly Rational[], cap: readonly (Rational | null)[], money: Rational): Rational[] {
  const out = w.map(() => ZERO);
  const live = w.map((_, i) => i).filter((i) => w[i]!.n > 0n);
  const capped = live.filter((i) => cap[i] !== null).map((i) => ({ i, ratio: div(cap[i]!, w[i]!) }));
  capped.sort((a, b) => ratCmp(a.ratio, b.ratio));
  let left = money;
  let weight = live.reduce((acc, i) => add(acc, w[i]!), ZERO);
  const done = new Set<number>();
  for (const { i, ratio } of capped) {
    if (weight.n === 0n || ratCmp(ratio, div(left, weight)) > 0) break;
    out[i] = cap[i]!;
    left = sub(left, cap[i]!);
    weight = sub(weight, w[i]!);
    done.add(i);
  }
  if (weight.n > 0n) {
    const lambda = div(left, weight);
    for (const i of live) if (!done.has(i)) out[i] = mul(lambda, w[i]!);
  }
  return out;
}

/** A claim's cap in a bucket: what it claims (money buckets), raised for a residual bucket. */
function claimCap(b: Bucket, input: Rational): Rational | null {
  if (b.kind === 'points') return cents(b.perClaimCap);
  if (!b.residual) return input;
  const raised = b.maxIncrease === null ? null : mul(input, add({ n: 1n, d: 1n }, b.maxIncrease));
  return raised === null ? cents(b.perClaimCap) : min(raised, cents(b.perClaimCap));
}

interface ExactRun {
  shares: Rational[][];
  figures: Omit<BucketFigures, 'paid' | 'centsPlaced'>[];
}

function exactRun(plan: BucketPlan, claims: readonly BucketClaim[], active: readonly boolean[]): ExactRun | { refused: Problem } {
  const perBucket = plan.buckets.map((b, k) => {
    const w = claims.map((c, i) => (active[i] ? c.inputs[k]! : ZERO));
    const caps = w.map((x) => claimCap(b, x));
    const sumW = w.reduce(add, ZERO);
    const unbounded = w.some((x, i) => x.n > 0n && caps[i] === null);
    const demand = unbounded ? null : caps.reduce((acc: Rational, c, i) => (w[i]!.n > 0n ? add(acc, c ?? ZERO) : acc), ZERO);
    const claimed = b.kind === 'points' ? null : sumW;
    // (a residual points bucket with no caps has no nominal sum; it is never protected)
    const nominal = b.kind === 'points' ? min(demand ?? cents(b.totalCap) ?? ZERO, cents(b.totalCap)) : min(sumW, cents(b.totalCap));
    const floor = b.protected ? nominal : b.maxReduction !== null ? mul(nominal, sub({ n: 1n, d: 1n }, b.maxReduction)) : ZERO;
    const target = demand === null ? cents(b.totalCap) : min(demand, cents(b.totalCap));
    return { b, w, caps, sumW, claimed, floor, target, count: w.filter((x) => x.n > 0n).length };
  });
  const floors = perBucket.reduce((acc, x) => add(acc, x.floor), ZERO);
  const net: Rational = { n: plan.net, d: 1n };
  if (ratCmp(floors, net) > 0) {
    const first = perBucket.find((x) => x.b.protected) ?? perBucket.find((x) => x.floor.n > 0n)!;
    return {
      refused: {
        code: 'plan_invalid',
        severity: 'error',
        field: `buckets[${first.b.index}].${first.b.protected ? 'protected' : 'maxReductionPercent'}`,
        message: `the protected buckets and reduction limits need ${formatCents(floors)}, above the net fund ${formatCents(net)}`,
      },
    };
  }
  let left = net;
  let keptBack = floors;
  const shares = claims.map(() => plan.buckets.map(() => ZERO));
  const figures: ExactRun['figures'] = [];
  for (const [k, x] of perBucket.entries()) {
    keptBack = sub(keptBack, x.floor);
    const available = sub(left, keptBack);
    const funded = x.sumW.n === 0n ? ZERO : min(available, x.target);
    left = sub(left, funded);
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
  const active = [...claimsSomething];
  const removed = claims.map(() => false);
  let run: ExactRun;
  for (;;) {
    const r = exactRun(plan, claims, active);
    if ('refused' in r) return r;
    run = r;
    if (plan.minimumPayment === null) break;
    // Compared with the sum of the floored bucket shares: the cents paid are never less.
    let smallest: Rational | null = null;
    const low: number[] = [];
    run.shares.forEach((row, i) => {
      if (!active[i]) return;
      const floors = row.reduce((acc, s) => acc + ratFloor(s), 0n);
      if (floors >= (plan.minimumPayment as bigint)) return;
      const total = row.reduce(add, ZERO);
      low.push(i);
      if (smallest === null || ratCmp(total, smallest) < 0) smallest = total;
    });
    if (low.length === 0) break;
    for (const i of low) {
      if (ratCmp(run.shares[i]!.reduce(add, ZERO), smallest!) === 0) {
        active[i] = false;
        removed[i] = true;
      }
    }
  }
  const centsOut = claims.map(() => plan.buckets.map(() => 0n));
  const buckets: BucketFigures[] = run.figures.map((f, k) => {
    const members = claims.map((_, i) => i).filter((i) => active[i] && run.shares[i]![k]!.n > 0n);
    const total = ratFloor(f.funded);
    const items = members.map((i) => ({ exact: run.shares[i]![k]!, key: tieKey(f.bucket.id, claims[i]!.id) }));
    const { cents: placed, extra } = largestRemainder(items, total);
    members.forEach((i, j) => (centsOut[i]![k] = placed[j]!));
    return { ...f, paid: total, centsPlaced: BigInt(extra.filter(Boolean).length) };
  });
  const totals = centsOut.map((row) => row.reduce((a, b) => a + b, 0n));
  const paid = totals.reduce((a, b) => a + b, 0n);
  const outcomes = claims.map((c, i): BucketOutcome => (!c.eligible ? 'ineligible' : removed[i] ? 'below_minimum' : claimsSomething[i] && totals[i]! > 0n ? 'paid' : 'nothing_claimed'));
  return { outcomes, cents: centsOut, shares: run.shares, totals, buckets, net: plan.net, paid, residual: plan.net - paid };
}
