/**
 * `payout pay` on 60,000 claims (past LEDGER_WORKER_MIN_ROWS): the ledger is read on a worker
 * thread while the claims are read (io/payments/ledger-thread.ts). A ledger that cannot be paid
 * from is refused with the error, exit code and output of a run on one thread (`PAYOUT_WORKERS=0`),
 * which reads the ledger before the claims: also when the claims file is wrong too, and when the
 * fault is in the ledger's last rows, long after the claims' reading has started.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const ROWS = 60_000;

describe('pay with the ledger read on a worker thread', () => {
  const dir = tempDir();
  const plan = dir.path('plan.json');
  const claims = dir.path('claims.csv');
  const from = dir.path('round1');

  beforeAll(async () => {
    const { claimsText } = (await import(pathToFileURL(join(ROOT, 'scripts/generate-payments-fixture.js')).href)) as {
      claimsText: (rows: number, seed: string) => string;
    };
    writeFileSync(claims, claimsText(ROWS, 'ledger-e2e'));
    const p = JSON.parse(readFileSync(join(ROOT, 'fixtures/payments/plan.json'), 'utf8')) as { gross: string };
    p.gross = `${ROWS * 92}.00`;
    writeFileSync(plan, JSON.stringify(p));
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
});
