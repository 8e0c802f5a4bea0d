import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AmountTally,
  EqualWidthCounter,
  equalWidthLayout,
  histogramFromTally,
  MAX_LEVEL_BARS,
  paymentLevels,
  roundWidth,
} from '../../src/core/amount-histogram.js';

const tallyOf = (amounts: bigint[], limit?: number): AmountTally => {
  const t = new AmountTally(limit);
  for (const a of amounts) t.add(a);
  return t;
};

describe('payment levels', () => {
  it('TikTok: x and x + 1 cent are one level, so two classes give two bars', () => {
    const amounts = [
      ...Array<bigint>(1500).fill(1638345n),
      ...Array<bigint>(1040).fill(1638346n),
      ...Array<bigint>(200).fill(9830072n),
      ...Array<bigint>(80).fill(9830073n),
    ];
    const h = histogramFromTally(tallyOf(amounts));
    expect(h?.kind).toBe('levels');
    expect(h?.buckets).toEqual([
      { lo: 1638345n, hi: 1638346n, count: 2540 },
      { lo: 9830072n, hi: 9830073n, count: 280 },
    ]);
    expect(h?.total).toBe(2820);
  });

  it('never merges more than two amounts into a level', () => {
    const levels = paymentLevels(new Map([[100n, 1], [101n, 2], [102n, 3], [200n, 4]]));
    expect(levels).toEqual([
      { lo: 100n, hi: 101n, count: 3 },
      { lo: 102n, hi: 102n, count: 3 },
      { lo: 200n, hi: 200n, count: 4 },
    ]);
  });

  it('per-point (exact multiples) keeps each amount its own bar', () => {
    const h = histogramFromTally(tallyOf([2784n, 2784n, 16704n]));
    expect(h?.buckets.map((b) => [b.lo, b.hi, b.count])).toEqual([
      [2784n, 2784n, 2],
      [16704n, 16704n, 1],
    ]);
  });

  it('no paid claims: an empty histogram', () => {
    expect(histogramFromTally(new AmountTally())).toEqual({ kind: 'levels', buckets: [], total: 0 });
  });
});

describe('equal-width bars', () => {
  it('round widths: 1, 2, 2.5, 5 × 10^k cents', () => {
    expect([1n, 2n, 3n, 6n, 11n, 21n, 26n, 51n, 230n, 2001n].map(roundWidth)).toEqual([
      1n, 2n, 5n, 10n, 20n, 25n, 50n, 100n, 250n, 2500n,
    ]);
  });

  it('many levels become about twenty bars of a round width starting at a multiple of it', () => {
    const amounts = Array.from({ length: 40 }, (_, i) => 500n + BigInt(i) * 117n);
    const h = histogramFromTally(tallyOf(amounts));
    expect(h?.kind).toBe('equal-width');
    expect(h?.width).toBe(250n);
    expect(h?.buckets[0]?.lo).toBe(500n);
    expect(h?.buckets.length).toBeLessThanOrEqual(21);
    expect(h?.buckets.length).toBeGreaterThan(MAX_LEVEL_BARS);
    expect(h?.total).toBe(40);
  });

  it('a tally past its distinct limit asks for a second pass, which counts the same', () => {
    const amounts = Array.from({ length: 50 }, (_, i) => BigInt(i * i));
    const small = tallyOf(amounts, 10);
    expect(small.distinct).toBeUndefined();
    expect(histogramFromTally(small)).toBeUndefined();
    const counter = new EqualWidthCounter(equalWidthLayout(small.min ?? 0n, small.max ?? 0n));
    for (const a of amounts) counter.add(a);
    expect(counter.histogram()).toEqual(histogramFromTally(tallyOf(amounts)));
  });

  it('property: every amount lands in the bar that covers it; counts sum to the claims', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 13n }), { minLength: 1, maxLength: 300 }),
        (amounts) => {
          const t = tallyOf(amounts);
          const h = histogramFromTally(t);
          if (!h) return false;
          expect(h.total).toBe(amounts.length);
          expect(h.buckets.reduce((s, b) => s + b.count, 0)).toBe(amounts.length);
          for (const a of amounts) {
            const covering = h.buckets.filter((b) => b.lo <= a && a <= b.hi);
            expect(covering.length).toBe(1);
          }
          for (let i = 1; i < h.buckets.length; i++) {
            const prev = h.buckets[i - 1];
            const cur = h.buckets[i];
            if (prev && cur) expect(prev.hi < cur.lo).toBe(true);
          }
          if (h.kind === 'equal-width') {
            expect(h.buckets.length).toBeLessThanOrEqual(21);
            for (const b of h.buckets) expect(b.hi - b.lo + 1n).toBe(h.width);
          } else {
            expect(h.buckets.length).toBeLessThanOrEqual(MAX_LEVEL_BARS);
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});
