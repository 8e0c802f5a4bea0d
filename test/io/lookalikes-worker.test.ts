/**
 * The look-alike claim ids found on the duplicate-check worker after its last batch, while the
 * reader's caller goes on (ReadClaimsOptions.lookAlikesLater, claims-reader.ts): the same
 * warnings, in the same place and order, with the same counts, as when the reading finds them
 * itself; a worker that dies or fails leaves them to the reading thread. The compiled worker
 * (dist/) is needed: the reader is imported from dist/, with the threads' size threshold lowered
 * (`workerMinBytes`) so that they run on these small files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Reader from '../../src/io/claims-reader.js';
import type * as Collector from '../../src/io/claims-collector.js';
import type * as Batch from '../../src/io/dedupe-batch.js';
import type { ReadClaimsOptions, ReadClaimsResult } from '../../src/io/claims-reader.js';
import type { Problem } from '../../src/core/problems.js';
import { LOOKALIKE_FAULT_ENV } from '../../src/io/dedupe-check.js';
import { twoClassPlan } from '../helpers/plans.js';
import { ROOT, ensureBuilt, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
let reader: typeof Reader;
let collector: typeof Collector;
let batch: typeof Batch;

const dist = async (path: string): Promise<unknown> => import(pathToFileURL(join(ROOT, 'dist', path)).href);

beforeAll(async () => {
  ensureBuilt();
  reader = (await dist('io/claims-reader.js')) as typeof Reader;
  collector = (await dist('io/claims-collector.js')) as typeof Collector;
  batch = (await dist('io/dedupe-batch.js')) as typeof Batch;
});

afterEach(() => {
  delete process.env[LOOKALIKE_FAULT_ENV];
  vi.restoreAllMocks();
});

const PLAN = twoClassPlan();

/** Ids that look alike in every way the key ignores: case, NFC against NFD, invisible characters. */
const piece = fc.constantFrom('a', 'A', 'b', 'B', 'é', 'e\u0301', 'É', '\u200b', '\u00ad', 'ß', 'SS', '1', '-', 'K', '\u212a', 'ﬁ');
const claimId = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => `X${p.join('')}`);
const row = fc.record({ id: claimId, email: fc.constantFrom('', 'a@x.org', 'b@x.org', 'c@x.org'), illinois: fc.boolean() });

function claimsFile(name: string, rows: ReadonlyArray<{ id: string; email: string; illinois: boolean }>): string {
  const lines = ['claim_id,class,email,name,address'];
  rows.forEach((r, i) => lines.push(`${r.id},${r.illinois ? 'illinois' : 'nationwide'},${r.email},N ${i % 7},"${i % 5} Main St"`));
  return tmp.write(name, `${lines.join('\n')}\n`);
}

/** A reading with every problem `onProblem` saw, in order. */
async function read(file: string, options: ReadClaimsOptions): Promise<{ result: ReadClaimsResult; seen: Problem[] }> {
  const seen: Problem[] = [];
  const result = await reader.readClaims(file, PLAN, { ...options, onProblem: (p) => seen.push(p) });
  return { result, seen };
}

/** On the worker: the look-alikes asked of the duplicate-check worker, and awaited as allocate does. */
async function onWorker(file: string): Promise<{ result: ReadClaimsResult; seen: Problem[]; later: boolean }> {
  const { result, seen } = await read(file, { workerMinBytes: 0, lookAlikesLater: true, sha256: true });
  const later = result.lookAlikesLater !== undefined;
  await result.lookAlikesLater;
  delete result.lookAlikesLater;
  return { result, seen, later };
}

/** The same checks, batched, on this thread: the look-alikes found by the reading itself. */
async function onThisThread(file: string): Promise<{ result: ReadClaimsResult; seen: Problem[] }> {
  return read(file, { duplicateChecks: 'batched', sha256: true });
}

const lookAlikes = (problems: readonly Problem[]): Problem[] => problems.filter((p) => p.code === 'lookalike_claim_id');

