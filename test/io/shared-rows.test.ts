/**
 * The rows' parts the ledger and receipts workers share (src/io/shared-rows.ts): the table's and
 * the allocation's values, in shared memory, one copy per table and allocation.
 */
import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocate.js';
import { ClaimIds } from '../../src/core/claims.js';
import { tieKeyer } from '../../src/io/hash.js';
import { sharedRows } from '../../src/io/shared-rows.js';
import { makePlan, makeTable } from '../helpers/make-table.js';

const plan = makePlan({ classes: [{ id: 'a', weight: '1' }, { id: 'b', weight: '3' }], seed: 's' });
const table = makeTable(plan, [
  { id: 'C-1', class: 'a' },
  { id: 'é-2', class: 'b', status: 'rejected' },
  { id: '"q",3', class: 'b', units: '2' },
  { id: 'C-4', class: 'a', status: 'deficient' },
]);
const alloc = allocate(plan, table, tieKeyer(plan.seed));

describe('sharedRows', () => {
  it('holds every row\'s id, status, cell and cent in shared memory', () => {
    const rows = sharedRows(table, alloc);
    const ids = table.ids.slice(0, table.count);
    expect(Array.from(rows.ids.bytes)).toEqual(Array.from(ids.bytes));
    expect(Array.from(rows.ids.ends)).toEqual(Array.from(ids.ends));
    expect(Array.from(rows.statusIndex)).toEqual(Array.from(table.statusIndex.subarray(0, table.count)));
    expect(Array.from(rows.cellOf)).toEqual(Array.from(alloc.cellOf.subarray(0, table.count)));
    expect(Array.from(rows.extraCent)).toEqual(Array.from(alloc.extraCent.subarray(0, table.count)));
    for (const a of [rows.ids.bytes, rows.ids.ends, rows.statusIndex, rows.cellOf, rows.extraCent]) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(rows.statusIndex.constructor).toBe(table.statusIndex.constructor);
  });

  it('reads ids already in shared memory where they are, without a copy', () => {
    const ids = new ClaimIds(2, 1, { shared: true });
    for (const id of table.ids.toArray()) ids.push(id);
    const own = { ...table, ids };
    const rows = sharedRows(own, allocate(plan, own, tieKeyer(plan.seed)));
    const view = ids.view();
    expect(rows.ids.bytes.buffer).toBe(view.bytes.buffer);
    expect(rows.ids.ends.buffer).toBe(view.ends.buffer);
    expect(Array.from(rows.ids.bytes)).toEqual(Array.from(table.ids.view().bytes));
    expect(Array.from(rows.ids.ends)).toEqual(Array.from(table.ids.view().ends));
  });

  it('is made once per table and allocation', () => {
    expect(sharedRows(table, alloc)).toBe(sharedRows(table, alloc));
    const again = allocate(plan, table, tieKeyer(plan.seed));
    expect(sharedRows(table, again)).not.toBe(sharedRows(table, alloc));
  });
});
