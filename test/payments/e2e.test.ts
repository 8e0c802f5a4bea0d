/**
 * fixtures/payments end to end with the real binary: allocate → pay (refused, then with the
 * corrections in elections.csv) → reconcile the returns → redistribute the uncashed → pay round 2.
 * Each pay folder is read back as a bank would (pay-folder-check.ts) against its own ledger.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { checkPayFolder, splitCsvLine } from './pay-folder-check.js';

const FIXTURE = join(ROOT, 'fixtures/payments');
const PLAN = join(FIXTURE, 'plan.json');
const CLAIMS = join(FIXTURE, 'claims.csv');
const ELECTIONS = join(FIXTURE, 'elections.csv');
const RETURNS = ['ach-returns.csv', 'paypal-items.csv', 'check-status.csv'].map((f) => join(FIXTURE, 'returns', f));

/** Every account number, routing number, email and phone of the claims and elections files. */
function personalData(): string[] {
  const values = new Set<string>();
  for (const file of [CLAIMS, ELECTIONS]) {
    const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
    const cols = splitCsvLine(header!);
    for (const row of rows) {
      const c = splitCsvLine(row);
      for (const name of ['email', 'phone', 'routing_number', 'account_number', 'venmo_handle']) {
        const v = c[cols.indexOf(name)];
        if (v !== undefined && v.length > 4) values.add(v);
      }
    }
  }
  return [...values];
}

function expectNoPersonalData(text: string, values: string[]): void {
  const leaked = values.filter((v) => text.includes(v));
  expect(leaked).toEqual([]);
}