describe('look-alike ids found on the duplicate-check worker', () => {
  it('are left to the worker and come later, with the same warnings in the same place', async () => {
    const file = claimsFile('later.csv', [
      { id: 'Xcafé', email: 'a@x.org', illinois: false },
      { id: 'Xb', email: 'b@x.org', illinois: true },
      { id: 'XCAFE\u0301', email: 'a@x.org', illinois: false },
      { id: 'X\u200bb', email: '', illinois: false },
    ]);
    const worker = await onWorker(file);
    expect(worker.later).toBe(true);
    const here = await onThisThread(file);
    expect(lookAlikes(worker.result.problems).map((p) => p.line)).toEqual([4, 5]);
    expect(worker.result.problems).toEqual(here.result.problems);
    expect(worker.result.stats).toEqual(here.result.stats);
    expect(worker.seen).toEqual(here.seen);
    // The line with a duplicate email and a look-alike id: the duplicate first.
    expect(worker.result.problems.filter((p) => p.line === 4).map((p) => p.code)).toEqual(['duplicate_email', 'lookalike_claim_id']);
  });

  it('give the problems, counts and onProblem order of the reading thread, whatever the ids (property)', async () => {
    let deferred = 0;
    let withErrors = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 60 }), async (rows) => {
        const file = claimsFile('property.csv', rows);
        const worker = await onWorker(file);
        const here = await onThisThread(file);
        expect(worker.result.problems).toEqual(here.result.problems);
        expect(worker.result.stats).toEqual(here.result.stats);
        expect(worker.seen).toEqual(here.seen);
        expect(worker.result.table.ids.toArray()).toEqual(here.result.table.ids.toArray());
        // Deferred only without errors (exact repeats of an id are errors): else awaited before the reading returns.
        expect(worker.later).toBe(here.result.stats.errors === 0);
        if (worker.later) deferred++;
        else withErrors++;
      }),
      { numRuns: 40, seed: 17 },
    );
    expect(deferred).toBeGreaterThan(0);
    expect(withErrors).toBeGreaterThan(0);
  });

  it.each(['exit', 'throw'])('are found on the reading thread when the worker fails (%s): the same warnings, no hang', async (fault) => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ id: i % 3 === 0 ? `Xid${i}` : `XID${i - (i % 3)}${'\u200b'.repeat(i % 3)}`, email: '', illinois: i % 2 === 0 }));
    const file = claimsFile(`fault-${fault}.csv`, rows);
    const here = await onThisThread(file);
    expect(lookAlikes(here.result.problems).length).toBeGreaterThan(100);
    process.env[LOOKALIKE_FAULT_ENV] = fault;
    const worker = await onWorker(file);
    expect(worker.later).toBe(true);
    expect(worker.result.problems).toEqual(here.result.problems);
    expect(worker.result.stats).toEqual(here.result.stats);
    expect(worker.seen).toEqual(here.seen);
  });

  it('leave the reading thread to build the table while the worker answers its last batches', async () => {
    const events: string[] = [];
    const finish = batch.DuplicateChecks.prototype.finish;
    vi.spyOn(batch.DuplicateChecks.prototype, 'finish').mockImplementation(async function (this: Batch.DuplicateChecks, ids) {
      events.push('checks finishing');
      const hits = await finish.call(this, ids);
      events.push('checks answered');
      return hits;
    });
    const build = collector.ClaimsCollector.prototype.buildTable;
    vi.spyOn(collector.ClaimsCollector.prototype, 'buildTable').mockImplementation(function (this: Collector.ClaimsCollector) {
      events.push('table');
      return build.call(this);
    });
    const file = claimsFile('order.csv', [
      { id: 'Xa', email: 'a@x.org', illinois: false },
      { id: 'XA', email: 'a@x.org', illinois: false },
    ]);
    const { result } = await read(file, { workerMinBytes: 0, lookAlikesLater: true });
    await result.lookAlikesLater;
    expect(events).toEqual(['checks finishing', 'table', 'checks answered', 'table']);
    // Spilled checks: the table is built once they are in (their last pass is long, and the
    // table's arrays are not made beside it).
    events.length = 0;
    await read(file, { workerMinBytes: 0, lookAlikesLater: true, duplicateSpillBytes: 0 });
    expect(events).toEqual(['checks finishing', 'checks answered', 'table']);
  });

  it('are not asked of the worker without lookAlikesLater, nor when its checks are spilled', async () => {
    const file = claimsFile('plain.csv', [
      { id: 'Xa', email: '', illinois: false },
      { id: 'XA', email: '', illinois: false },
    ]);
    const plain = await read(file, { workerMinBytes: 0 });
    expect(plain.result.lookAlikesLater).toBeUndefined();
    expect(lookAlikes(plain.result.problems)).toHaveLength(1);
    const spilled = await read(file, { workerMinBytes: 0, lookAlikesLater: true, duplicateSpillBytes: 0 });
    expect(spilled.result.lookAlikesLater).toBeUndefined();
    expect(lookAlikes(spilled.result.problems)).toHaveLength(1);
  });
});

describe('allocate with look-alike ids read on worker threads', () => {
  it('writes the same files and says the same as with PAYOUT_WORKERS=0', async () => {
    // Past WORKER_MIN_BYTES (8 MiB), so that the command reads it with its threads.
    const lines = ['claim_id,class,units,email,name,address'];
    const pad = 'x'.repeat(80);
    for (let i = 0; i < 90_000; i++) {
      const id = i % 997 === 5 ? `CL-${i - 1}`.toLowerCase() : i % 1499 === 7 ? `CL-\u200b${i - 1}` : `CL-${i}`;
      lines.push(`${id},${i % 9 === 0 ? 'illinois' : 'nationwide'},1,p${i % 1000 === 3 ? 0 : i}@x.org,Name ${i},"${i} Street ${pad}"`);
    }
    const claims = tmp.write('big.csv', `${lines.join('\n')}\n`);
    expect(Buffer.byteLength(readFileSync(claims))).toBeGreaterThan(8 << 20);
    const plan = join(ROOT, 'fixtures/tiktok/plan.json');
    const run = async (env: Record<string, string>): Promise<{ stdout: string; stderr: string; summary: string; ledger: string }> => {
      const out = tmp.path('out');
      const r = await runCli(['allocate', '--plan', plan, claims, '--out', out, '--force', '--max-errors', '1000000'], { env });
      expect(r.code).toBe(0);
      return { stdout: r.stdout, stderr: r.stderr, summary: readFileSync(join(out, 'summary.json'), 'utf8'), ledger: readFileSync(join(out, 'ledger.csv'), 'utf8') };
    };
    const threads = await run({});
    const single = await run({ PAYOUT_WORKERS: '0' });
    expect(threads.stderr).toBe(single.stderr);
    expect(threads.stdout).toBe(single.stdout);
    expect(threads.summary).toBe(single.summary);
    expect(threads.ledger).toBe(single.ledger);
    const expected = Array.from({ length: 90_000 }, (_, i) => i % 997 === 5 || i % 1499 === 7).filter(Boolean).length;
    expect((threads.stderr + threads.stdout).match(/looks like/g)?.length).toBe(expected);
    expect((JSON.parse(threads.summary) as { warnings?: { lookAlikeClaimIds?: number } }).warnings?.lookAlikeClaimIds).toBe(expected);
  });
});
