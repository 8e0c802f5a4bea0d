/**
 * The tail of `allocate` (the ledger and the receipts root) keeps both cores busy: the main
 * thread makes blocks of the receipts root's leaves while the ledger's writing waits (for the
 * disk, or for a block the ledger worker is making), and the receipts worker boots while the
 * allocation is computed. The same files and the same root, whoever makes which block and whenever.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocate.js';
import { allocationLedger } from '../../src/core/expected-ledger.js';
import { ledgerByteChunks } from '../../src/core/ledger.js';
import type { Plan } from '../../src/core/plan.js';
import { OutputSet } from '../../src/io/atomic-output.js';
import { tieKeyer } from '../../src/io/hash.js';
import type * as LedgerBytes from '../../src/io/ledger-bytes.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { RECEIPT_BLOCK_ROWS } from '../../src/io/receipts-leaves.js';
import type * as ReceiptsRoot from '../../src/io/receipts-root.js';
import { ledgerReceiptsRoot, startAllocationReceipts } from '../../src/io/receipts-root.js';
import { makeBulkTable } from '../helpers/make-table.js';
import { ROOT, ensureBuilt } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
let plan: Plan;

beforeAll(async () => {
  ({ plan } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json')));
});

describe('OutputFile.writeBytes while the disk catches up', () => {
  it('calls whileWaiting until it has no work left or the write drained, and writes the same bytes', async () => {
    const out = await OutputSet.open(tmp.path('out'), ['big.bin'], false);
    const file = out.create('big.bin');
    // More than the stream's 4 MiB high-water mark: the write must wait for the disk.
    const bytes = new Uint8Array(5 << 20).map((_, i) => i % 251);
    let calls = 0;
    await file.writeBytes(bytes, () => ++calls < 3);
    const written = await file.close();
    await out.commit();
    expect(calls, 'called while the write had not drained').toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(3);
    expect(written.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(readFileSync(tmp.path('out/big.bin')).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('the receipts root, with blocks made on this thread ahead of finish (helpOnce)', () => {
  const table = () =>
    makeBulkTable(plan, [
      { class: 'nationwide', count: 3 * RECEIPT_BLOCK_ROWS + 17 },
      { class: 'illinois', count: RECEIPT_BLOCK_ROWS, units: '2' },
      { class: 'nationwide', count: 999, status: 'rejected' },
    ]);

  it('is the root of the ledger cell by cell (no worker: the sources)', async () => {
    const t = table();
    const alloc = allocate(plan, t, tieKeyer(plan.seed));
    const making = startAllocationReceipts(plan, t, alloc, []);
    let helped = 0;
    while (helped < 3 && making.helpOnce()) helped++;
    expect(helped).toBe(3);
    expect(await making.finish()).toEqual(ledgerReceiptsRoot(allocationLedger(plan, t, alloc, [])));
  });

  it('is the same with the worker, and helpOnce says when no block is left', { timeout: 60_000 }, async () => {
    ensureBuilt();
    const compiled = (await import(pathToFileURL(join(ROOT, 'dist/io/receipts-root.js')).href)) as typeof ReceiptsRoot;
    const t = table();
    const alloc = allocate(plan, t, tieKeyer(plan.seed));
    const want = ledgerReceiptsRoot(allocationLedger(plan, t, alloc, []));
    const making = compiled.startAllocationReceipts(plan, t, alloc, []);
    let helped = 0;
    while (making.helpOnce()) helped++;
    expect(helped).toBeLessThanOrEqual(Math.ceil(t.count / RECEIPT_BLOCK_ROWS));
    expect(making.helpOnce(), 'every block taken').toBe(false);
    expect(await making.finish()).toEqual(want);
  });
});

describe('ledgerBlocks with whileWaiting', () => {
  it('gives the bytes of ledgerByteChunks, whatever whileWaiting does meanwhile', { timeout: 60_000 }, async () => {
    ensureBuilt();
    const compiled = (await import(pathToFileURL(join(ROOT, 'dist/io/ledger-bytes.js')).href)) as typeof LedgerBytes;
    const t = makeBulkTable(plan, [
      { class: 'nationwide', count: 200_000 },
      { class: 'illinois', count: 30_000, status: 'rejected' },
    ]);
    const alloc = allocate(plan, t, tieKeyer(plan.seed));
    const one = Buffer.concat([...ledgerByteChunks(plan, t, alloc, [])].map((c) => Buffer.from(c)));
    compiled.startLedgerWorker(t.count, []);
    let calls = 0;
    // Busy for a while at each call, so that the worker's blocks come while this thread works.
    const whileWaiting = (): boolean => {
      const until = Date.now() + 2;
      while (Date.now() < until);
      return ++calls < 50;
    };
    const counts = { here: 0, worker: 0 };
    const chunks: Buffer[] = [];
    for await (const chunk of compiled.ledgerBlocks(plan, t, alloc, [], counts, whileWaiting)) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(one)).toBe(true);
    expect(counts.here + counts.worker).toBe(Math.ceil(t.count / 16384));
  });
});

describe('the receipts worker booted ahead (startReceiptsWorker)', () => {
  it('is taken by startAllocationReceipts: the same root; booted for leaves with --keep columns, it is stopped', { timeout: 60_000 }, async () => {
    ensureBuilt();
    const compiled = (await import(pathToFileURL(join(ROOT, 'dist/io/receipts-root.js')).href)) as typeof ReceiptsRoot;
    const t = makeBulkTable(plan, [{ class: 'nationwide', count: 5 * RECEIPT_BLOCK_ROWS + 3 }]);
    const alloc = allocate(plan, t, tieKeyer(plan.seed));
    const want = ledgerReceiptsRoot(allocationLedger(plan, t, alloc, []));
    compiled.startReceiptsWorker(t.count, []);
    await new Promise((r) => setTimeout(r, 300)); // online before the job, as after an allocation
    expect(await compiled.startAllocationReceipts(plan, t, alloc, []).finish()).toEqual(want);
    // Booted, then not wanted (kept columns are made on this thread): the same root as without.
    compiled.startReceiptsWorker(t.count, []);
    const kept = { ...t, kept: new Map([['note', Array.from({ length: t.count }, (_, i) => `n${i}`)]]) };
    const withKeep = await compiled.startAllocationReceipts(plan, kept, alloc, ['note']).finish();
    expect(withKeep).toEqual(ledgerReceiptsRoot(allocationLedger(plan, kept, alloc, ['note'])));
  });
});
