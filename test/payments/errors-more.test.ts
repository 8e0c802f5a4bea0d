/**
 * The rest of docs/errors.md's pay and reconcile messages, one bad input each (errors.test.ts has
 * the first ones): exit code, the message with its file and line, nothing written.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = join(ROOT, 'fixtures/payments');
const PLAN = join(FIXTURE, 'plan.json');
const CLAIMS = join(FIXTURE, 'claims.csv');
const ELECTIONS = join(FIXTURE, 'elections.csv');

describe('payout pay and reconcile: more bad inputs', () => {
  const dir = tempDir();
  const round1 = dir.path('round1');
  const pay1 = dir.path('pay1');
  const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as Record<string, unknown> & { payments: Record<string, unknown> };
  let n = 0;
  const out = () => dir.path(`out-${n++}`);
  const pay = async (args: string[], o: { plan?: string; claims?: string; from?: string; elections?: string } = {}) => {
    const to = out();
    const r = await runCli(['pay', '--plan', o.plan ?? PLAN, o.claims ?? CLAIMS, '--from', o.from ?? round1, '--elections', o.elections ?? ELECTIONS, '--out', to, '--quiet', ...args]);
    return { ...r, out: to };
  };
  /** A copy of round1 with `edit` applied to its files, the manifest's hashes of ledger and summary made to match. */
  const edited = (name: string, edit: { ledger?: (t: string) => string; summary?: (t: string) => string; manifest?: (m: Record<string, unknown>) => void }) => {
    const d = dir.path(name);
    cpSync(round1, d, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as Record<string, unknown> & { outputs: { file: string; sha256: string }[] };
    for (const [file, f] of [['ledger.csv', edit.ledger], ['summary.json', edit.summary]] as const) {
      if (f === undefined) continue;
      const text = f(readFileSync(join(d, file), 'utf8'));
      writeFileSync(join(d, file), text);
      manifest.outputs.find((o) => o.file === file)!.sha256 = createHash('sha256').update(text).digest('hex');
    }
    edit.manifest?.(manifest);
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(manifest, null, 2));
    return d;
  };
  const reconcile = async (returns: string, payDir = pay1) => {
    const file = dir.write(`returns-${n++}.csv`, returns);
    const to = out();
    const r = await runCli(['reconcile', '--pay', payDir, '--returns', file, '--out', to, '--issue-date', '2027-01-15']);
    return { ...r, out: to };
  };
  const paymentOf = (method: string): string[] =>
    readFileSync(join(pay1, 'payments.csv'), 'utf8').split('\n').find((l) => l.split(',')[3] === method)!.split(',');

  beforeAll(async () => {
    expect((await runCli(['allocate', '--plan', PLAN, CLAIMS, '--out', round1, '--quiet'])).code).toBe(0);
    expect((await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round1, '--elections', ELECTIONS, '--out', pay1, '--quiet'])).code).toBe(0);
  });

  it('--issue-date and --check-start that are not a date or a number: exit 2', async () => {
    const d = await pay(['--issue-date', '2026-02-30']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('--issue-date 2026-02-30: give a calendar date as YYYY-MM-DD');
    const c = await pay(['--check-start', '12a']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--check-start 12a: give the first check number, digits only');
    expect(existsSync(c.out)).toBe(false);
  });

  it('checks with no payments.check section, --check-start without one: exit 2', async () => {
    const { check: _c, ...payments } = plan.payments;
    const file = dir.write('no-check.json', JSON.stringify({ ...plan, payments }));
    const r = await pay([], { plan: file });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\d+ claims are paid by check: the plan's payments\.check section \(startNumber\) is needed/);
    const s = await pay(['--check-start', '5'], { plan: file });
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('--check-start: the plan has no payments.check section to number');
  });

  it('more NACHA files than the 36 file id modifiers of a day: exit 2', async () => {
    const file = dir.write('small-ach.json', JSON.stringify({ ...plan, payments: { ...plan.payments, ach: { ...(plan.payments.ach as object), entriesPerFile: 10 } } }));
    const r = await pay([], { plan: file });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('more ACH payments than 36 NACHA files of 10, the file id modifiers of one day: raise payments.ach.entriesPerFile');
    expect(existsSync(r.out)).toBe(false);
  });

  it('an elections file: an empty claim_id, bytes that are not UTF-8, a claim not in the ledger', async () => {
    const file = dir.write('elections-bad.csv', Buffer.concat([Buffer.from('claim_id,payment_method\n,check\nPX-0000003,p\xe9y\n', 'latin1')]));
    const r = await pay([], { elections: file });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('elections-bad.csv:2: claim_id: empty claim_id');
    expect(r.stderr).toMatch(/elections-bad\.csv: the file is not UTF-8/);
    expect(r.stderr).toMatch(/elections-bad\.csv:3: invalid UTF-8/);
    const unused = await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round1, '--elections', ELECTIONS, '--out', out(), '--max-errors', '1000']);
    expect(unused.code).toBe(0);
    expect(unused.stderr).toMatch(/elections\.csv:\d+: claim_id: claim PX-9999999 is not in the ledger; its election is not used/);
  });

  it('an elections file without a claim_id column, or empty: exit 2', async () => {
    const r = await pay([], { elections: dir.write('elections-noid.csv', 'id,payment_method\nPX-0000003,check\n') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('elections-noid.csv:1: no claim_id column (found: id, payment_method): the elections are joined on claim_id');
    const e = await pay([], { elections: dir.write('elections-empty.csv', '') });
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('elections-empty.csv: empty, expected a header with a claim_id column');
  });

  it('a claims file with other rows, fewer rows, or none (the manifest records no claims hash): exit 1, 1, 2', async () => {
    const from = edited('no-claims-hash', { manifest: (m) => void delete m.claims });
    const [header, ...rows] = readFileSync(CLAIMS, 'utf8').trimEnd().split('\n');
    const swapped = dir.write('claims-swapped.csv', `${[header, rows[1], rows[0], ...rows.slice(2)].join('\n')}\n`);
    const s = await pay([], { claims: swapped, from });
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/claims-swapped\.csv:2: claim_id: claim PX-0000002 where the ledger's row 1 is PX-0000001: the claims file is not the one .*ledger\.csv was made from/);
    const short = dir.write('claims-short.csv', `${[header, ...rows.slice(0, -1)].join('\n')}\n`);
    const f = await pay([], { claims: short, from });
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(new RegExp(`claims-short\\.csv: ${(rows.length - 1).toLocaleString('en-US')} claims, the ledger ${rows.length.toLocaleString('en-US')} rows: the claims file is not the one`));
    const none = await pay([], { claims: dir.write('claims-none.csv', ''), from });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('claims-none.csv: empty, not a claims file');
  });

  it('--from: the folder of another command, no manifest of payout: exit 2', async () => {
    const r = await pay([], { from: pay1 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds the output of payout pay: pay from the folder of payout allocate or payout redistribute');
    const d = dir.path('not-manifest');
    cpSync(round1, d, { recursive: true });
    writeFileSync(join(d, 'manifest.json'), '{"outputs": 3}');
    const m = await pay([], { from: d });
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/manifest\.json: not a payout manifest|incomplete run/);
  });

  it('--from: a ledger amount that is no amount, amounts that do not add up to the summary, a summary without totals', async () => {
    const bad = await pay([], { from: edited('bad-amount', { ledger: (t) => t.replace(/,152\.30\n/, ',15x.30\n') }) });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ledger\.csv:\d+: amount: "15x\.30" is not an amount/);
    const sum = await pay([], { from: edited('bad-sum', { ledger: (t) => t.replace(/,152\.30\n/, ',152.31\n') }) });
    expect(sum.code).toBe(1);
    expect(sum.stderr).toMatch(/ledger\.csv: the amounts add up to \$?[\d,.]+, but .*summary\.json says totals\.amount/);
    const tot = await pay([], { from: edited('no-totals', { summary: (t) => JSON.stringify({ ...JSON.parse(t), totals: {} }) }) });
    expect(tot.code).toBe(2);
    expect(tot.stderr).toContain('summary.json: not a payout summary (totals.amount is needed)');
  });

  it('reconcile: --pay not a pay folder (exit 2), a pay folder edited after the run (exit 1)', async () => {
    const r = await reconcile('payment_id,return_code,amount\n', round1);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not the folder of payout pay (its manifest\'s command is "allocate")');
    const d = dir.path('pay-edited');
    cpSync(pay1, d, { recursive: true });
    writeFileSync(join(d, 'payments.csv'), readFileSync(join(d, 'payments.csv'), 'utf8').replace(/\n$/, '\n\n'));
    const e = await reconcile('payment_id,return_code,amount\n', d);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain('the payment files are not the ones its manifest records');
    expect(e.stderr).toContain('payments.csv does not match its manifest');
  });

  it('reconcile: a returns file with no amount column or empty (exit 2)', async () => {
    const a = await reconcile('payment_id,return_code\nP1-x,R01\n');
    expect(a.code).toBe(2);
    expect(a.stderr).toContain(':1: no amount column: every returned or reported payment is checked against the amount issued');
    const e = await reconcile('');
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(': empty, expected a header');
  });

  it('reconcile: a row naming no payment, a PayPal or check status not known (exit 1)', async () => {
    const none = await reconcile('payment_id,return_code,amount\n,R01,1.00\n');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(':2: trace_number: the row names no payment (payment_id, trace_number or claim_id)');
    const [id, , , , , , , amount] = paymentOf('paypal');
    const pp = await reconcile(`payment_id,status,amount\n${id},lost,${amount}\n`);
    expect(pp.code).toBe(1);
    expect(pp.stderr).toContain(':2: status: "lost": a PayPal status must be one of');
    const [, , , , , , check, checkAmount] = paymentOf('check');
    const ck = await reconcile(`check_number,status,amount\n${check},torn,${checkAmount}\n`);
    expect(ck.code).toBe(1);
    expect(ck.stderr).toContain(':2: status: "torn": a check status must be one of');
    expect(existsSync(ck.out)).toBe(false);
  });
});
