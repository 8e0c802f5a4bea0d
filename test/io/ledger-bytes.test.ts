/**
 * The ledger's bytes on two threads (src/io/ledger-bytes.ts): the same bytes as ledgerByteChunks
 * on one, whoever makes which block. The worker is a compiled file, so this runs the compiled
 * module from dist/ (the TypeScript sources have no worker to start, and make every block here).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { allocate } from '../../src/core/allocate.js';
import type { Allocation } from '../../src/core/allocate.js';
import type { ClaimTable } from '../../src/core/claims.js';
import { ledgerByteChunks } from '../../src/core/ledger.js';
import { LEDGER_AHEAD, WRITTEN_BLOCKS } from '../../src/io/ledger-job.js';
import type { Plan } from '../../src/core/plan.js';
import { tieKeyer } from '../../src/io/hash.js';
import { loadPlan } from '../../src/io/plan-file.js';
import type * as LedgerBytes from '../../src/io/ledger-bytes.js';
import { makeBulkTable } from '../helpers/make-table.js';
import { ledgerJob } from '../helpers/ledger-job.js';
import { ROOT, ensureBuilt } from '../helpers/run-cli.js';

let compiled: typeof LedgerBytes;
let plan: Plan;

beforeAll(async () => {
  ensureBuilt();
  compiled = (await import(pathToFileURL(join(ROOT, 'dist/io/ledger-bytes.js')).href)) as typeof LedgerBytes;
  ({ plan } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json')));
});

function concat(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
}

async function twoThreads(table: ClaimTable, alloc: Allocation, keep: string[] = []): Promise<{ bytes: Buffer; counts: LedgerBytes.LedgerBlockCounts }> {
  const counts = { here: 0, worker: 0 };
  const chunks: Uint8Array[] = [];
  for await (const chunk of compiled.ledgerBlocks(plan, table, alloc, keep, counts)) chunks.push(chunk);
  return { bytes: concat(chunks), counts };
}

describe('ledgerBlocks', () => {
  it('gives the bytes of ledgerByteChunks, with blocks made by the worker', { timeout: 60_000 }, async () => {
    // Ids that need a formula guard and quotes (="…") take the slow path on both threads.
    for (const prefix of ['TT-', '=C,']) {
      const table = makeBulkTable(
        plan,
        [
          { class: 'nationwide', count: 300_000 },
          { class: 'illinois', count: 40_000 },
          { class: 'nationwide', count: 20_000, status: 'rejected' },
          { class: 'illinois', count: 9_999, units: '2' },
        ],
        prefix,
      );
      const alloc = allocate(plan, table, tieKeyer(plan.seed));
      const one = concat([...ledgerByteChunks(plan, table, alloc, [])]);
      // Booted ahead, as allocate does, and online before the first block: then it takes blocks.
      // Who makes which block depends on when the OS runs the worker: on a busy machine it may get
      // no turn before this thread has made all 23, so up to 5 runs, each held to the same bytes,
      // and the worker must have made blocks in at least one of them.
      const byWorker: number[] = [];
      for (let run = 0; run < 5 && !byWorker.some((w) => w > 0); run++) {
        compiled.startLedgerWorker(table.count, []);
        expect(await compiled.ledgerWorkerOnline()).toBe(true);
        const two = await twoThreads(table, alloc);
        expect(two.bytes.equals(one), prefix).toBe(true);
        expect(two.counts.here + two.counts.worker).toBe(Math.ceil(table.count / 16384));
        byWorker.push(two.counts.worker);
      }
      expect(Math.max(...byWorker), `blocks made by the worker in runs ${byWorker.join(', ')}`).toBeGreaterThan(0);
    }
  });

  it('the worker stays at most LEDGER_AHEAD blocks ahead of the writing', { timeout: 20_000 }, async () => {
    const { job, state } = ledgerJob(plan, makeBulkTable(plan, [{ class: 'nationwide', count: 20 }]), 1);
    const worker = new Worker(join(ROOT, 'dist/io/ledger-worker.js'));
    try {
      const got: number[] = [];
      let done = false;
      worker.on('message', (m: { block?: number; done?: boolean }) => {
        if (m.block !== undefined) got.push(m.block);
        if (m.done) done = true;
      });
      worker.postMessage(job);
      // Nothing written: it makes LEDGER_AHEAD blocks and waits.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(got).toEqual(Array.from({ length: LEDGER_AHEAD }, (_, i) => i));
      expect(done).toBe(false);
      // All of those written: it makes the rest.
      Atomics.store(state, WRITTEN_BLOCKS, LEDGER_AHEAD);
      Atomics.notify(state, WRITTEN_BLOCKS);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(got.length).toBe(16);
      Atomics.store(state, WRITTEN_BLOCKS, 20);
      Atomics.notify(state, WRITTEN_BLOCKS);
      await vi.waitFor(() => expect(done).toBe(true), { timeout: 5000 });
      expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i));
    } finally {
      await worker.terminate();
    }
  });

  it('makes every block on this thread for a small ledger, or with --keep columns', async () => {
    const small = makeBulkTable(plan, [{ class: 'nationwide', count: 5_000 }]);
    const alloc = allocate(plan, small, tieKeyer(plan.seed));
    const two = await twoThreads(small, alloc);
    expect(two.counts).toEqual({ here: 1, worker: 0 });
    expect(two.bytes.equals(concat([...ledgerByteChunks(plan, small, alloc, [])]))).toBe(true);

    const large = makeBulkTable(plan, [{ class: 'nationwide', count: 100_000 }]);
    large.kept.set('note', Array.from({ length: large.count }, (_, i) => `n${i}`));
    const allocLarge = allocate(plan, large, tieKeyer(plan.seed));
    const kept = await twoThreads(large, allocLarge, ['note']);
    expect(kept.counts.worker).toBe(0);
    expect(kept.bytes.equals(concat([...ledgerByteChunks(plan, large, allocLarge, ['note'])]))).toBe(true);
  });
});
