/**
 * The minimum payment of a bucket plan (step 4 of ./allocate.ts) without redoing the allocation
 * once per removed group. The rule is unchanged: while some active claim's floored total is below
 * the minimum, the ones among them with the smallest exact total are removed.
 *
 * Within a bucket every active claim gets min(cap, λ·w) (water-filling), so once the per-bucket
 * sums and λ are known, a claim's share costs O(buckets). Removing claims lowers the sums; the
 * buckets are funded again (O(buckets)) and λ is moved forward over the claims it now caps
 * (each claim is passed once). Removing claims never lowers λ, so a claim's total only grows:
 * the last computed total is a lower bound, and a heap of them ordered by that bound gives the
 * smallest current total after recomputing only the claims that come up stale.
 *
 * Should λ ever go down (not expected: it is checked, not assumed), the state is rebuilt from
 * scratch and every active claim's total recomputed, which is what the plain rule does.
 */
import { ratCmp, ratFloor, reduce, type Rational } from '../decimal.js';
import type { BucketClaim } from './claims.js';
import type { Bucket, BucketPlan } from './plan.js';
import { bucketTargets, claimCap, fundInOrder } from './funding.js';

const ZERO: Rational = { n: 0n, d: 1n };
const add = (a: Rational, b: Rational): Rational => (a.n === 0n ? b : b.n === 0n ? a : reduce({ n: a.n * b.d + b.n * a.d, d: a.d * b.d }));
const sub = (a: Rational, b: Rational): Rational => (b.n === 0n ? a : reduce({ n: a.n * b.d - b.n * a.d, d: a.d * b.d }));
const mul = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.n, d: a.d * b.d });
const div = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.d, d: a.d * b.n });

/** One bucket's running state over the active claims. */
class BucketState {
  /** Claims with a positive weight and a cap, by cap/weight ascending. */
  private readonly order: { i: number; ratio: Rational }[];
  private readonly pos = new Map<number, number>();
  sumW = ZERO;
  demand = ZERO;
  unbounded = 0;
  /** λ; null: every active claim is at its cap. */
  lambda: Rational | null = ZERO;
  private p = 0;
  private prefCap = ZERO;
  private prefW = ZERO;

  constructor(
    readonly b: Bucket,
    readonly w: readonly Rational[],
    readonly cap: readonly (Rational | null)[],
    active: readonly boolean[],
  ) {
    this.order = [];
    w.forEach((x, i) => {
      if (!active[i] || x.n === 0n) return;
      this.sumW = add(this.sumW, x);
      const c = cap[i]!;
      if (c === null) this.unbounded++;
      else {
        this.demand = add(this.demand, c);
        this.order.push({ i, ratio: div(c, x) });
      }
    });
    this.order.sort((a, b) => ratCmp(a.ratio, b.ratio));
    this.order.forEach((o, j) => this.pos.set(o.i, j));
  }

  remove(i: number): void {
    const x = this.w[i]!;
    if (x.n === 0n) return;
    this.sumW = sub(this.sumW, x);
    const c = this.cap[i]!;
    if (c === null) {
      this.unbounded--;
      return;
    }
    this.demand = sub(this.demand, c);
    if (this.pos.get(i)! < this.p) {
      this.prefCap = sub(this.prefCap, c);
      this.prefW = sub(this.prefW, x);
    }
  }

  /** Water-fills `funded` from the capped prefix on; false if λ went down (the caller rebuilds). */
  fill(funded: Rational, active: readonly boolean[]): boolean {
    if (this.sumW.n === 0n) {
      this.lambda = ZERO;
      return true;
    }
    const before = this.lambda;
    let lambda: Rational | null = null;
    for (;;) {
      const weight = sub(this.sumW, this.prefW);
      if (weight.n === 0n) {
        lambda = null;
        break;
      }
      lambda = div(sub(funded, this.prefCap), weight);
      const next = this.order[this.p];
      if (next === undefined || ratCmp(next.ratio, lambda) > 0) break;
      if (active[next.i]) {
        this.prefCap = add(this.prefCap, this.cap[next.i]!);
        this.prefW = add(this.prefW, this.w[next.i]!);
      }
      this.p++;
    }
    this.lambda = lambda;
    if (before === null) return lambda === null;
    return lambda === null || ratCmp(lambda, before) >= 0;
  }

