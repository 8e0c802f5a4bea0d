/**
 * A histogram of payment amounts, in bigint cents. Two shapes, chosen by the data:
 * - few distinct amounts (TikTok: every Nationwide claim gets about $27.84, every Illinois claim
 *   about $167.04): one bar per amount. Amounts exactly one cent apart share a bar, because
 *   largest remainder pays claims of equal points either x or x + 1 cent (docs/spec.md §4a), and
 *   those are one payment level, not two;
 * - otherwise about 20 bars of equal width, the width a round number of cents (1, 2, 2.5 or 5 × 10^k),
 *   so that the edges read as $25.00, $50.00, …
 * Counts are claim counts (plain numbers); amounts never leave bigint.
 */
import type { Cents } from './money.js';

/** Amounts `lo` to `hi` cents, both inclusive, and how many paid claims got one of them. */
export interface AmountBucket {
  lo: Cents;
  hi: Cents;
  count: number;
}

export interface AmountHistogram {
  /** `levels`: one bar per payment level; `equal-width`: bars of `width` cents each. */
  kind: 'levels' | 'equal-width';
  /** Bar width in cents (equal-width only). */
  width?: Cents;
  buckets: AmountBucket[];
  /** Σ counts: the number of paid claims. */
  total: number;
}

/** At most this many payment levels are drawn as one bar each; more become equal-width bars. */
export const MAX_LEVEL_BARS = 12;
/** About this many bars when the amounts are spread out. */
export const TARGET_BARS = 20;
/** A tally stops remembering distinct amounts beyond this many (memory stays bounded). */
export const DISTINCT_LIMIT = 10_000;

/**
 * Counts amounts as they stream past: exact min, max, count and sum, and the count of each
 * distinct amount while there are at most DISTINCT_LIMIT of them.
 */
export class AmountTally {
  count = 0;
  sum: Cents = 0n;
  min: Cents | undefined;
  max: Cents | undefined;
  /** undefined once there were more than DISTINCT_LIMIT distinct amounts. */
  distinct: Map<Cents, number> | undefined = new Map();

  constructor(private readonly limit = DISTINCT_LIMIT) {}

  add(c: Cents): void {
    this.count++;
    this.sum += c;
    if (this.min === undefined || c < this.min) this.min = c;
    if (this.max === undefined || c > this.max) this.max = c;
    if (this.distinct) {
      this.distinct.set(c, (this.distinct.get(c) ?? 0) + 1);
      if (this.distinct.size > this.limit) this.distinct = undefined;
    }
  }
}

const byCents = (a: Cents, b: Cents): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Payment levels: sorted distinct amounts, an amount one cent above a single-amount level joining
 * it (x and x + 1 cent, the remainder cent). Never merges more than two amounts into one bar.
 */
export function paymentLevels(distinct: ReadonlyMap<Cents, number>): AmountBucket[] {
  const amounts = [...distinct.keys()].sort(byCents);
  const levels: AmountBucket[] = [];
  for (const a of amounts) {
    const n = distinct.get(a) ?? 0;
    const last = levels.at(-1);
    if (last && last.lo === last.hi && a === last.hi + 1n) {
      last.hi = a;
      last.count += n;
    } else {
      levels.push({ lo: a, hi: a, count: n });
    }
  }
  return levels;
}

/**
 * The smallest round width at least `raw` cents: 1, 2, 2.5 or 5 × 10^k cents (2.5 only where it is
 * a whole number of cents), so bar edges read $25.00, $50.00, $75.00.
 */
export function roundWidth(raw: Cents): Cents {
  if (raw <= 1n) return 1n;
  for (let p = 1n; ; p *= 10n) {
    const steps = p >= 10n ? [p, 2n * p, (5n * p) / 2n, 5n * p] : [p, 2n * p, 5n * p];
    for (const w of steps) if (w >= raw) return w;
  }
}

/** Equal-width layout covering `min`..`max` cents with about `target` bars. */
export interface EqualWidthLayout {
  start: Cents;
  width: Cents;
  bars: number;
}

export function equalWidthLayout(min: Cents, max: Cents, target = TARGET_BARS): EqualWidthLayout {
  const span = max - min + 1n;
  const t = BigInt(Math.max(1, target));
  const width = roundWidth((span + t - 1n) / t);
  const start = (min / width) * width;
  const bars = Number((max - start) / width) + 1;
  return { start, width, bars };
}

/** Counts amounts into an equal-width layout (a second pass when the distinct amounts were too many). */
export class EqualWidthCounter {
  readonly counts: number[];

  constructor(readonly layout: EqualWidthLayout) {
    this.counts = new Array<number>(layout.bars).fill(0);
  }

  add(c: Cents, n = 1): void {
    let i = Number((c - this.layout.start) / this.layout.width);
    // Outside the layout only if the amounts changed between passes; keep every claim counted.
    if (i < 0) i = 0;
    if (i >= this.counts.length) i = this.counts.length - 1;
    this.counts[i] = (this.counts[i] ?? 0) + n;
  }

  histogram(): AmountHistogram {
    const { start, width } = this.layout;
    const buckets = this.counts.map((count, i) => {
      const lo = start + BigInt(i) * width;
      return { lo, hi: lo + width - 1n, count };
    });
    return { kind: 'equal-width', width, buckets, total: sum(this.counts) };
  }
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * The histogram for a finished tally, or undefined when the tally forgot its distinct amounts
 * (then count again with `new EqualWidthCounter(equalWidthLayout(tally.min, tally.max))`).
 */
export function histogramFromTally(tally: AmountTally): AmountHistogram | undefined {
  if (tally.count === 0 || tally.min === undefined || tally.max === undefined) {
    return { kind: 'levels', buckets: [], total: 0 };
  }
  if (!tally.distinct) return undefined;
  const levels = paymentLevels(tally.distinct);
  if (levels.length <= MAX_LEVEL_BARS) return { kind: 'levels', buckets: levels, total: tally.count };
  const counter = new EqualWidthCounter(equalWidthLayout(tally.min, tally.max));
  for (const [c, n] of tally.distinct) counter.add(c, n);
  return counter.histogram();
}
