import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readClaims, summarizeClaims } from '../../src/io/claims-reader.js';
import { buildCells } from '../../src/core/points.js';
import { twoClassPlan } from '../helpers/plans.js';
import { tempDir } from '../helpers/tmp.js';
import { allocate } from '../../src/core/allocate.js';
import { pointsText } from '../../src/core/summary.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makePlan, makeTable, type SimpleRow } from '../helpers/make-table.js';

const UNITS = ['1', '2', '0.5', '1.000001', '12.25', '3'];
const STATUSES = ['approved', 'rejected', 'Approved ', '', 'pending'];

const scenario = fc.record({
  pools: fc.boolean(),
  weights: fc.tuple(fc.constantFrom('1', '6', '0.3', '2.125'), fc.constantFrom('1', '0.25', '7')),
  eligible: fc.constantFrom(['approved'], ['approved', 'pending'], ['pending']),
  rows: fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...UNITS), fc.constantFrom(...STATUSES)), { maxLength: 60 }),
});

const tmp = tempDir();

describe('summarizeClaims', () => {
  it('counts by cells the reader returns when asked (ReadClaimsOptions.cells), and by none otherwise', async () => {
    const plan = twoClassPlan();
    const file = tmp.write('claims.csv', 'claim_id,class,units,status\nA,nationwide,1,approved\nB,illinois,2,rejected\nC,nationwide,1,approved\n');
    const withCells = await readClaims(file, plan, { cells: true });
    expect(withCells.cells).toEqual(buildCells(plan, withCells.table));
    expect(Array.from(withCells.cells?.cellOf ?? [])).toEqual([0, 1, 0]);
    expect((await readClaims(file, plan)).cells).toBeUndefined();
  });

  it('counts the points and eligible claims the allocation counts, in weights and pools mode (property)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const plan = makePlan({
          classes: s.pools
            ? [
                { id: 'nationwide', poolPercent: '70' },
                { id: 'illinois', poolPercent: '30' },
              ]
            : [
                { id: 'nationwide', weight: s.weights[0] },
                { id: 'illinois', weight: s.weights[1] },
              ],
          eligibleStatuses: s.eligible,
        });
        const rows: SimpleRow[] = s.rows.map(([il, units, status], i) => ({ id: `C${i}`, class: il ? 'illinois' : 'nationwide', units, status }));
        const table = makeTable(plan, rows);
        const { classes, cells } = summarizeClaims(table, plan);
        const alloc = allocate(plan, table, tieKeyer(plan.seed));
        expect(classes.map((c) => [c.id, c.claims, c.eligible, c.points])).toEqual(
          alloc.classes.map((c) => [c.id, c.claims, c.eligible, pointsText(c.eligiblePoints)]),
        );
        // The allocation takes the cells the statistics were counted by (not made again): the same allocation.
        const given = allocate(plan, table, tieKeyer(plan.seed), { cells });
        expect(given.cellOf).toBe(cells.cellOf);
        expect(given).toEqual(alloc);
      }),
      { numRuns: 200 },
    );
  });

  it('sums units and points exactly and lists eligible statuses first, in the plan order', () => {
    const plan = makePlan({
      classes: [
        { id: 'nationwide', weight: '1' },
        { id: 'illinois', weight: '0.3' },
      ],
      eligibleStatuses: ['pending', 'approved'],
    });
    const table = makeTable(plan, [
      { id: 'A', class: 'illinois', units: '1.000001' },
      { id: 'B', class: 'illinois', units: '2', status: 'pending' },
      { id: 'C', class: 'illinois', units: '5', status: 'rejected' },
      { id: 'D', class: 'nationwide', status: 'denied' },
    ]);
    const { cells, ...summary } = summarizeClaims(table, plan);
    expect(Array.from(cells.cellOf)).toEqual([0, 1, 2, 3]);
    expect(summary).toEqual({
      classes: [
        { id: 'nationwide', claims: 1, eligible: 0, units: '0', points: '0' },
        { id: 'illinois', claims: 3, eligible: 2, units: '3.000001', points: '0.9000003' },
      ],
      statuses: [
        { status: 'pending', claims: 1, eligible: true },
        { status: 'approved', claims: 1, eligible: true },
        { status: 'denied', claims: 1, eligible: false },
        { status: 'rejected', claims: 1, eligible: false },
      ],
    });
  });

  it('counts by cells the allocation refuses for another table', () => {
    const plan = makePlan({ classes: [{ id: 'nationwide', weight: '1' }] });
    const { cells } = summarizeClaims(makeTable(plan, [{ id: 'A', class: 'nationwide' }]), plan);
    const table = makeTable(plan, [
      { id: 'A', class: 'nationwide' },
      { id: 'B', class: 'nationwide' },
    ]);
    expect(() => allocate(plan, table, tieKeyer(plan.seed), { cells })).toThrow(/cells: made for another table or plan/);
  });

  it('refuses cells of another table of the same size, or of this table under another plan (either would change amounts)', () => {
    const plan = makePlan({ classes: [{ id: 'nationwide', weight: '1' }, { id: 'illinois', weight: '6' }] });
    const rows = [
      { id: 'A', class: 'nationwide' },
      { id: 'B', class: 'illinois' },
    ];
    const table = makeTable(plan, rows);
    const other = makeTable(plan, [...rows].reverse());
    expect(() => allocate(plan, table, tieKeyer(plan.seed), { cells: summarizeClaims(other, plan).cells })).toThrow(/made for another table or plan/);
    const otherPlan = { ...plan, eligibleStatuses: ['pending'] };
    expect(() => allocate(plan, table, tieKeyer(plan.seed), { cells: summarizeClaims(table, otherPlan).cells })).toThrow(/made for another table or plan/);
    // Its own cells: taken.
    const { cells } = summarizeClaims(table, plan);
    expect(allocate(plan, table, tieKeyer(plan.seed), { cells }).cellOf).toBe(cells.cellOf);
  });
});
