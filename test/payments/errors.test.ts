/**
 * One bad input per error of `payout pay` and `payout reconcile`, each with its exit code and a
 * message naming the file, line and field; nothing is written by a run that fails.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = join(ROOT, 'fixtures/payments');
const PLAN = join(FIXTURE, 'plan.json');
const CLAIMS = join(FIXTURE, 'claims.csv');
const ELECTIONS = join(FIXTURE, 'elections.csv');

describe('payout pay and payout reconcile: bad inputs', () => {
  const dir = tempDir();
  const round1 = dir.path('round1');
  const pay1 = dir.path('pay1');
  const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as Record<string, unknown> & { payments: Record<string, unknown> };
  const pay = (args: string[], out = dir.path(`out-${Math.random().toString(36).slice(2)}`)) =>
    runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round1, '--elections', ELECTIONS, '--out', out, '--quiet', ...args]).then((r) => ({ ...r, out }));
  /** A payments.csv row of pay1 by method: [payment_id, claim_id, …]. */
  const paymentOf = (method: string): string[] =>
    readFileSync(join(pay1, 'payments.csv'), 'utf8').split('\n').find((l) => l.split(',')[3] === method)!.split(',');
  const reconcile = (returns: string, args: string[] = []) => {
    const file = dir.write(`returns-${Math.random().toString(36).slice(2)}.csv`, returns);
    const out = dir.path(`rec-${Math.random().toString(36).slice(2)}`);
    return runCli(['reconcile', '--pay', pay1, '--returns', file, '--out', out, ...args]).then((r) => ({ ...r, out, file }));
  };

  beforeAll(async () => {
    expect((await runCli(['allocate', '--plan', PLAN, CLAIMS, '--out', round1, '--quiet'])).code).toBe(0);
    expect((await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round1, '--elections', ELECTIONS, '--out', pay1, '--quiet'])).code).toBe(0);
  });

  it('a plan without a payments section: exit 2', async () => {
    const { payments: _p, ...rest } = plan;
    const file = dir.write('no-payments.json', JSON.stringify(rest));
    const r = await runCli(['pay', '--plan', file, CLAIMS, '--from', round1, '--out', dir.path('x1')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no "payments" section');
  });

  it('a payments section with a bad routing number: exit 2, naming its path', async () => {
    const bad = { ...plan, payments: { ...plan.payments, ach: { ...(plan.payments.ach as object), immediateDestination: '091000018' } } };
    const file = dir.write('bad-ach.json', JSON.stringify(bad));
    const r = await runCli(['pay', '--plan', file, CLAIMS, '--from', round1, '--out', dir.path('x2')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('payments.ach.immediateDestination: must be a 9-digit ABA routing number with a valid check digit');
  });

  it('ACH elections with no payments.ach section: exit 2', async () => {
    const { ach: _a, ...payments } = plan.payments;
    const file = dir.write('no-ach.json', JSON.stringify({ ...plan, payments }));
    const r = await runCli(['pay', '--plan', file, CLAIMS, '--from', round1, '--elections', ELECTIONS, '--out', dir.path('x3')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\d+ claims elected ACH: the plan's payments.ach section/);
    expect(existsSync(dir.path('x3'))).toBe(false);
  });

  it('a ledger edited after the run: exit 1, nothing paid from it', async () => {
    const edited = dir.path('edited');
    cpSync(round1, edited, { recursive: true });
    const ledger = join(edited, 'ledger.csv');
    writeFileSync(ledger, readFileSync(ledger, 'utf8').replace(/,152\.30\n/, ',1152.30\n'));
    const r = await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', edited, '--elections', ELECTIONS, '--out', dir.path('x4')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ledger\.csv does not match its manifest/);
    expect(existsSync(dir.path('x4'))).toBe(false);
  });

  it('a claims file other than the ledger\'s: exit 2', async () => {
    const other = dir.write('claims-other.csv', readFileSync(CLAIMS, 'utf8').replace('Chloé Okafor', 'Chloe Okafor'));
    const r = await runCli(['pay', '--plan', PLAN, other, '--from', round1, '--elections', ELECTIONS, '--out', dir.path('x5')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not the claims file the ledger was made from');
  });

  it('an elections file with a claim twice: exit 1, both lines named', async () => {
    const text = readFileSync(ELECTIONS, 'utf8');
    const file = dir.write('elections-dup.csv', text + text.split('\n')[1] + '\n');
    const r = await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round1, '--elections', file, '--out', dir.path('x6')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/elections-dup\.csv:37: claim_id: claim PX-0000003 is already elected on line 2/);
  });

  it('an elections file in Windows-1252: exit 1, one file-level error and 3 example lines, not one per line', async () => {
    // A note column with a Latin-1 "é" (0xE9) on every row, as Excel's "CSV" on Windows writes it.
    const lines = readFileSync(ELECTIONS, 'utf8').trimEnd().split('\n');
    const bytes = Buffer.concat(lines.map((l, i) => Buffer.concat([Buffer.from(`${l},${i === 0 ? 'note' : 'caf'}`), i === 0 ? Buffer.alloc(0) : Buffer.from([0xe9]), Buffer.from('\r\n')])));
    const file = dir.write('elections-1252.csv', bytes);
    const out = dir.path('x7');
    const r = await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round1, '--elections', file, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`elections-1252.csv: the file is not UTF-8: ${lines.length - 1} lines hold bytes that are not UTF-8 (the first 3 are listed; their rows are left out); it looks like Windows-1252`);
    expect(r.stderr.match(/elections-1252\.csv:\d+: invalid UTF-8 \(byte 0xE9\)/g)).toHaveLength(3);
    expect(r.stderr.match(/UTF-8/g)!.length).toBeLessThan(10);
    expect(existsSync(out)).toBe(false);
  });

  it('an earlier run in --out: exit 2 without --force; replaced with it', async () => {
    const r = await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round1, '--elections', ELECTIONS, '--out', pay1]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already holds ach-001.ach, addresses.csv, checks-001.csv, manifest.json, payments.csv, paypal-001.csv: use --force');
    const f = await pay(['--force'], dir.path('forced'));
    expect(f.code).toBe(0);
  });

  it("--force: an earlier run's payment file this run does not write again is removed in the same commit", async () => {
    const out = dir.path('fewer-files');
    expect((await pay([], out)).code).toBe(0);
    const written = readdirSync(out).sort();
    writeFileSync(join(out, 'paypal-009.csv'), 'a file of a larger earlier run\n');
    writeFileSync(join(out, 'notes.txt'), 'not a payment file: kept\n');
    const r = await pay(['--force'], out);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([...written, 'notes.txt'].sort());
  });

  it('reconcile: an unknown payment id, exit 1 at its line; nothing written', async () => {
    const r = await reconcile('payment_id,return_code,amount\nP1-0000000000000000,R01,10.00\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/returns-\w+\.csv:2: payment_id: unknown payment P1-0000000000000000/);
    expect(existsSync(r.out)).toBe(false);
  });

  it('reconcile: a payment reported twice, exit 1 naming the first line', async () => {
    const [id, , , , , , , amount] = paymentOf('ach');
    const r = await reconcile(`payment_id,return_code,amount\n${id},R01,${amount}\n${id},R02,${amount}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`:3: payment_id: payment ${id} \\(claim PX-\\d+\\) is already reported at .*:2`));
  });

  it('reconcile: an amount other than the one issued, exit 1', async () => {
    const [, , , , , , check, amount] = paymentOf('check');
    const other = (BigInt(amount!.replace('.', '')) + 1n).toString().replace(/(\d\d)$/, '.$1');
    const r = await reconcile(`check_number,status,amount\n${check},void,${other}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`:2: amount: ${other}, but payment `);
    expect(r.stderr).toContain(` was issued for ${amount}`);
  });

  it('reconcile: a return of the wrong kind and a bad R-code, exit 1', async () => {
    const [, claimId, , , , , , amount] = paymentOf('check');
    const r = await reconcile(`claim_id,return_code,amount\n${claimId},R01,${amount}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`:2: claim_id: unknown claim id ${claimId}: no ach payment of this run is for that claim`);
    const [achId, , , , , , , achAmount] = paymentOf('ach');
    const code = await reconcile(`payment_id,return_code,amount\n${achId},X9,${achAmount}\n`);
    expect(code.code).toBe(1);
    expect(code.stderr).toContain(':2: return_code: "X9" is not a return code');
  });

  it('reconcile: a file whose kind cannot be told, exit 2', async () => {
    const r = await reconcile('id,what\n1,2\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot tell the kind of returns file from its header');
  });

  it('reconcile: reissues without --issue-date, exit 2', async () => {
    const [id, , , , , , , amount] = paymentOf('paypal');
    const r = await reconcile(`payment_id,status,amount\n${id},unclaimed,${amount}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('reissued as checks: give their --issue-date');
  });
});
