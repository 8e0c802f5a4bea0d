/** core/compare-mixed.ts: a plan of classes against a bucket plan, claim by claim on the total. */
import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocate.js';
import { compareMixedAllocations, firstDifferentClaim, type BucketsSide, type ClassesSide } from '../../src/core/compare-mixed.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makePlan, makeTable } from '../helpers/make-table.js';
import { plan as bucketPlan, run } from '../buckets/helpers.js';

describe('compareMixedAllocations', () => {
  // Classes: $100.00 in one class, x, y, z 1 unit each ($33.34, $33.33, $33.33 in some order).
  const classesPlan = makePlan({ gross: '100.00', classes: [{ id: 'all', weight: '1' }] });
  const table = makeTable(classesPlan, [
    { id: 'x', class: 'all' },
    { id: 'y', class: 'all' },
    { id: 'z', class: 'all' },
  ]);
  const classes: ClassesSide = { form: 'classes', table, classIds: ['all'], alloc: allocate(classesPlan, table, tieKeyer(classesPlan.seed)) };
  // Buckets: $100.00; x claims $60.00 of losses, y $10.00, z nothing; $30.00 left.
  const bp = bucketPlan({ gross: '100.00', buckets: [{ id: 'loss', label: 'Losses', kind: 'documented', amountColumn: 'loss' }] });
  const rows = [
    { claim_id: 'x', loss: '60.00' },
    { claim_id: 'y', loss: '10.00' },
    { claim_id: 'z', loss: '' },
  ];
  const b = run(bp, rows);
  const buckets: BucketsSide = { form: 'buckets', plan: bp, claims: b.claims, alloc: b.alloc };

  it('compares each claim on its total; each plan keeps its own groups; a move names both groups', () => {
    const c = compareMixedAllocations(classes, buckets, 10);
    expect(c.groupedBy).toBe('mixed');
    expect(c.classes).toEqual([]);
    expect(c.groupsA).toEqual({ by: 'class', rows: [{ id: 'all', claims: 3, paid: 3, amount: 10000n }] });
    expect(c.groupsB).toEqual({ by: 'bucket', rows: [{ id: 'loss', claims: 2, paid: 2, amount: 7000n }] });
    expect([c.gain, c.lose, c.unchanged]).toEqual([1, 2, 0]);
    expect([c.a.residual, c.b.residual]).toEqual([0n, 3000n]);
    expect(c.largestMoves.map((m) => [m.claimId, m.classId, m.groupB, m.amountB])).toEqual([
      ['z', 'all', '', 0n],
      ['x', 'all', 'loss', 6000n],
      ['y', 'all', 'loss', 1000n],
    ]);
  });

  it('refuses sides of one form, or of other claims', () => {
    expect(() => compareMixedAllocations(classes, classes)).toThrow(RangeError);
    const other = run(bp, [rows[0]!, rows[1]!]);
    const fewer: BucketsSide = { form: 'buckets', plan: bp, claims: other.claims, alloc: other.alloc };
    expect(firstDifferentClaim(classes, fewer)).toEqual({ row: 2, a: 'z', b: undefined });
    expect(() => compareMixedAllocations(classes, fewer)).toThrow(RangeError);
    expect(firstDifferentClaim(classes, buckets)).toBeNull();
  });
});
