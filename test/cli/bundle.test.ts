/**
 * The bundle that bin/payout.js runs (scripts/bundle.js): every file a chunk loads at run time is
 * there. The workers are found by path rather than imported, and a run without them still works
 * (on one thread, slower), so no other test would notice one missing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { LedgerRows } from '../../src/core/ledger.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { ledgerJob } from '../helpers/ledger-job.js';
import { makeBulkTable } from '../helpers/make-table.js';
import { ROOT, ensureBuilt, runCli } from '../helpers/run-cli.js';

const BUNDLE = join(ROOT, 'dist/bundle');

describe('dist/bundle', () => {
  beforeAll(() => ensureBuilt());

  it('is what bin/payout.js runs', () => {
    expect(readFileSync(join(ROOT, 'bin/payout.js'), 'utf8')).toMatch(/from '\.\.\/dist\/bundle\/main\.js'/);
  });

  it('has each worker next to the chunk that starts it', () => {
    const files = readdirSync(BUNDLE);
    const started = files.flatMap((f) => [...readFileSync(join(BUNDLE, f), 'utf8').matchAll(/new URL\(["']\.\/([^"']+)["'], import\.meta\.url\)/g)].map((m) => m[1]));
    // pay-build-worker.js is started from two places (the command, first thing, and its builder).
    expect([...new Set(started)].sort()).toEqual(['dedupe-worker.js', 'ledger-worker.js', 'paid-ledger-worker.js', 'pay-build-worker.js', 'receipts-worker.js']);
    for (const worker of started) expect(files).toContain(worker);
  });

  it('imports only its own chunks and Node modules', () => {
    const files = new Set(readdirSync(BUNDLE));
    let imports = 0;
    for (const f of files) {
      const text = readFileSync(join(BUNDLE, f), 'utf8');
      // Static imports start a line; dynamic ones are awaited (a JSDoc `{ import("./x.js") }` is neither).
      const specs = [...text.matchAll(/^(?:import|export)\b[^;\n]*?\bfrom\s*"([^"]+)"/gm), ...text.matchAll(/\bawait\s+import\("([^"]+)"\)/g)];
      imports += specs.length;
      for (const m of specs) {
        const spec = m[1] as string;
        if (spec.startsWith('./')) expect(files, `${f} imports ${spec}`).toContain(spec.slice(2));
        else expect(isBuiltin(spec), `${f} imports ${spec}: not a Node module, and not bundled`).toBe(true);
      }
    }
    expect(imports).toBeGreaterThan(20); // the patterns above do find the imports
  });

  it('has a ledger worker that makes the blocks it takes', async () => {
    // A job as io/ledger-bytes.ts posts it, for 5 rows in blocks of 2, none taken by this thread.
    const { plan } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json'));
    const table = makeBulkTable(plan, [{ class: 'nationwide', count: 3 }, { class: 'illinois', count: 2, status: 'rejected' }], '=T,');
    const { job, state, source } = ledgerJob(plan, table, 2);
    const worker = new Worker(join(BUNDLE, 'ledger-worker.js'));
    try {
      const blocks: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (m: { block?: number; bytes?: Uint8Array; done?: boolean }) => {
          if (m.bytes !== undefined) blocks[m.block as number] = Buffer.from(m.bytes);
          if (m.done) resolve();
          Atomics.store(state, 1, blocks.filter(Boolean).length); // as if written
        });
        worker.postMessage(job);
      });
      expect(blocks.length).toBe(3);
      expect(Buffer.concat(blocks).toString('utf8')).toBe(Buffer.from(new LedgerRows(source).rows(0, 5)).toString('utf8'));
    } finally {
      await worker.terminate();
    }
  });

  it('runs a command end to end', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
