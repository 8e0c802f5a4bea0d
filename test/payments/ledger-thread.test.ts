/**
 * A ledger read on a worker thread (io/payments/ledger-thread.ts) while the claims are read gives
 * the rows, amounts, totals, inputs and payment ids that reading it on the main thread
 * (readPaidLedger) gives, asked for while it is still being read; and a ledger that cannot be paid
 * from is refused with readPaidLedger's error. The worker is a compiled file (dist/): each case
 * runs in a process of its own on the built program.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
beforeAll(() => ensureBuilt());

const dist = (path: string): string => JSON.stringify(pathToFileURL(join(ROOT, 'dist', path)).href);
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** A round-1 folder holding `ledger` (its bytes), with a summary of `total` and a manifest of both (`tamper` edits the manifest). */
function folder(name: string, ledger: Buffer, total: string, rows: number, tamper: (m: { outputs: { file: string; sha256: string; rows?: number }[] }) => void = () => undefined): string {
  const dir = tmp.path(name);
  mkdirSync(dir, { recursive: true });
  const summary = JSON.stringify({ format: 'payout-summary/1', totals: { amount: total } });
  writeFileSync(join(dir, 'ledger.csv'), ledger);
  writeFileSync(join(dir, 'summary.json'), summary);
  const manifest = {
    format: 'payout-manifest/1',
    command: 'allocate',
    seed: 's',
    outputs: [
      { file: 'ledger.csv', sha256: sha(ledger), bytes: ledger.length, rows },
      { file: 'summary.json', sha256: sha(summary) },
    ],
  };
  tamper(manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

/**
 * Reads `dir` both ways: on this thread, and on the worker with every row asked for as it comes
 * (before `finish`); prints whether all agrees, or the two errors.
 */
const script = (dir: string, early = false): string => `
  const { openPaidLedger, readPaidLedger } = await import(${dist('io/payments/paid-ledger.js')});
  const { LedgerThread } = await import(${dist('io/payments/ledger-thread.js')});
  const { startLedgerWorkerEarly } = await import(${dist('io/payments/ledger-early.js')});
  if (${early}) startLedgerWorkerEarly(${JSON.stringify(dir)});
  const { PaymentIds } = await import(${dist('io/payments/payment-ids.js')});
  const { paymentIdMaker } = await import(${dist('app/pay.js')});
  const dir = ${JSON.stringify(dir)};
  const described = (e) => JSON.stringify({ name: e.name, message: e.message, problems: e.problems ?? [] });
  let one, oneError;
  try { one = await readPaidLedger(dir); } catch (e) { oneError = described(e); }
  const opened = await openPaidLedger(dir);
  const thread = await LedgerThread.start(opened, 's:payment:' + opened.round + ':', { minRows: 0 });
  if (thread === undefined) { console.log('no worker'); process.exit(0); }
  const problems = [];
  let other, otherError;
  try {
    if (one !== undefined) {
      const ids = new PaymentIds('s', opened.round, thread, { shared: thread.shared() });
      const make = paymentIdMaker('s', opened.round);
      for (let row = 0; row < one.ids.length; row++) {
        const id = one.ids.at(row);
        const bytes = Buffer.from(id, 'utf8');
        const ascii = bytes.length === id.length;
        // Asked for in turn: by bytes, by text, then the text itself (each may wait for the row).
        if (row % 3 === 0 && thread.isBytes(row, bytes, 0, bytes.length) !== ascii) problems.push('isBytes ' + row);
        if (!thread.is(row, id) || thread.is(row, id + 'x') || (id.length > 0 && thread.is(row, id.slice(1)))) problems.push('is ' + row);
        if (thread.at(row) !== id) problems.push('at ' + row + ' ' + thread.at(row) + ' ' + id);
        if (thread.amounts[row] !== one.amounts[row]) problems.push('amount ' + row);
        if (row % 7 === 0 && ids.id(row) !== make(id)) problems.push('payment id ' + row);
      }
      if (thread.at(one.ids.length) !== undefined || thread.is(one.ids.length, '')) problems.push('past the end');
      if (thread.length !== one.ids.length) problems.push('length ' + thread.length);
      for (let row = 0; row < one.ids.length; row++) if (ids.id(row) !== make(one.ids.at(row))) problems.push('payment id ' + row);
    }
    other = await thread.finish();
  } catch (e) {
    otherError = described(e);
  } finally {
    thread.close();
  }
  if (one !== undefined && other !== undefined) {
    if (other.paid.count !== one.paid.count || other.paid.amount !== one.paid.amount) problems.push('paid');
    if (JSON.stringify(other.inputs) !== JSON.stringify(one.inputs)) problems.push('inputs');
    if (other.amounts.length !== one.amounts.length) problems.push('amounts');
  }
  if (oneError !== otherError) problems.push('errors: ' + oneError + ' / ' + otherError);
  console.log(JSON.stringify({ rows: one?.ids.length, waits: thread.waits > 0, error: oneError, problems: problems.slice(0, 10) }));
`;

function run(name: string, dir: string, early = false): { rows?: number; waits: boolean; error?: string; problems: string[] } {
  const file = tmp.write(`${name}.mjs`, script(dir, early));
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { rows?: number; waits: boolean; error?: string; problems: string[] };
}

/** A ledger of `rows` rows: ids ASCII, not ASCII, defused formulas and bytes that are not UTF-8; amounts many and distinct, 0, and past 64 bits. */
function ledgerBytes(rows: number, o: { quoteAt?: number; badAt?: number } = {}): { bytes: Buffer; total: string } {
  const lines: Buffer[] = [Buffer.from('claim_id,outcome,amount\n')];
  let total = 0n;
  for (let i = 0; i < rows; i++) {
    const cents = i % 97 === 0 ? 0n : i === 5 ? 10n ** 22n : BigInt(i % 6000) * 7n + 1n;
    if (cents > 0n) total += cents;
    const amount = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
    const id = i === o.quoteAt ? '"Q,' + i + '"' : i % 13 === 0 ? `Zoë-${i}` : i % 29 === 0 ? `'=X${i}` : `C${i}`;
    const idBytes = i % 17 === 0 ? Buffer.from([0xff, 0xfe, 0xff, 0xfe]) : Buffer.from(id, 'utf8');
    lines.push(idBytes, Buffer.from(`,paid,${i === o.badAt ? 'x1' : amount}\n`));
  }
  return { bytes: Buffer.concat(lines), total: `${total / 100n}.${String(total % 100n).padStart(2, '0')}` };
}

describe('the ledger read on a worker thread', () => {
  it('gives the rows, amounts, totals and payment ids read on the main thread, each as it is asked for', () => {
    const { bytes, total } = ledgerBytes(30_000);
    const r = run('rows', folder('rows', bytes, total, 30_000));
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(30_000);
    expect(r.error).toBeUndefined();
  });

  it('gives them from a worker started early (payout pay starts it first thing for a ledger of 1 MiB or more)', () => {
    const { bytes, total } = ledgerBytes(70_000);
    expect(bytes.length).toBeGreaterThan(1 << 20);
    const r = run('early', folder('early', bytes, total, 70_000), true);
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(70_000);
  });

  it("starts the ledger's and the payment files' workers early only for a ledger of 1 MiB or more, and not with PAYOUT_WORKERS=0", () => {
    const big = folder('big', ledgerBytes(70_000).bytes, '0.00', 70_000);
    const small = folder('small', ledgerBytes(1000).bytes, '0.00', 1000);
    const started = (dir: string, env: Record<string, string> = {}): string => {
      const file = tmp.write('started.mjs', `
        const { startLedgerWorkerEarly, takeEarlyLedgerWorker, takeEarlyBuildWorker } = await import(${dist('io/payments/ledger-early.js')});
        startLedgerWorkerEarly(${JSON.stringify(dir)});
        const w = takeEarlyLedgerWorker();
        const b = takeEarlyBuildWorker();
        console.log(w !== undefined && b !== undefined && takeEarlyLedgerWorker() === undefined && takeEarlyBuildWorker() === undefined);
        await w?.terminate();
        await b?.terminate();
      `);
      return spawnSync(process.execPath, [file], { encoding: 'utf8', env: { ...process.env, ...env } }).stdout.trim();
    };
    expect([started(big), started(small), started(big, { PAYOUT_WORKERS: '0' })]).toEqual(['true', 'false', 'false']);
  });

  it('outgrows its buffers (ids longer once decoded than the file, more distinct amounts than its first table)', () => {
    // Ids of bytes that are not UTF-8 only: each byte becomes U+FFFD (3 bytes).
    const lines: Buffer[] = [Buffer.from('claim_id,amount\n')];
    for (let i = 0; i < 9000; i++) lines.push(Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa]), Buffer.from(`,${i}.01\n`));
    const total = (9000n * 8999n) / 2n * 100n + 9000n;
    const r = run('grow', folder('grow', Buffer.concat(lines), `${total / 100n}.${String(total % 100n).padStart(2, '0')}`, 9000));
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(9000);
  });

  it('reads a ledger with a quoted cell far into it again with the CSV reader, the rows given before it unchanged', () => {
    const { bytes, total } = ledgerBytes(20_000, { quoteAt: 15_000 });
    const r = run('quoted', folder('quoted', bytes, total, 20_000));
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(20_000);
  });

  it("refuses a ledger with readPaidLedger's error: edited, a bad row, a wrong total, no amount column, more rows than recorded", () => {
    const { bytes, total } = ledgerBytes(12_000);
    const cases = {
      edited: folder('edited', bytes, total, 12_000, (m) => void (m.outputs[0]!.sha256 = sha('other'))),
      bad: folder('bad', ledgerBytes(12_000, { badAt: 11_000 }).bytes, total, 12_000),
      total: folder('total', bytes, '1.00', 12_000),
      header: folder('header', Buffer.from('claim_id,outcome\nC1,paid\n'), '0.00', 1),
      more: folder('more', bytes, total, 11_000),
    };
    const errors: Record<string, string | undefined> = {};
    for (const [name, dir] of Object.entries(cases)) {
      const r = run(name, dir);
      expect(r.problems, name).toEqual([]);
      errors[name] = r.error;
    }
    expect(errors.edited).toContain('does not match its manifest');
    expect(errors.bad).toContain('1 row cannot be read');
    expect(errors.total).toContain('the amounts add up to');
    expect(errors.header).toContain('claim_id and amount columns are needed');
    // One thread reads every row; the worker has room for the rows the manifest records.
    expect(errors.more).toBeUndefined();
  });
});
