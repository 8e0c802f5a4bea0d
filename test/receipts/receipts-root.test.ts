/**
 * The receipts root an allocation writes (io/receipts-root.ts: leaf byte strings made once per
 * allocation cell, status and cent, in blocks of 2^14 leaves) is the root of the ledger cell by
 * cell (allocationLedger, what verify compares a ledger with; one leaf message per row from the
 * documented encoding): on every scenario, with --keep columns, over several blocks, with claim
 * ids out of order, and after shuffling the rows (the root does not depend on row order). The
 * ledger's root cell by cell is made with node:crypto, one call a hash (`fallbackSha256Batch`),
 * so with the native SHA-256 addon built these compare its batched leaves and levels with it.
 */
import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocate.js';
import { allocationLedger } from '../../src/core/expected-ledger.js';
import { tieKeyer } from '../../src/io/hash.js';
import { RECEIPT_BLOCK_ROWS } from '../../src/io/receipts-leaves.js';
import { allocationReceiptsRoot, claimIdOrder, ledgerReceiptsRoot } from '../../src/io/receipts-root.js';
import { ClaimIds } from '../../src/core/claims.js';
import { fallbackSha256Batch } from '../../src/io/sha256-batch.js';
import { makeBulkTable, makePlan, permuteTable } from '../helpers/make-table.js';
import { allocateScenario, scenarios } from '../allocate/scenario-files.js';

describe('the receipts root of an allocation', () => {
  it.each(scenarios().map((s) => [s.name, s] as const))('%s: is the root of the ledger cell by cell', async (_, s) => {
    const run = await allocateScenario(s);
    const fast = await allocationReceiptsRoot(run.plan, run.table, run.alloc, s.keep);
    expect(fast).toEqual(ledgerReceiptsRoot(allocationLedger(run.plan, run.table, run.alloc, s.keep), fallbackSha256Batch));
    expect(JSON.parse(run.summary).receipts).toEqual(fast);
  });

  const plan = makePlan({
    gross: '1000000.00',
    classes: [
      { id: 'nationwide', weight: '1' },
      { id: 'illinois', weight: '6' },
    ],
    minimumPayment: '5.00',
  });
  // ~2.6 blocks; ids C0, C1, … C10 are not in code-point order.
  const table = makeBulkTable(plan, [
    { class: 'nationwide', count: 30000 },
    { class: 'illinois', count: 9000, units: '2' },
    { class: 'nationwide', count: 3000, status: 'rejected' },
  ]);
  const alloc = allocate(plan, table, tieKeyer(plan.seed));

  it('over several blocks of leaves, ids out of order, is the root cell by cell', async () => {
    expect(table.count).toBeGreaterThan(2 * RECEIPT_BLOCK_ROWS);
    expect(claimIdOrder(table.count, table.ids.slice(0, table.count).bytes, table.ids.slice(0, table.count).ends)).toBeDefined();
    const fast = await allocationReceiptsRoot(plan, table, alloc, []);
    expect(fast.leaves).toBe(table.count);
    expect(fast).toEqual(ledgerReceiptsRoot(allocationLedger(plan, table, alloc, []), fallbackSha256Batch));
  });

  it('does not depend on the order of the rows, and changes when one amount does', async () => {
    const n = table.count;
    const order = Array.from({ length: n }, (_, i) => (i * 7919) % n); // a permutation (7919 is prime, n is not a multiple)
    const shuffled = permuteTable(table, order);
    const shuffledAlloc = allocate(plan, shuffled, tieKeyer(plan.seed));
    const a = await allocationReceiptsRoot(plan, table, alloc, []);
    expect(await allocationReceiptsRoot(plan, shuffled, shuffledAlloc, [])).toEqual(a);
    const moved = { ...alloc, extraCent: alloc.extraCent.slice() };
    moved.extraCent[12345] = moved.extraCent[12345] === 1 ? 0 : 1;
    expect((await allocationReceiptsRoot(plan, table, moved, [])).root).not.toBe(a.root);
  });

  it.each([1, 2, 3])('a last block of %i leaves (one promoted up every level, or a pair)', async (extra) => {
    const t = makeBulkTable(plan, [{ class: 'nationwide', count: RECEIPT_BLOCK_ROWS + extra }], 'Z');
    const a = allocate(plan, t, tieKeyer(plan.seed));
    expect(await allocationReceiptsRoot(plan, t, a, [])).toEqual(ledgerReceiptsRoot(allocationLedger(plan, t, a, []), fallbackSha256Batch));
  });

  it('covers --keep columns, cell by cell', async () => {
    const kept = Array.from({ length: table.count }, (_, i) => (i % 3 === 0 ? 'paypal' : i % 3 === 1 ? '=check' : 'Zoë, "venmo"'));
    const withKeep = { ...table, kept: new Map([['payment_method', kept]]) };
    const fast = await allocationReceiptsRoot(plan, withKeep, alloc, ['payment_method']);
    expect(fast).toEqual(ledgerReceiptsRoot(allocationLedger(plan, withKeep, alloc, ['payment_method']), fallbackSha256Batch));
    expect(fast.root).not.toBe((await allocationReceiptsRoot(plan, table, alloc, [])).root);
  });

  it('is the same when the reader noted the ids in order (no check of their order then)', async () => {
    const bulk = makeBulkTable(plan, [{ class: 'nationwide', count: 3 * RECEIPT_BLOCK_ROWS + 5 }], 'Z');
    const t = { ...bulk, ids: ClaimIds.from(Array.from({ length: bulk.count }, (_, i) => `Z${String(i).padStart(6, '0')}`)) };
    const a = allocate(plan, t, tieKeyer(plan.seed));
    const s = t.ids.slice(0, t.count);
    expect(claimIdOrder(t.count, s.bytes, s.ends), 'the ids are in order').toBeUndefined();
    const checked = await allocationReceiptsRoot(plan, t, a, []);
    t.ids.noteIncreasing();
    expect(t.ids.inCodePointOrder).toBe(true);
    expect(await allocationReceiptsRoot(plan, t, a, [])).toEqual(checked);
    expect(checked).toEqual(ledgerReceiptsRoot(allocationLedger(plan, t, a, []), fallbackSha256Batch));
    // Ids that are not all ASCII are never taken as in order on the reader's word.
    const other = ClaimIds.from(['\u{1F600}', '\uFF5E']);
    other.noteIncreasing();
    expect(other.inCodePointOrder).toBe(false);
    const more = ClaimIds.from(['a', 'b']);
    more.noteIncreasing();
    more.push('0');
    expect(more.inCodePointOrder, 'a push after the note clears it').toBe(false);
  });

  it('orders claim ids by code point (UTF-8 bytes), not by UTF-16 units', () => {
    // U+FF5E sorts before U+1F600 by code point, after it by UTF-16 units (0xFF5E > 0xD83D).
    const ids = ClaimIds.from(['\u{1F600}', '\uFF5E', 'a']);
    const s = ids.slice(0, 3);
    expect(Array.from(claimIdOrder(3, s.bytes, s.ends)!)).toEqual([2, 1, 0]);
    expect(claimIdOrder(2, ClaimIds.from(['a', 'b']).slice(0, 2).bytes, ClaimIds.from(['a', 'b']).slice(0, 2).ends)).toBeUndefined();
  });
});
