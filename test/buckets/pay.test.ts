/**
 * A bucket plan paid end to end with the real binary: fixtures/equifax-buckets with the payment
 * elections added to its claims and a `payments` section to its plan: allocate → pay → reconcile →
 * redistribute (docs/spec.md §6a) → pay round 2. Each pay folder is read back as a bank would
 * (test/payments/pay-folder-check.ts) against its own ledger: the payment files pay each claim its
 * total over the buckets, and the manifest's controls equal the ledger.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { checkPayFolder, splitCsvLine } from '../payments/pay-folder-check.js';

const FIX = join(ROOT, 'fixtures/equifax-buckets');
const dir = tempDir();

/** The fixture's plan with the payments section of fixtures/payments. */
function planWithPayments(): string {
  const plan = JSON.parse(readFileSync(join(FIX, 'plan.json'), 'utf8')) as Record<string, unknown>;
  const payments = (JSON.parse(readFileSync(join(ROOT, 'fixtures/payments/plan.json'), 'utf8')) as { payments: unknown }).payments;
  return dir.write('plan.json', `${JSON.stringify({ ...plan, payments }, null, 2)}\n`);
}

/** The fixture's claims with elections: by row, PayPal (no address), check, ACH (with an address). */
function claimsWithElections(): string {
  const [header, ...rows] = readFileSync(join(FIX, 'claims.csv'), 'utf8').trimEnd().split('\n');
  const out = [`${header},payment_method,email,name,routing_number,account_number,account_type,address,city,state,zip`];
  rows.forEach((row, i) => {
    const n = i + 1;
    const address = `${100 + n} Main St,Atlanta,GA,30303`;
    if (n % 3 === 0) out.push(`${row},paypal,claimant${n}@example.com,,,,,,,,`);
    else if (n % 3 === 1) out.push(`${row},check,,Claimant ${n},,,,${address}`);
    else out.push(`${row},ach,,Claimant ${n},121000248,${5_000_000_000 + n},checking,${address}`);
  });
  return dir.write('claims.csv', `${out.join('\n')}\n`);
}

const ledgerOf = (folder: string): string => readFileSync(join(folder, 'ledger.csv'), 'utf8');
const rowsOf = (file: string): string[][] => readFileSync(file, 'utf8').trimEnd().split('\n').slice(1).map(splitCsvLine);

