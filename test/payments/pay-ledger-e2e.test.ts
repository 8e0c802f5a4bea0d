/**
 * `payout pay` on 60,000 claims (past LEDGER_WORKER_MIN_ROWS): the ledger is read on a worker
 * thread while the claims are read (io/payments/ledger-thread.ts). A ledger that cannot be paid
 * from is refused with the error, exit code and output of a run on one thread (`PAYOUT_WORKERS=0`),
 * which reads the ledger before the claims: also when the claims file is wrong too, and when the
 * fault is in the ledger's last rows, long after the claims' reading has started.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writePaymentsInput } from '../helpers/payments-input.js';

const ROWS = 60_000;

describe('pay with the ledger read on a worker thread', () => {
  const dir = tempDir();
  let plan: string;
  let claims: string;
  const from = dir.path('round1');

  beforeAll(async () => {
    ({ plan, claims } = await writePaymentsInput(dir, ROWS, 'ledger-e2e'));
    const r = await runCli(['allocate', '--plan', plan, claims, '--out', from, '--quiet']);
    expect(r.code).toBe(0);
  }, 120_000);

  /** A copy of the round-1 folder with its ledger's text changed by `edit`. */
  const edited = (name: string, edit: (ledger: string) => string): string => {
    const to = dir.path(name);
    cpSync(from, to, { recursive: true });
    writeFileSync(join(to, 'ledger.csv'), edit(readFileSync(join(to, 'ledger.csv'), 'utf8')));
    return to;
  };
  const both = async (folder: string, claimsFile = claims, extra: string[] = []) => {
    const args = (out: string) => ['pay', '--plan', plan, claimsFile, '--from', folder, '--out', dir.path(out), '--quiet', ...extra];
    const worker = await runCli(args(`${folder}-worker`));
    const alone = await runCli(args(`${folder}-alone`), { env: { PAYOUT_WORKERS: '0' } });
    expect(existsSync(dir.path(`${folder}-worker`))).toBe(false);
    return { worker, alone };
  };
  const lastAmount = (text: string, to: string): string => text.replace(/,(\d+\.\d\d)\n$/, `,${to}\n`);

  it('a ledger edited in its last row: its manifest error, as on one thread', async () => {
    const { worker, alone } = await both(edited('edited', (t) => lastAmount(t, '7777.77')));
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain('does not match its manifest');
    expect([worker.code, worker.stdout, worker.stderr]).toEqual([alone.code, alone.stdout, alone.stderr]);
  }, 120_000);

  it('a ledger edited, and a claims file that is not its own: the ledger is the error, as on one thread', async () => {
    const other = dir.write('other-claims.csv', readFileSync(claims, 'utf8').replace(/\nPX-0000002,/, '\nPX-9999999,'));
    const { worker, alone } = await both(edited('edited2', (t) => lastAmount(t, '7777.77')), other);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain('does not match its manifest');
    expect([worker.code, worker.stdout, worker.stderr]).toEqual([alone.code, alone.stdout, alone.stderr]);
  }, 120_000);

  it('a reading of the claims file other than the recorded one: its warning only with a good ledger, as on one thread', async () => {
    // --delimiter ";" differs from the reading the manifest records (a warning), and finds no claim_id column (exit 2).
    const good = await both(from, claims, ['--delimiter', ';']);
    expect(good.worker.code).toBe(2);
    expect(good.worker.stderr).toContain('warning');
    expect([good.worker.code, good.worker.stdout, good.worker.stderr]).toEqual([good.alone.code, good.alone.stdout, good.alone.stderr]);
    const bad = await both(edited('edited3', (t) => lastAmount(t, '7777.77')), claims, ['--delimiter', ';']);
    expect(bad.worker.code).toBe(1);
    expect(bad.worker.stderr).not.toContain('warning');
    expect([bad.worker.code, bad.worker.stdout, bad.worker.stderr]).toEqual([bad.alone.code, bad.alone.stdout, bad.alone.stderr]);
  }, 120_000);

  // PAYOUT_TEST_LEDGER_FAULT (src/io/payments/ledger-shared.ts): a fault the ledger's worker makes,
  // for these tests only; PAYOUT_TEST_LEDGER_STALL_MS: how long pay waits without its heartbeat.
  const faulty = (name: string, env: Record<string, string>) =>
    runCli(['pay', '--plan', plan, claims, '--from', from, '--out', dir.path(name), '--quiet'], { env });
  const ledgerFailed = (name: string, r: { code: number; stdout: string; stderr: string }, why: string): void => {
    expect(r.stderr).toBe(`payout: ${join(from, 'ledger.csv')}: cannot read the ledger (the thread reading it ${why}; PAYOUT_WORKERS=0 reads it on the main thread)\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(dir.path(name))).toBe(false);
  };

  // Also the sign that the runs above read the ledger on the worker (their output is that of one
  // thread either way): at this size it is read there, or this run would not fail.
  it('a ledger worker that exits mid-file: the run ends at once with an error naming the ledger (exit 2), not a stall', async () => {
    ledgerFailed('exits', await faulty('exits', { PAYOUT_TEST_LEDGER_FAULT: 'exit:20000' }), 'stopped before it finished');
  }, 30_000);

  it('a ledger worker stuck mid-file: given up after the stall bound, the ledger named, not the claims file', async () => {
    ledgerFailed('stuck', await faulty('stuck', { PAYOUT_TEST_LEDGER_FAULT: 'stall:20000', PAYOUT_TEST_LEDGER_STALL_MS: '500' }), 'made no progress for 0.5 s');
  }, 30_000);

  it('a ledger worker started early and gone before it is taken: not used, the run as on one thread', async () => {
    const gone = await faulty('early-gone', { PAYOUT_TEST_LEDGER_FAULT: 'early-exit' });
    const alone = await runCli(['pay', '--plan', plan, claims, '--from', from, '--out', dir.path('early-alone'), '--quiet'], { env: { PAYOUT_WORKERS: '0' } });
    expect([gone.code, gone.stdout, gone.stderr]).toEqual([alone.code, alone.stdout, alone.stderr]);
  }, 30_000);
});
