/**
 * The arithmetic a bucket allocation is made of (./allocate.ts): a claim's cap in a bucket, a
 * bucket's floor and target, funding in order, water-filling within a bucket. Exact rationals.
 */
import { ratCmp, reduce, type Rational } from '../decimal.js';
import type { Cents } from '../money.js';
import type { Bucket } from './plan.js';

export const ZERO: Rational = { n: 0n, d: 1n };
export const add = (a: Rational, b: Rational): Rational => (a.n === 0n ? b : b.n === 0n ? a : reduce({ n: a.n * b.d + b.n * a.d, d: a.d * b.d }));
export const sub = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.d - b.n * a.d, d: a.d * b.d });
export const mul = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.n, d: a.d * b.d });
export const div = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.d, d: a.d * b.n });
export const min = (a: Rational, b: Rational | null): Rational => (b === null || ratCmp(a, b) <= 0 ? a : b);
export const cents = (c: Cents | null): Rational | null => (c === null ? null : { n: c, d: 1n });

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
export function claimCap(b: Bucket, input: Rational): Rational | null {
  if (b.kind === 'points') return cents(b.perClaimCap);
  if (!b.residual) return input;
  const raised = b.maxIncrease === null ? null : mul(input, add({ n: 1n, d: 1n }, b.maxIncrease));
  return raised === null ? cents(b.perClaimCap) : min(raised, cents(b.perClaimCap));
}

/** What a bucket is owed from the sums over its active claims: its floor (set aside first) and its target. */
export function bucketTargets(b: Bucket, sumW: Rational, demand: Rational | null): { floor: Rational; target: Rational | null } {
  // (a residual points bucket with no caps has no nominal sum; it is never protected)
  const nominal = b.kind === 'points' ? min(demand ?? cents(b.totalCap) ?? ZERO, cents(b.totalCap)) : min(sumW, cents(b.totalCap));
  const floor = b.protected ? nominal : b.maxReduction !== null ? mul(nominal, sub({ n: 1n, d: 1n }, b.maxReduction)) : ZERO;
  const target = demand === null ? cents(b.totalCap) : min(demand, cents(b.totalCap));
  return { floor, target };
}

/**
 * Funds the buckets in order (step 2): each the smaller of its target and what is left once the
 * later buckets' floors are kept back. Null when the floors need more than the net fund.
 */
export function fundInOrder(net: Cents, buckets: readonly { floor: Rational; target: Rational | null; sumW: Rational }[]): Rational[] | null {
  const floors = buckets.reduce((acc, x) => add(acc, x.floor), ZERO);
  let left: Rational = { n: net, d: 1n };
  if (ratCmp(floors, left) > 0) return null;
  let keptBack = floors;
  return buckets.map((x) => {
    keptBack = sub(keptBack, x.floor);
    const available = sub(left, keptBack);
    const funded = x.sumW.n === 0n ? ZERO : min(available, x.target);
    left = sub(left, funded);
    return funded;
  });
}