  share(i: number): Rational {
    const x = this.w[i]!;
    if (x.n === 0n || this.sumW.n === 0n) return ZERO;
    const c = this.cap[i]!;
    if (this.lambda === null) return c!;
    const v = mul(this.lambda, x);
    return c !== null && ratCmp(c, v) < 0 ? c : v;
  }
}

/** A binary min-heap of claims keyed by a lower bound of their total. */
interface Entry {
  i: number;
  total: Rational;
  version: number;
}
class Heap {
  private readonly a: Entry[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): Entry | undefined {
    return this.a[0];
  }
  push(e: Entry): void {
    const a = this.a;
    a.push(e);
    let j = a.length - 1;
    while (j > 0) {
      const up = (j - 1) >> 1;
      if (this.less(a[up]!, a[j]!)) break;
      [a[up], a[j]] = [a[j]!, a[up]!];
      j = up;
    }
  }
  pop(): Entry | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let j = 0;
      for (;;) {
        const l = 2 * j + 1;
        const r = l + 1;
        let m = j;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === j) break;
        [a[m], a[j]] = [a[j]!, a[m]!];
        j = m;
      }
    }
    return top;
  }
  private less(x: Entry, y: Entry): boolean {
    return ratCmp(x.total, y.total) < 0;
  }
}

/**
 * The claims still active once the minimum payment has removed the smallest ones: `active` with
 * the removed claims set to false (a new array). Same result as redoing the allocation after every
 * removed group; the plan must not be refused for `active` (check with exactRun first).
 */
export function applyMinimum(plan: BucketPlan, claims: readonly BucketClaim[], startActive: readonly boolean[], minimum: bigint): boolean[] {
  const active = [...startActive];
  const n = claims.length;
  let buckets: BucketState[] = [];
  let version = 0;
  const heap = new Heap();

  const fund = (): boolean => {
    const targets = buckets.map((s) => ({ ...bucketTargets(s.b, s.sumW, s.unbounded > 0 ? null : s.demand), sumW: s.sumW }));
    const funded = fundInOrder(plan.net, targets);
    if (funded === null) throw new RangeError('a bucket plan refused after claims were removed');
    let monotone = true;
    buckets.forEach((s, k) => (monotone = s.fill(funded[k]!, active) && monotone));
    return monotone;
  };
  const total = (i: number): { total: Rational; low: boolean } => {
    let t = ZERO;
    let floors = 0n;
    for (const s of buckets) {
      const v = s.share(i);
      t = add(t, v);
      floors += ratFloor(v);
    }
    return { total: t, low: floors < minimum };
  };
  const rebuild = (): void => {
    buckets = plan.buckets.map((b, k) => {
      const w = claims.map((c) => c.inputs[k]!);
      return new BucketState(b, w, w.map((x) => claimCap(b, x)), active);
    });
    fund();
    version++;
    while (heap.size > 0) heap.pop();
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      const t = total(i);
      if (t.low) heap.push({ i, total: t.total, version });
    }
  };

  rebuild();
  for (;;) {
    // The smallest current total among the low claims: stale bounds are recomputed until a fresh
    // one is on top (every other bound is at most its claim's current total).
    let top = heap.peek();
    while (top !== undefined && top.version !== version) {
      heap.pop();
      const t = total(top.i);
      if (t.low) heap.push({ i: top.i, total: t.total, version });
      top = heap.peek();
    }
    if (top === undefined) break;
    const smallest = top.total;
    const group: number[] = [];
    while (heap.size > 0 && ratCmp(heap.peek()!.total, smallest) === 0) {
      const e = heap.pop()!;
      if (e.version === version) {
        group.push(e.i);
        continue;
      }
      const t = total(e.i);
      if (!t.low) continue;
      if (ratCmp(t.total, smallest) === 0) group.push(e.i);
      else heap.push({ i: e.i, total: t.total, version });
    }
    for (const i of group) {
      active[i] = false;
      for (const s of buckets) s.remove(i);
    }
    version++;
    if (!fund()) rebuild();
  }
  return active;
}
