/**
 * The payment files built on a worker thread (io/payments/pay-builder.ts) are the bytes the main
 * thread's PaymentBatchBuilder makes, with each file's SHA-256. The worker is a compiled file
 * (dist/): each case runs in a process of its own on the built program.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { PAYMENTS_SECTION } from './helpers.js';

const tmp = tempDir();
beforeAll(() => ensureBuilt());

const dist = (path: string): string => JSON.stringify(pathToFileURL(join(ROOT, 'dist', path)).href);

function runAlone(name: string, script: string): { code: number | null; stdout: string; stderr: string } {
  const file = tmp.write(`${name}.mjs`, script);
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A script building `paid` claims of a ledger of `rows` both ways, printing whether all agrees. */
const script = (rows: number, paid: number, restart: boolean | number, entriesPerFile = 700, ring = 16, idsFail = false, stageDir = ''): string => `
  import { createHash } from 'node:crypto';
  import { readdirSync, readFileSync } from 'node:fs';
  const { PayBuilderThread } = await import(${dist('io/payments/pay-builder.js')});
  const { PaymentIds } = await import(${dist('io/payments/payment-ids.js')});
  const { LedgerIds } = await import(${dist('io/payments/ledger-ids.js')});
  const { PaymentBatchBuilder } = await import(${dist('core/payments/batch.js')});
  const { paymentsSchema } = await import(${dist('core/payments/plan-section.js')});
  const { paymentIdMaker } = await import(${dist('app/pay.js')});
  const config = paymentsSchema.parse(${JSON.stringify({ ...PAYMENTS_SECTION, ach: { ...PAYMENTS_SECTION.ach, entriesPerFile } })});
  // Rows 7 and 3 share a claim id, so a payment id (found twice by both builders).
  const ledgerIds = Array.from({ length: ${rows} }, (_, i) => (i === 7 ? 'PX-0000003' : i % 11 === 0 ? 'Zoë-' + i : 'PX-' + String(i).padStart(7, '0')));
  const claims = [];
  for (let row = 0; row < ${paid}; row++) {
    const claimId = ledgerIds[row];
    const amount = 100n + BigInt(row % 977);
    const m = { name: 'Zoë, "Z" ' + row, address: row + ' Main St', address2: '', city: '=Chicago', state: 'IL', zip: '60601' };
    if (row % 3 === 2) claims.push({ claimId, amount, row, election: { method: 'ach', routing: '021000021', account: String(10000 + row), accountType: row % 2 ? 'savings' : 'checking', name: 'José ' + row }, mailing: m });
    else if (row % 5 === 0) claims.push({ claimId, amount, row, election: { method: 'check', ...m }, mailing: m });
    else claims.push({ claimId, amount, row, election: { method: row % 2 ? 'paypal' : 'venmo', recipient: 'p' + row + '@example.com', recipientKind: 'email' } });
  }
  const paymentId = paymentIdMaker('seed-1', 1);
  const ids = new PaymentIds('seed-1', 1, LedgerIds.from(ledgerIds));
  console.log('id worker', ids.shared().progress !== undefined);
  ${idsFail ? 'ids.close(); new Int32Array(ids.shared().progress)[1] = 1;' : ''}
  const stage = ${stageDir ? `{ dir: ${JSON.stringify(stageDir)}, suffix: '.run-1.tmp' }` : 'undefined'};
  const thread = PayBuilderThread.start({ config, currency: 'USD', round: 1, ids, paymentId, ring: ${ring}, stage });
  console.log('on worker', thread !== undefined);
  ${restart !== false ? `for (const c of claims.slice(0, ${restart === true ? 999 : restart})) thread.add(c); if (stage !== undefined) { thread.records.flush(); for (let i = 0; i < 500 && readdirSync(stage.dir).length < 3; i++) await new Promise((r) => setTimeout(r, 20)); console.log('first pass', readdirSync(stage.dir).length >= 3); } thread.restart();` : ''}
  for (const c of claims) thread.add(c);
  const built = await thread.finish();
  ids.close();
  const main = new PaymentBatchBuilder({ config, currency: 'USD', round: 1, paymentId, bytes: true });
  for (const c of claims) main.add({ ...c, row: undefined });
  const want = main.finish();
  const bytes = (chunks) => Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
  const files = [...want.files.map((f) => [f.name, f.text]), ['payments.csv', want.payments], ['addresses.csv', want.addresses]];
  const got = new Map([...built.batch.files.map((f) => [f.name, f.text]), ['payments.csv', built.batch.payments], ['addresses.csv', built.batch.addresses]]);
  let same = got.size === files.length;
  if (stage !== undefined) {
    // Written as made: no bytes came back, each file is at its staged name with the size told, and nothing else is there.
    same &&= [...got.values()].every((chunks) => chunks.length === 0);
    for (const [name] of files) {
      const b = readFileSync(stage.dir + '/' + name + stage.suffix);
      same &&= built.written[name] === b.length;
      got.set(name, [b]);
    }
    same &&= readdirSync(stage.dir).length === files.length;
    // Written on libuv's threads, not on the worker's: fewer than a tenth of the blocks there (all of them past the first 16 when it was behind, before).
    console.log('blocks written', built.writes.all >= 30 ? 'many' : 'few', 'on the worker', built.writes.here * 10 < built.writes.all ? 'few' : 'many');
  }
  for (const [name, text] of files) {
    const b = bytes(text);
    same &&= got.has(name) && bytes(got.get(name)).equals(b) && built.sha256[name] === createHash('sha256').update(b).digest('hex');
  }
  same &&= JSON.stringify(built.batch.controls, (k, v) => (typeof v === 'bigint' ? String(v) : v)) === JSON.stringify(want.controls, (k, v) => (typeof v === 'bigint' ? String(v) : v));
  same &&= JSON.stringify(built.batch.duplicateIds) === JSON.stringify(want.duplicateIds);
  console.log('files', files.length, 'same', same, 'ids made twice', built.batch.duplicateIds.length);
`;

