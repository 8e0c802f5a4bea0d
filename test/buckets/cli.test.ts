import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const FIX = join(ROOT, 'fixtures/equifax-buckets');
const read = (f: string): string => readFileSync(f, 'utf8');

describe('payout allocate with a bucket plan (fixtures/equifax-buckets)', () => {
  it('reproduces the hand-checkable Equifax figures and the expected files byte for byte', async () => {
    const out = tmp.path('equifax');
    const r = await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Net settlement fund            $300,000.00');
    const ledger = read(join(out, 'ledger.csv'));
    expect(ledger).toBe(read(join(FIX, 'expected/ledger.csv')));
    expect(read(join(out, 'summary.json'))).toBe(read(join(FIX, 'expected/summary.json')));
    const manifest = JSON.parse(read(join(out, 'manifest.json'))) as { outputs: { file: string }[] };
    expect(manifest.outputs.map((o) => o.file)).toEqual(['ledger.csv', 'summary.json']);

    const rows = ledger.trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(342);
    const col = (i: number) => rows.map((row) => row[i] as string);
    const count = (values: string[], v: string) => values.filter((x) => x === v).length;
    // Net: 380,500 − 77,500 − 3,000 = 300,000.00.
    // Documented losses, capped per claimant: 10 × 25,000 claimed → 20,000 each; 10 × 1,234.56 in full.
    expect(count(col(3), '20000.00')).toBe(10);
    expect(count(col(3), '1234.56')).toBe(10);
    // Time: 80 claims × 20 h × $25 = 40,000 and 40 × 10 h = 10,000; 50,000 over the 31,000 cap:
    // every claim × 31/50 = 0.62 exactly → 500 → 310.00, 250 → 155.00.
    expect(count(col(4), '310.00')).toBe(80);
    expect(count(col(4), '155.00')).toBe(40);
    // Cash: 300 × 125 = 37,500 over the 31,000 pool: 103.333… each; 31,000.00 − 300 × 103.33 = 1.00
    // → 100 leftover cents: 100 claims 103.34, 200 claims 103.33.
    expect(count(col(5), '103.34')).toBe(100);
    expect(count(col(5), '103.33')).toBe(200);
    // Residual: 300,000 − 212,345.60 − 31,000 − 31,000 = 25,654.40; the two denied claims get nothing.
    const summary = JSON.parse(read(join(out, 'summary.json'))) as { residual: string; totalPaid: string; buckets: { paid: string; reductionPercent: string }[] };
    expect(summary.residual).toBe('25654.40');
    expect(summary.buckets.map((b) => [b.paid, b.reductionPercent])).toEqual([
      ['212345.60', '0.000000'],
      ['31000.00', '38.000000'],
      ['31000.00', '17.333333'],
    ]);
    expect(count(col(2), 'ineligible')).toBe(2);
    const cents = (s: string) => BigInt(s.replace('.', ''));
    expect(rows.reduce((a, row) => a + cents(row[6] as string), 0n) + cents(summary.residual)).toBe(30000000n);
  });

  it('refuses a bad bucket plan naming the key (exit 2), and writes nothing', async () => {
    const plan = JSON.parse(read(join(FIX, 'plan.json'))) as { buckets: Record<string, unknown>[] };
    plan.buckets[0]!.totalCap = '1000.00';
    const file = tmp.write('bad-plan.json', JSON.stringify(plan));
    const out = tmp.path('bad-plan-out');
    const r = await runCli(['allocate', '--plan', file, join(FIX, 'claims.csv'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('buckets[0].perClaimCap: the per-claim cap 20000.00 is above the bucket\'s totalCap 1000.00: the caps do not add up');
    expect(existsSync(join(out, 'ledger.csv'))).toBe(false);
  });

  it('refuses a plan whose input column is not in the claims file (exit 2)', async () => {
    const plan = JSON.parse(read(join(FIX, 'plan.json'))) as { buckets: Record<string, unknown>[] };
    plan.buckets[1]!.hoursColumn = 'hours_lost';
    const file = tmp.write('col-plan.json', JSON.stringify(plan));
    const r = await runCli(['allocate', '--plan', file, join(FIX, 'claims.csv'), '--out', tmp.path('col-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('buckets[1].hoursColumn: column "hours_lost" is not in');
  });

  it('reports bad claims with their lines (exit 1) and writes nothing', async () => {
    const claims = tmp.write(
      'bad-claims.csv',
      'claim_id,status,documented_loss,hours,documented_hours,choice\nA,approved,-3.00,,,cash\nB,approved,,12,no,monitoring\nC,approved,,1.1,,cheque\n',
    );
    const out = tmp.path('bad-claims-out');
    const r = await runCli(['allocate', '--plan', join(FIX, 'plan.json'), claims, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad-claims.csv:2: documented_loss: negative amount "-3.00"');
    expect(r.stderr).toContain('bad-claims.csv:3: documented_hours: 12 hours claimed, documentation missing above 10 hours');
    expect(r.stderr).toContain('bad-claims.csv:4: choice: unknown choice "cheque" (expected: cash, monitoring)');
    expect(r.stderr).toContain('bad-claims.csv:4: hours: 1.1 hours are not a whole number of 0.25-hour steps');
    expect(existsSync(join(out, 'ledger.csv'))).toBe(false);
  });

  it('refuses --keep of a ledger column and --map of a field the plan does not read (exit 2), and writes nothing', async () => {
    const r = await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', tmp.path('keep-out'), '--keep', 'time']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--keep time: the ledger already has the column "time"');
    expect(existsSync(tmp.path('keep-out'))).toBe(false);
    const m = await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', tmp.path('map-out'), '--map', 'units=Qty']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('--map units=Qty: unknown field "units" (fields of this plan: claim_id, status, choice, documented_loss, hours, documented_hours)');
    expect(existsSync(tmp.path('map-out'))).toBe(false);
  });

  it('validate checks a bucket plan\'s claims: the totals claimed per bucket (exit 0), bad rows with lines (exit 1)', async () => {
    const ok = await runCli(['validate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/time +120 +\$50,000\.00/);
    const claims = tmp.write('bad-validate.csv', 'claim_id,status,documented_loss,hours,documented_hours,choice\nA,approved,12.345,,,\nA,approved,,,,\n');
    const bad = await runCli(['validate', '--plan', join(FIX, 'plan.json'), claims]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad-validate.csv:2: documented_loss: "12.345" is not an amount with at most 2 decimals');
    expect(bad.stderr).toContain('bad-validate.csv:3: claim_id: duplicate claim_id "A" (first on line 2)');
  });
});
