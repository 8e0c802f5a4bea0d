/** core/compare.ts: counts, class totals, the largest moves and the change histogram, on small tables. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocate.js';
import { changeLayout, compareAllocations } from '../../src/core/compare.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makePlan, makeTable } from '../helpers/make-table.js';

describe('compareAllocations', () => {
  const classes = (w: string) => [
    { id: 'a', weight: '1' },
    { id: 'b', weight: w },
  ];
  const planA = makePlan({ gross: '100.00', classes: classes('1') });
  const planB = makePlan({ gross: '100.00', classes: classes('3') });
  const rows = [
    { id: 'x1', class: 'a' },
    { id: 'x2', class: 'a' },
    { id: 'y1', class: 'b' },
    { id: 'z', class: 'b', status: 'rejected' },
  ];
  const table = makeTable(planA, rows);
  const allocA = allocate(planA, table, tieKeyer(planA.seed));
  const allocB = allocate(planB, table, tieKeyer(planB.seed));

  it('counts who gains, loses and stays, and totals each class under both plans', () => {
    // A: 3 equal shares of $100 ($33.33 each, the leftover cent to one of them); B: 1 + 1 + 3 points: 20, 20, 60.
    const c = compareAllocations(table, ['a', 'b'], allocA, allocB, 2);
    expect([c.gain, c.lose, c.unchanged]).toEqual([1, 2, 1]);
    expect(c.gained + c.lost).toBe(0n);
    expect(c.classes.map((k) => k.amountB)).toEqual([4000n, 6000n]);
    expect(c.classes.reduce((s, k) => s + k.amountA, 0n)).toBe(10000n);
    for (const k of c.classes) expect(k.change).toBe(k.amountB - k.amountA);
    const y1 = c.largestMoves[0];
    expect(y1?.claimId).toBe('y1');
    expect(y1?.change).toBe(6000n - (y1?.amountA ?? 0n));
    expect(c.largestMoves[1]?.change).toBeLessThan(0n);
    expect(c.largestMoves.length).toBe(2);
    expect(c.histogram.total).toBe(4);
  });

  it('keeps no moves when asked for none, and puts the unchanged claims in the bar at 0', () => {
    const c = compareAllocations(table, ['a', 'b'], allocA, allocA, 0);
    expect(c.largestMoves).toEqual([]);
    expect([c.gain, c.lose, c.unchanged]).toEqual([0, 0, 4]);
    expect(c.histogram.buckets).toEqual([{ lo: 0n, hi: 0n, count: 4 }]);
  });
});

describe('changeLayout', () => {
  it('covers negative changes with edges on multiples of the width', () => {
    const l = changeLayout(-7n, 93n, 20);
    expect(l.width).toBe(10n);
    expect(l.start).toBe(-10n);
    expect(l.start <= -7n && l.start + BigInt(l.bars) * l.width > 93n).toBe(true);
    expect(l.bars).toBe(11);
  });
});

describe('compareAllocations, by property', () => {
  it('counts add up to the claims, the class changes to gained + lost, the moves are sorted and real', () => {
    const planA = makePlan({ gross: '1000.00', classes: [{ id: 'a', weight: '1' }, { id: 'b', weight: '2' }], minimumPayment: '5.00' });
    fc.assert(
      fc.property(
        fc.array(fc.record({ cls: fc.constantFrom('a', 'b'), units: fc.integer({ min: 1, max: 9 }), ok: fc.boolean() }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 5 }),
        (rows, weight, top) => {
          const planB = makePlan({ gross: '1000.00', classes: [{ id: 'a', weight: '1' }, { id: 'b', weight: String(weight) }], maximumPayment: '300.00', seed: 'other' });
          const table = makeTable(planA, rows.map((r, i) => ({ id: `c${i}`, class: r.cls, units: String(r.units), status: r.ok ? 'approved' : 'rejected' })));
          const allocA = allocate(planA, table, tieKeyer(planA.seed));
          const allocB = allocate(planB, table, tieKeyer(planB.seed));
          const c = compareAllocations(table, ['a', 'b'], allocA, allocB, top);
          expect(c.gain + c.lose + c.unchanged).toBe(rows.length);
          expect(c.classes.reduce((s, k) => s + k.change, 0n)).toBe(c.gained + c.lost);
          expect(c.histogram.total).toBe(rows.length);
          expect(c.largestMoves.length).toBe(Math.min(top, c.gain + c.lose));
          const abs = (x: bigint) => (x < 0n ? -x : x);
          for (let i = 1; i < c.largestMoves.length; i++) expect(abs(c.largestMoves[i - 1]!.change) >= abs(c.largestMoves[i]!.change)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