describe('a bucket plan paid: allocate → pay → reconcile → redistribute → pay round 2', () => {
  const plan = planWithPayments();
  const claims = claimsWithElections();
  const round1 = dir.path('round1');
  const pay1 = dir.path('pay1');
  const rec1 = dir.path('rec1');
  const round2 = dir.path('round2');
  const pay2 = dir.path('pay2');

  beforeAll(async () => {
    const r = await runCli(['allocate', '--plan', plan, claims, '--out', round1, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    // The elections and the payments section change nothing in the allocation.
    expect(ledgerOf(round1)).toBe(readFileSync(join(FIX, 'expected/ledger.csv'), 'utf8'));
  });

  it('pays round 1: every paid claim its total over the buckets, controls equal to the ledger', async () => {
    const r = await runCli(['pay', '--plan', plan, claims, '--from', round1, '--out', pay1]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Ledger: 340 paid claims, $274,345.60: the control totals match.');
    const facts = checkPayFolder(pay1, ledgerOf(round1));
    expect(Object.keys(facts.byMethod).sort()).toEqual(['ach', 'check', 'paypal']);
    // EQ0001 claimed 25,000 of losses (capped at 20,000) and 20 hours (reduced to 310.00): one payment of the total.
    expect(readFileSync(join(pay1, 'payments.csv'), 'utf8')).toMatch(/^P1-[0-9a-f]{16},EQ0001,1,check,checks-001\.csv,\d+,\d+,20310\.00,USD,/m);
  });

  it('reconciles returns, redistributes the uncashed pro rata to the first amounts, and pays round 2 against the second ledger', async () => {
    // Two checks void, one cashed; two PayPal payments unclaimed (no address: uncashed); one ACH return (reissued as a check).
    const checks = rowsOf(join(pay1, 'checks-001.csv'));
    const payments = rowsOf(join(pay1, 'payments.csv'));
    const paypal = payments.filter((p) => p[3] === 'paypal').slice(0, 2);
    const ach = payments.find((p) => p[3] === 'ach')!;
    const checkFile = dir.write('check-status.csv', `check_number,status,amount\n${checks.slice(0, 3).map((c, i) => `${c[0]},${i === 2 ? 'cashed' : 'void'},${c[2]}`).join('\n')}\n`);
    const paypalFile = dir.write('paypal-items.csv', `customer_reference,status,amount\n${paypal.map((p) => `${p[1]},unclaimed,${p[7]}`).join('\n')}\n`);
    const achFile = dir.write('ach-returns.csv', `claim_id,return_code,amount\n${ach[1]},R03,${ach[7]}\n`);
    const rec = await runCli(['reconcile', '--pay', pay1, '--returns', checkFile, paypalFile, achFile, '--out', rec1, '--issue-date', '2027-02-01']);
    expect(rec.code, rec.stderr).toBe(0);
    const uncashed = rowsOf(join(rec1, 'uncashed.csv'));
    expect(uncashed).toHaveLength(4);

    const r = await runCli(['redistribute', '--plan', plan, '--from', round1, '--uncashed', join(rec1, 'uncashed.csv'), '--out', round2, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(round2, 'summary.json'), 'utf8')) as { points: string; totals: { uncashed: number; paid: number }; check: { balanced: boolean } };
    expect(summary.points).toBe('first-round amount');
    expect(summary.totals.uncashed).toBe(4);
    expect(summary.totals.paid).toBe(336);
    expect(summary.check.balanced).toBe(true);

    const next = String(Number((JSON.parse(readFileSync(join(rec1, 'manifest.json'), 'utf8')) as { parameters: { checkNext: string } }).parameters.checkNext));
    const p = await runCli(['pay', '--plan', plan, claims, '--from', round2, '--out', pay2, '--issue-date', '2027-06-01', '--check-start', next]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain('Payments, round 2');
    const facts = checkPayFolder(pay2, ledgerOf(round2));
    expect(facts.byMethod.check! + facts.byMethod.ach! + facts.byMethod.paypal!).toBe(336);
    const payments2 = readFileSync(join(pay2, 'payments.csv'), 'utf8');
    expect(payments2).toMatch(/^P2-/m);
    const gone = new Set(uncashed.map((u) => u[0]));
    for (const line of payments2.trimEnd().split('\n').slice(1)) expect(gone.has(line.split(',')[1])).toBe(false);
  });

  it('accounts for both rounds with their pay folders: the payments by method add up to each round\'s paid', async () => {
    const out = dir.path('accounting.csv');
    const r = await runCli(['accounting', round1, round2, '--payments', pay1, '--payments', pay2, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map(splitCsvLine);
    const byRound = (round: string): bigint =>
      lines.filter((l) => l[1] === 'payment methods' && l[0] === round).reduce((s, l) => s + BigInt(l[5]!.replace('.', '')), 0n);
    expect(byRound('1')).toBe(27_434_560n);
    const paid2 = lines.find((l) => l[0] === '2' && l[1] === 'round' && l[2] === 'Paid')!;
    expect(byRound('2')).toBe(BigInt(paid2[5]!.replace('.', '')));
    expect(lines.some((l) => l[1] === 'buckets' && l[3] === 'cash')).toBe(true);
  });

  it('refuses a bucket ledger whose amounts do not add up to its summary\'s totalPaid (exit 1), writing nothing', async () => {
    const dir2 = dir.path('round1-tampered');
    expect((await runCli(['allocate', '--plan', plan, claims, '--out', dir2, '--quiet'])).code).toBe(0);
    const path = join(dir2, 'summary.json');
    const text = readFileSync(path, 'utf8').replace('"totalPaid": "274345.60"', '"totalPaid": "274345.61"');
    writeFileSync(path, text);
    const manifestPath = join(dir2, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { outputs: { file: string; sha256: string }[] };
    manifest.outputs.find((o) => o.file === 'summary.json')!.sha256 = createHash('sha256').update(text).digest('hex');
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const out = dir.path('pay-tampered');
    const r = await runCli(['pay', '--plan', plan, claims, '--from', dir2, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the amounts add up to $274,345.60, but');
    expect(r.stderr).toContain('says totalPaid is $274,345.61');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to pay a bucket plan without a payments section (exit 2), writing nothing', async () => {
    const out = dir.path('pay-none');
    const r = await runCli(['pay', '--plan', join(FIX, 'plan.json'), claims, '--from', round1, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no "payments" section');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a bucket plan whose payments section is malformed, naming the key (exit 2)', async () => {
    const bad = JSON.parse(readFileSync(plan, 'utf8')) as { payments: Record<string, unknown> };
    bad.payments.issueDat = bad.payments.issueDate;
    const file = dir.write('plan-bad.json', JSON.stringify(bad));
    const r = await runCli(['pay', '--plan', file, claims, '--from', round1, '--out', dir.path('pay-bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('payments');
    expect(r.stderr).toContain('issueDat');
  });
});