describe('fixtures/payments: allocate → pay → reconcile → redistribute → pay round 2', () => {
  const dir = tempDir();
  const round1 = dir.path('round1');
  const pay1 = dir.path('pay1');
  const rec1 = dir.path('rec1');
  const round2 = dir.path('round2');
  const pay2 = dir.path('pay2');
  const secrets = personalData();
  const runs: { stdout: string; stderr: string }[] = [];

  beforeAll(async () => {
    const r = await runCli(['allocate', '--plan', PLAN, CLAIMS, '--out', round1, '--quiet']);
    expect(r.code).toBe(0);
  });

  it('refuses to pay when elections fail with no address to fall back on, naming file, line and field; writes nothing', async () => {
    const r = await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round1, '--out', pay1, '--max-errors', '100']);
    runs.push(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('claims.csv:66: phone: Venmo needs a phone number or a venmo_handle; an email is not accepted for Venmo');
    expect(r.stderr).toContain('claims.csv:461: routing_number: routing number ****0022 fails the ABA check digit');
    expect(r.stderr).toContain('claims.csv:700: payment_method: unknown payment method "prepaid_card" (accepted: paypal, venmo, ach, check)');
    expect(r.stderr).toMatch(/14 errors in the payment elections; nothing was written/);
    expect(r.stderr).toMatch(/warning: .*claims\.csv:50: phone: .* is paid by check to its mailing address/);
    expect(existsSync(pay1)).toBe(false);
  });

  it('pays with the corrections: every file matches the ledger, NACHA passes the independent reader', async () => {
    const r = await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round1, '--elections', ELECTIONS, '--out', pay1, '--max-errors', '500']);
    runs.push(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Ledger: 2,937 paid claims, $710,000.00: the control totals match.');
    expect(r.stderr).toContain('elections.csv:36: claim_id: claim PX-9999999 is not in the ledger');
    const facts = checkPayFolder(pay1, readFileSync(join(round1, 'ledger.csv'), 'utf8'));
    expect(Object.keys(facts.byMethod).sort()).toEqual(['ach', 'check', 'paypal', 'venmo']);
    expect(facts.files).toEqual(['ach-001.ach', 'addresses.csv', 'checks-001.csv', 'manifest.json', 'payments.csv', 'paypal-001.csv']);
    expect(facts.nachaEntries).toBe(facts.byMethod.ach);
    // The elections file's switch to ACH is used: PX-0000003 chose PayPal in the claims file.
    expect(readFileSync(join(pay1, 'payments.csv'), 'utf8')).toMatch(/^P1-[0-9a-f]{16},PX-0000003,1,ach,ach-001\.ach,\d+,02100002\d{7},[\d.]+,USD,\*\*\*\*7919$/m);
  });

  it('the accounting reads the pay folder\'s payments by method', async () => {
    const { readPaymentMethods } = await import('../../src/app/accounting-payments.js');
    const { lines } = await readPaymentMethods(pay1);
    expect(lines.map((l) => [l.round, l.method, l.payments])).toEqual([
      [1, 'ach', 767],
      [1, 'check', 554],
      [1, 'paypal', 1015],
      [1, 'venmo', 601],
    ]);
    expect(lines.reduce((s, l) => s + l.amount, 0n)).toBe(71_000_000n);
  });

  it('the same inputs give the same bytes', async () => {
    const again = dir.path('pay1-again');
    const r = await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round1, '--elections', ELECTIONS, '--out', again, '--quiet']);
    expect(r.code).toBe(0);
    for (const f of readdirSync(pay1)) expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(pay1, f), 'utf8'));
  });

  it('reconciles the returns: reissues failed electronic payments with an address as checks, lists the rest as uncashed', async () => {
    const r = await runCli(['reconcile', '--pay', pay1, '--returns', ...RETURNS, '--out', rec1, '--issue-date', '2027-02-01']);
    runs.push(r);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(rec1, 'summary.json'), 'utf8')) as { payments: { amount: string }; reissued: { count: number }; uncashed: { count: number; amount: string } };
    expect(summary.payments.amount).toBe('710000.00');
    const state = readFileSync(join(rec1, 'state.csv'), 'utf8').trimEnd().split('\n').slice(1).map(splitCsvLine);
    expect(state).toHaveLength(2937);
    const reissued = state.filter((s) => s[4] === 'reissued');
    expect(reissued.length).toBe(summary.reissued.count);
    expect(reissued.length).toBeGreaterThan(0);
    expect(reissued.every((s) => s[2] === 'ach' || s[2] === 'paypal' || s[2] === 'venmo')).toBe(true);
    const reissueChecks = readFileSync(join(rec1, 'reissue-checks.csv'), 'utf8').trimEnd().split('\n');
    expect(reissueChecks).toHaveLength(reissued.length + 1);
    // Reissued checks are numbered after the first run's checks.
    const lastCheck = Math.max(...readFileSync(join(pay1, 'checks-001.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[0])));
    expect(Number(reissueChecks[1]!.split(',')[0])).toBe(lastCheck + 1);
    const uncashed = readFileSync(join(rec1, 'uncashed.csv'), 'utf8').trimEnd().split('\n').slice(1).map(splitCsvLine);
    expect(uncashed.length).toBe(summary.uncashed.count);
    expect(new Set(uncashed.map((u) => u[4]))).toEqual(new Set(['void', 'stale', 'returned', 'unclaimed']));
  });

  it('redistributes the uncashed and pays round 2: its files match the second ledger', async () => {
    const r = await runCli(['redistribute', '--plan', PLAN, '--from', round1, '--uncashed', join(rec1, 'uncashed.csv'), '--out', round2, '--quiet']);
    expect(r.code).toBe(0);
    const next = String(Number(JSON.parse(readFileSync(join(pay1, 'manifest.json'), 'utf8')).parameters.checkNext) + 1000);
    const p = await runCli(['pay', '--plan', PLAN, CLAIMS, '--from', round2, '--elections', ELECTIONS, '--out', pay2, '--issue-date', '2027-06-01', '--check-start', next]);
    runs.push(p);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('Payments, round 2');
    const ledger2 = readFileSync(join(round2, 'ledger.csv'), 'utf8');
    const facts = checkPayFolder(pay2, ledger2);
    expect(Object.keys(facts.byMethod).sort()).toEqual(['ach', 'check', 'paypal', 'venmo']);
    const payments2 = readFileSync(join(pay2, 'payments.csv'), 'utf8');
    expect(payments2).toMatch(/^P2-/m);
    expect(payments2).not.toMatch(/^P1-/m);
    const checks = readFileSync(join(pay2, 'checks-001.csv'), 'utf8').split('\n');
    expect(checks[1]).toMatch(new RegExp(`^${next},2027-06-01,`));
    // Claims uncashed in round 1 get nothing in round 2.
    const uncashed = new Set(readFileSync(join(rec1, 'uncashed.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]));
    for (const line of payments2.trimEnd().split('\n').slice(1)) expect(uncashed.has(line.split(',')[1])).toBe(false);
  });

  it('prints no account number, routing number, email or phone, in any run', () => {
    expect(runs.length).toBe(4);
    for (const r of runs) expectNoPersonalData(r.stdout + r.stderr, secrets);
    expectNoPersonalData(readFileSync(join(pay1, 'payments.csv'), 'utf8'), secrets);
    expectNoPersonalData(readFileSync(join(pay1, 'manifest.json'), 'utf8'), secrets);
    expectNoPersonalData(readFileSync(join(rec1, 'state.csv'), 'utf8') + readFileSync(join(rec1, 'summary.json'), 'utf8'), secrets);
  });
});
