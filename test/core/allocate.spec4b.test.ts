import { describe, expect, it } from 'vitest';
import { allocate, amountOf, type Allocation } from '../../src/core/allocate.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makeBulkTable, makePlan } from '../helpers/make-table.js';

/** docs/spec.md §4b: net $58,470,000.00 over 1,260,000 claims of weight 1 and 140,000 of weight 6. */
function spec4b(scale: number, rounding: { method: 'largest-remainder' } | { method: 'per-point'; decimals?: number }) {
  const gross = scale === 1 ? '58470000.00' : '58470.00';
  const plan = makePlan({
    gross,
    classes: [
      { id: 'nationwide', weight: '1' },
      { id: 'illinois', weight: '6' },
    ],
    rounding,
    seed: 'tiktok-mdl-2948',
  });
  const table = makeBulkTable(plan, [
    { class: 'nationwide', count: 1_260_000 / scale },
    { class: 'illinois', count: 140_000 / scale },
  ]);
  return { plan, table };
}

function amountsByClass(alloc: Allocation, classIndex: number): Map<bigint, number> {
  const out = new Map<bigint, number>();
  for (let row = 0; row < alloc.cellOf.length; row++) {
    if (alloc.cells[alloc.cellOf[row]!]!.classIndex !== classIndex) continue;
    const a = amountOf(alloc, row);
    out.set(a, (out.get(a) ?? 0) + 1);
  }
  return out;
}

describe('docs/spec.md §4b example, full size (1,400,000 claims)', () => {
  it('per-point: $27.84 and $167.04, residual $6,000.00', () => {
    const { plan, table } = spec4b(1, { method: 'per-point' });
    const alloc = allocate(plan, table, tieKeyer(plan.seed));
    expect(alloc.fund.net).toBe(5_847_000_000n);
    expect(alloc.pools[0]!.level).toEqual({ n: 19490n, d: 7n }); // 2784 + 2/7 cents per point
    expect(alloc.pools[0]!.pointValue).toEqual({ n: 2784n, d: 1n });
    expect(amountsByClass(alloc, 0)).toEqual(new Map([[2784n, 1_260_000]]));
    expect(amountsByClass(alloc, 1)).toEqual(new Map([[16704n, 140_000]]));
    expect(alloc.residual).toBe(600_000n);
    expect(alloc.totalPaid + alloc.residual).toBe(alloc.fund.net);
    expect(alloc.centsPlaced).toBe(0n);
    expect(alloc.extraCent.every((x) => x === 0)).toBe(true);
  });

  it('largest remainder: $27.84 or $27.85 and $167.06, nothing residual', () => {
    const { plan, table } = spec4b(1, { method: 'largest-remainder' });
    const alloc = allocate(plan, table, tieKeyer(plan.seed));
    // shares 2784 + 2/7 and 16705 + 5/7; K = 1,260,000·2/7 + 140,000·5/7 = 460,000 cents;
    // 140,000 go to the larger remainder 5/7, the other 320,000 by key among the 1,260,000 at 2/7.
    expect(alloc.centsPlaced).toBe(460_000n);
    expect(amountsByClass(alloc, 0)).toEqual(new Map([[2784n, 940_000], [2785n, 320_000]]));
    expect(amountsByClass(alloc, 1)).toEqual(new Map([[16706n, 140_000]]));
    expect(alloc.residual).toBe(0n);
    expect(alloc.totalPaid).toBe(5_847_000_000n);
    const tie = alloc.pools[0]!.tie!;
    expect(tie).toMatchObject({ remainder: { n: 2n, d: 7n }, size: 1_260_000, cents: 320_000 });
    // every tie-set claim got a cent exactly when its key is at most the cut-off key
    const key = tieKeyer(plan.seed);
    for (let row = 0; row < 1_260_000; row += 997) {
      expect(alloc.extraCent[row] === 1).toBe(key(table.ids.get(row)) <= tie.cutoffKey);
    }
    const nationwide = alloc.classes[0]!;
    expect(nationwide).toMatchObject({ claims: 1_260_000, paid: 1_260_000, smallest: 2784n, largest: 2785n });
    expect(nationwide.amountPaid).toBe(940_000n * 2784n + 320_000n * 2785n);
    expect(alloc.classes[1]).toMatchObject({ smallest: 16706n, largest: 16706n, amountPaid: 140_000n * 16706n });
  });
});

describe('docs/spec.md §4b example at 1/1000 scale (1,260 + 140 claims, net $58,470.00)', () => {
  it('per-point gives the same values per point and $6.00 residual', () => {
    const { plan, table } = spec4b(1000, { method: 'per-point' });
    const alloc = allocate(plan, table, tieKeyer(plan.seed));
    expect(amountsByClass(alloc, 0)).toEqual(new Map([[2784n, 1260]]));
    expect(amountsByClass(alloc, 1)).toEqual(new Map([[16704n, 140]]));
    expect(alloc.residual).toBe(600n);
  });

  it('largest remainder: 320 of the 1,260 get $27.85, all 140 get $167.06', () => {
    const { plan, table } = spec4b(1000, { method: 'largest-remainder' });
    const alloc = allocate(plan, table, tieKeyer(plan.seed));
    expect(alloc.centsPlaced).toBe(460n);
    expect(amountsByClass(alloc, 0)).toEqual(new Map([[2784n, 940], [2785n, 320]]));
    expect(amountsByClass(alloc, 1)).toEqual(new Map([[16706n, 140]]));
    expect(alloc.residual).toBe(0n);
  });
});