describe('payment files built on a worker thread', () => {
  it('are the bytes and hashes of the main thread, the ids read as the payment-id worker makes them', () => {
    const r = runAlone('shared-ids', script(60_000, 12_000, false));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('id worker true\non worker true\nfiles 11 same true ids made twice 1\n');
    expect(r.code).toBe(0);
  });

  it('are the same with the ids hashed by the worker itself (a ledger too small for the payment-id worker), after a restart', () => {
    const r = runAlone('own-ids', script(3_000, 3_000, true));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('id worker false\non worker true\nfiles 6 same true ids made twice 1\n');
    expect(r.code).toBe(0);
  });

  it('refuses, as the main thread does, what the plan has no part for', () => {
    const r = runAlone('no-ach', `
      const { PayBuilderThread } = await import(${dist('io/payments/pay-builder.js')});
      const { PaymentIds } = await import(${dist('io/payments/payment-ids.js')});
      const { paymentsSchema } = await import(${dist('core/payments/plan-section.js')});
      const config = paymentsSchema.parse(${JSON.stringify({ ...PAYMENTS_SECTION, ach: undefined })});
      const ids = new PaymentIds('s', 1, ['A1']);
      const thread = PayBuilderThread.start({ config, currency: 'USD', round: 1, ids, paymentId: (c) => c });
      thread.add({ claimId: 'A1', amount: 5n, row: 0, election: { method: 'ach', routing: '021000021', account: '12345', accountType: 'checking', name: 'A' } });
      await thread.finish().then(() => console.log('built'), (e) => console.log(e.constructor.name, e.message));
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^UsageError 1 claim elected ACH: the plan's payments\.ach section/);
  });
});

describe('payment files written as they are made', () => {
  it("are at the run's staged names, the same bytes and hashes; a restart removes the first pass's files", () => {
    const dir = tmp.path('staged');
    mkdirSync(dir);
    const r = runAlone('staged', script(30_000, 30_000, 25_000, 700, 16, false, dir));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('id worker false\non worker true\nfirst pass true\nblocks written few on the worker few\nfiles 22 same true ids made twice 1\n');
  });

  it("are written on libuv's threads while the worker makes rows, even when it is behind the reading thread", () => {
    const dir = tmp.path('staged-many');
    mkdirSync(dir);
    // 200,000 claims: the ring's 16 blocks of records are full at once, ~45 MB of rows to write.
    const r = runAlone('staged-many', script(200_000, 200_000, false, 100_000, 16, false, dir));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('id worker true\non worker true\nblocks written many on the worker few\nfiles 26 same true ids made twice 1\n');
  });

  it('are removed with the run when the worker stops before the end', () => {
    const dir = tmp.path('gone-staged');
    const r = runAlone('gone-staged', `
      import { existsSync, readdirSync } from 'node:fs';
      const { PayBuilderThread } = await import(${dist('io/payments/pay-builder.js')});
      const { PaymentIds } = await import(${dist('io/payments/payment-ids.js')});
      const { OutputSet } = await import(${dist('io/atomic-output.js')});
      const { paymentsSchema } = await import(${dist('core/payments/plan-section.js')});
      const config = paymentsSchema.parse(${JSON.stringify(PAYMENTS_SECTION)});
      const out = await OutputSet.open(${JSON.stringify(dir)}, [], false);
      const ids = new PaymentIds('s', 1, Array.from({ length: 12000 }, (_, i) => 'A' + i));
      const thread = PayBuilderThread.start({ config, currency: 'USD', round: 1, ids, paymentId: (c) => c, stage: out.stage() });
      for (let row = 0; row < 12000; row++) thread.add({ claimId: 'A' + row, amount: 100n, row, election: { method: 'paypal', recipient: 'a' + row + '@example.com', recipientKind: 'email' } });
      thread.records.flush();
      // Two PayPal files of 5,000 rows are complete: the worker has written them.
      for (let i = 0; i < 500 && readdirSync(${JSON.stringify(dir)}).filter((n) => n.startsWith('paypal-')).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      console.log('written', readdirSync(${JSON.stringify(dir)}).filter((n) => n.startsWith('paypal-')).length);
      await thread.worker.terminate();
      ids.close();
      try {
        await thread.finish();
        console.log('finished');
      } catch (err) {
        console.log('error', err.message);
        await out.abort();
      }
      console.log('left', existsSync(${JSON.stringify(dir)}) ? readdirSync(${JSON.stringify(dir)}).join(' ') : 'no folder');
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^written 2\nerror the payment files' worker stopped \(exit code \d+\) before it finished\nleft no folder\n$/);
  });
});

describe('a run ending before it finished (a signal, an exit)', () => {
  it('stops the worker making files before the folder is cleaned: none is left', () => {
    const dir = tmp.path('interrupted');
    const r = runAlone('interrupted', `
      import { existsSync, readdirSync } from 'node:fs';
      const { PayBuilderThread } = await import(${dist('io/payments/pay-builder.js')});
      const { PaymentIds } = await import(${dist('io/payments/payment-ids.js')});
      const { OutputSet } = await import(${dist('io/atomic-output.js')});
      const { runCleanups } = await import(${dist('io/run-cleanup.js')});
      const { paymentsSchema } = await import(${dist('core/payments/plan-section.js')});
      const config = paymentsSchema.parse(${JSON.stringify(PAYMENTS_SECTION)});
      const out = await OutputSet.open(${JSON.stringify(dir)}, [], false);
      const ids = new PaymentIds('s', 1, Array.from({ length: 30000 }, (_, i) => 'A' + i));
      const thread = PayBuilderThread.start({ config, currency: 'USD', round: 1, ids, paymentId: (c) => c, stage: out.stage() });
      const add = (from, to) => { for (let row = from; row < to; row++) thread.add({ claimId: 'A' + row, amount: 100n, row, election: { method: 'paypal', recipient: 'a' + row + '@example.com', recipientKind: 'email' } }); thread.records.flush(); };
      const paypal = () => (existsSync(${JSON.stringify(dir)}) ? readdirSync(${JSON.stringify(dir)}).filter((n) => n.startsWith('paypal-')).length : 0);
      add(0, 6000);
      for (let i = 0; i < 500 && paypal() < 1; i++) await new Promise((r) => setTimeout(r, 20));
      console.log('written', paypal());
      runCleanups(); // what SIGINT runs before the process exits
      console.log('after cleanup', existsSync(${JSON.stringify(dir)}) ? readdirSync(${JSON.stringify(dir)}).join(' ') : 'no folder');
      add(6000, 30000); // more PayPal files to make: the worker must make none
      await thread.finish().then(() => console.log('finished'), (e) => console.log('error', e.message.split('/').pop()));
      ids.close();
      console.log('left', existsSync(${JSON.stringify(dir)}) ? readdirSync(${JSON.stringify(dir)}).join(' ') : 'no folder');
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('written 1\nafter cleanup no folder\nerror paypal-002.csv: not made, the run is ending\nleft no folder\n');
  });
});

describe('a payment file the worker cannot write', () => {
  it('fails the run with the file and why, as a usage error', () => {
    const dir = tmp.path('no-such-folder');
    const r = runAlone('cannot-write', `
      const { PayBuilderThread } = await import(${dist('io/payments/pay-builder.js')});
      const { PaymentIds } = await import(${dist('io/payments/payment-ids.js')});
      const { paymentsSchema } = await import(${dist('core/payments/plan-section.js')});
      const config = paymentsSchema.parse(${JSON.stringify(PAYMENTS_SECTION)});
      const ids = new PaymentIds('s', 1, Array.from({ length: 6000 }, (_, i) => 'A' + i));
      const thread = PayBuilderThread.start({ config, currency: 'USD', round: 1, ids, paymentId: (c) => c, stage: { dir: ${JSON.stringify(dir)}, suffix: '.run.tmp' } });
      for (let row = 0; row < 6000; row++) thread.add({ claimId: 'A' + row, amount: 100n, row, election: { method: 'paypal', recipient: 'a' + row + '@example.com', recipientKind: 'email' } });
      await thread.finish().then(() => console.log('built'), (e) => console.log(e.constructor.name, e.message));
      ids.close();
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^UsageError .*no-such-folder\/paypal-001\.csv: cannot write \(ENOENT: .*nothing was written and the folder is as it was\n$/);
  });
});

describe('claims given to the files\' worker as bytes', () => {
  it('are taken, but for an ACH amount no NACHA file can hold (left to `add`, which refuses it)', () => {
    const r = runAlone('add-bytes', `
      const { PayBuilderThread } = await import(${dist('io/payments/pay-builder.js')});
      const { PaymentIds } = await import(${dist('io/payments/payment-ids.js')});
      const { LedgerIds } = await import(${dist('io/payments/ledger-ids.js')});
      const { ElectionBytes } = await import(${dist('core/payments/election-bytes.js')});
      const { paymentsSchema } = await import(${dist('core/payments/plan-section.js')});
      const config = paymentsSchema.parse(${JSON.stringify(PAYMENTS_SECTION)});
      const ids = new PaymentIds('s', 1, LedgerIds.from(['A1', 'A2']));
      const thread = PayBuilderThread.start({ config, currency: 'USD', round: 1, ids, paymentId: (c) => c });
      const cells = ['ach', '', '', '', '021000021', '12345', 'checking', 'Ana', '', '', '', '', ''];
      const src = Buffer.from('A1A2' + cells.join(''));
      const at = new Int32Array(26);
      let u = 4;
      cells.forEach((c, k) => { at[2 * k] = u; at[2 * k + 1] = u += c.length; });
      const e = new ElectionBytes();
      console.log(e.read(src, at), thread.addBytes(0, 10_000_000_000n, src, 0, 2, e), thread.addBytes(1, 1234n, src, 2, 4, e));
      const built = await thread.finish();
      console.log(built.batch.controls.methods.ach.count, String(built.batch.controls.methods.ach.amount), built.batch.files.map((f) => f.name).join());
      ids.close();
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true false true\n1 1234 ach-001.ach\n');
  });
});

describe('payment ids past a payment-id worker that failed', () => {
  it('are hashed on the files\' worker from the claim ids, the same bytes', () => {
    // The payment-id worker is stopped as it starts and marked failed: the rows it has not done are hashed from the records.
    const r = runAlone('ids-failed', script(100_000, 70_000, false, 700, 16, true));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('id worker true\non worker true\nfiles 45 same true ids made twice 1\n');
  });
});

describe('which runs build on a worker', () => {
  it('from 65,536 paid claims on, unless PAYOUT_WORKERS=0', async () => {
    const { buildsOnWorker, PAY_BUILDER_MIN_CLAIMS } = await import('../../src/io/payments/pay-builder.js');
    expect(PAY_BUILDER_MIN_CLAIMS).toBe(65_536);
    const before = process.env.PAYOUT_WORKERS;
    try {
      delete process.env.PAYOUT_WORKERS;
      expect([buildsOnWorker(65_535), buildsOnWorker(65_536)]).toEqual([false, true]);
      process.env.PAYOUT_WORKERS = '0';
      expect(buildsOnWorker(1_000_000)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.PAYOUT_WORKERS;
      else process.env.PAYOUT_WORKERS = before;
    }
  });
});

describe("the payment files' worker", () => {
  it.runIf(existsSync('/proc/thread-self'))('yields to the reading thread: 10 nice steps below it', () => {
    const r = runAlone('priority', `
      import { readdirSync, readFileSync } from 'node:fs';
      import { getPriority } from 'node:os';
      const { PayBuilderThread } = await import(${dist('io/payments/pay-builder.js')});
      const { PaymentIds } = await import(${dist('io/payments/payment-ids.js')});
      const { paymentsSchema } = await import(${dist('core/payments/plan-section.js')});
      const config = paymentsSchema.parse(${JSON.stringify(PAYMENTS_SECTION)});
      const thread = PayBuilderThread.start({ config, currency: 'USD', round: 1, ids: new PaymentIds('s', 1, ['A1']), paymentId: (c) => c });
      const want = Math.min(19, getPriority() + 10);
      let lowered = want > getPriority() ? 0 : 1; // a process at nice 19 already: nothing to lower
      for (let i = 0; i < 200 && lowered === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        for (const t of readdirSync('/proc/self/task')) {
          if (t === String(process.pid)) continue;
          const stat = readFileSync('/proc/self/task/' + t + '/stat', 'utf8');
          if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) === want) lowered++;
        }
      }
      console.log('threads lowered', lowered);
      thread.close();
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('threads lowered 1\n');
  });
});

describe('blocks of records', () => {
  it('go through a ring of shared memory: a reading thread far ahead waits for the worker, and the bytes are the same', () => {
    // 100,000 claims are about 10 MiB of records: a ring of 3 blocks of 1 MiB goes round, the writer waiting on the worker.
    const r = runAlone('ring', script(100_000, 100_000, false, 5000, 3));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('id worker true\non worker true\nfiles 21 same true ids made twice 1\n');
  });
});

describe("a payment files' worker gone before the end", () => {
  it('fails the run with what happened, rather than wait for an answer that never comes', () => {
    const r = runAlone('gone', `
      const { PayBuilderThread } = await import(${dist('io/payments/pay-builder.js')});
      const { PaymentIds } = await import(${dist('io/payments/payment-ids.js')});
      const { paymentsSchema } = await import(${dist('core/payments/plan-section.js')});
      const config = paymentsSchema.parse(${JSON.stringify(PAYMENTS_SECTION)});
      const ids = new PaymentIds('s', 1, ['A1']);
      const thread = PayBuilderThread.start({ config, currency: 'USD', round: 1, ids, paymentId: (c) => c });
      thread.add({ claimId: 'A1', amount: 100n, row: 0, election: { method: 'paypal', recipient: 'a@example.com', recipientKind: 'email' } });
      await thread.worker.terminate();
      ids.close();
      const keepAlive = setTimeout(() => console.log('still waiting'), 10_000);
      try {
        await thread.finish();
        console.log('finished');
      } catch (err) {
        console.log('error', err.message);
      }
      clearTimeout(keepAlive);
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^error the payment files' worker stopped \(exit code \d+\) before it finished\n$/);
  });
});
