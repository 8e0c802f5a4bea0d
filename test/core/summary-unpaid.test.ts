/** summary.json's `unpaid`: every claim paid 0.00, and why (docs/outputs.md). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocate.js';
import { amountOf } from '../../src/core/cell-cents.js';
import { buildSummary, unpaidJson } from '../../src/core/summary.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makePlan, makeTable } from '../helpers/make-table.js';

const run = (input: Parameters<typeof makePlan>[0], rows: Parameters<typeof makeTable>[1]) => {
  const plan = makePlan(input);
  const table = makeTable(plan, rows);
  const alloc = allocate(plan, table, tieKeyer(plan.seed));
  return { plan, table, alloc, unpaid: unpaidJson(plan, alloc, table) };
};

describe('unpaid', () => {
  it('counts the ineligible claims by status, most first then by status, and those below the minimum', () => {
    const { unpaid, plan, alloc, table } = run(
      { gross: '100.00', classes: [{ id: 'm', weight: '1' }], eligibleStatuses: ['approved', 'cured'], minimumPayment: '5.00' },
      [
        { id: 'A', class: 'm', units: '100' },
        { id: 'B', class: 'm', units: '1' },
        { id: 'C', class: 'm', status: 'rejected' },
        { id: 'D', class: 'm', status: 'deficient' },
        { id: 'E', class: 'm', status: 'Rejected' },
        { id: 'F', class: 'm', status: 'cured', units: '100' },
        { id: 'G', class: 'm', status: 'withdrawn' },
      ],
    );
    expect(unpaid).toEqual({
      claims: 5,
      byStatus: [
        { status: 'rejected', claims: 2 },
        { status: 'deficient', claims: 1 },
        { status: 'withdrawn', claims: 1 },
      ],
      belowMinimum: 1,
      cappedToZero: 0,
      roundedToZero: 0,
    });
    // In summary.json after the totals.
    const keys = Object.keys(buildSummary(plan, alloc, table));
    expect(keys.indexOf('unpaid')).toBe(keys.indexOf('totals') + 1);
  });

  it('a share under one cent left at 0.00 by the remainder rule is rounded to zero; a maximum of 0.00 caps to zero', () => {
    // 0.02 over 3 equal claims: two get a cent, one gets nothing.
    const rounded = run({ gross: '0.02', classes: [{ id: 'm', weight: '1' }] }, [
      { id: 'A', class: 'm' },
      { id: 'B', class: 'm' },
      { id: 'C', class: 'm' },
    ]);
    expect(rounded.unpaid).toMatchObject({ claims: 1, roundedToZero: 1, cappedToZero: 0, belowMinimum: 0, byStatus: [] });
    const capped = run({ gross: '10.00', classes: [{ id: 'm', weight: '1' }], maximumPayment: '0.00' }, [
      { id: 'A', class: 'm' },
      { id: 'B', class: 'm', status: 'denied' },
    ]);
    expect(capped.unpaid).toEqual({ claims: 2, byStatus: [{ status: 'denied', claims: 1 }], belowMinimum: 0, cappedToZero: 1, roundedToZero: 0 });
  });

  it('`claims` is the number of ledger rows paid 0.00, whatever the input', () => {
    const row = fc.record({
      units: fc.constantFrom('1', '2', '5', '0.5'),
      status: fc.constantFrom('approved', 'rejected', 'deficient', 'duplicate'),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.constantFrom('0.07', '3.00', '250.00'), fc.constantFrom(null, '1.00'), (rows, gross, min) => {
        const r = run(
          { gross, classes: [{ id: 'm', weight: '1' }], minimumPayment: min },
          rows.map((x, i) => ({ id: `C${i}`, class: 'm', units: x.units, status: x.status })),
        );
        let zero = 0;
        for (let i = 0; i < r.table.count; i++) if (amountOf(r.alloc, i) === 0n) zero += 1;
        const u = r.unpaid;
        return u.claims === zero && u.claims === u.byStatus.reduce((n, s) => n + s.claims, 0) + u.belowMinimum + u.cappedToZero + u.roundedToZero;
      }),
    );
  });
});
