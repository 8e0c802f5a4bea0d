/**
 * `payout accounting` of a bucket plan's distribution (docs/accounting.md, "Bucket plans"): the
 * first round tallied as one class, each bucket's claimed, cap, funded, paid (its ledger column,
 * checked against the summary) and reduction; a second round after it as after any first round.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const FIX = join(ROOT, 'fixtures/equifax-buckets');
const PLAN = join(FIX, 'plan.json');

const csvLines = (file: string): string[] => readFileSync(file, 'utf8').trimEnd().split('\n');

describe('payout accounting of a bucket plan', () => {
  const round1 = tmp.path('round1');
  const round2 = tmp.path('round2');

  beforeAll(async () => {
    expect((await runCli(['allocate', '--plan', PLAN, join(FIX, 'claims.csv'), '--out', round1])).code).toBe(0);
    const uncashed = tmp.write('uncashed.csv', 'claim_id\nEQ0001\nEQ0121\n');
    const r = await runCli(['redistribute', '--plan', PLAN, '--from', round1, '--uncashed', uncashed, '--costs', '500.00', '--out', round2]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('reports each bucket\'s claimed, cap, funded, paid and reduction, and both rounds', async () => {
    const out = tmp.path('accounting.csv');
    const html = tmp.path('accounting.html');
    const r = await runCli(['accounting', round1, round2, '--out', out, '--html', html]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/time\s+120\s+\$50,000\.00\s+\$31,000\.00\s+\$31,000\.00\s+\$31,000\.00\s+120\s+38%/);
    expect(r.stdout).toMatch(/cash\s+300\s+\$37,500\.00\s+\$31,000\.00\s+\$31,000\.00\s+\$31,000\.00\s+300\s+17\.333333%/);
    expect(r.stdout).toContain('fund = deductions + costs + distributed + residual');
    const lines = csvLines(out);
    expect(lines).toContain('1,buckets,Documented out-of-pocket losses: paid,documented,20,212345.60,70.78,net fund,ledger');
    expect(lines).toContain('1,buckets,Documented out-of-pocket losses: total cap,documented,,,,,not given');
    expect(lines).toContain('1,buckets,Lost time at $25 an hour: total cap,time,,31000.00,,,summary');
    expect(lines).toContain('1,buckets,Lost time at $25 an hour: reduction 38.000000% of what is claimed,time,,,,,summary');
    expect(lines).toContain('1,buckets,Alternative cash payment: funded 31000.000000,cash,,,,,summary');
    expect(lines).toContain('1,round,Paid,,,274345.60,,,summary');
    // The first round's receipts root (docs/receipts.md), published with the accounting.
    expect(lines).toContain('1,round,Receipts root 1e91a29681ef2df3524a1d52d23d204a275110204275b4ba858bf3d934ac1d69,,,,,,summary');
    expect(r.stdout).toContain('receipts root: 1e91a29681ef2df3524a1d52d23d204a275110204275b4ba858bf3d934ac1d69');
    expect(lines).toContain('1,uncashed,Uncashed payments,,2,20413.33,7.44,amount paid,ledger');
    expect(lines).toContain('2,round,Costs of the round,,,500.00,,,summary');
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Benefit buckets (round 1)');
    expect(page).toContain('data-bucket="cash"');
  });

  it('--json has the buckets', async () => {
    const r = await runCli(['accounting', round1, '--out', tmp.path('a2.csv'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { buckets: { id: string; paid: string; payments: number }[]; balanced: boolean };
    expect(doc.buckets.map((b) => [b.id, b.paid, b.payments])).toEqual([
      ['documented', '212345.60', 20],
      ['time', '31000.00', 120],
      ['cash', '31000.00', 300],
    ]);
    expect(doc.balanced).toBe(true);
  });

  it('refuses a ledger whose bucket column does not add up to the summary\'s paid for that bucket (exit 1)', async () => {
    const dir = tmp.path('tampered');
    expect((await runCli(['allocate', '--plan', PLAN, join(FIX, 'claims.csv'), '--out', dir])).code).toBe(0);
    // A cent moved from the time column to the cash column of one claim: the total stays right.
    const ledgerPath = join(dir, 'ledger.csv');
    const before = readFileSync(ledgerPath, 'utf8');
    const text = before.replace(/^(EQ0021,approved,paid,0\.00,)310\.00,(103\.3)(\d),/m, (_m, head: string, cash: string, d: string) => `${head}309.99,${cash}${Number(d) + 1},`);
    expect(text).not.toBe(before);
    writeFileSync(ledgerPath, text);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { outputs: { file: string; sha256: string }[] };
    manifest.outputs.find((o) => o.file === 'ledger.csv')!.sha256 = createHash('sha256').update(text).digest('hex');
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const r = await runCli(['accounting', dir, '--out', tmp.path('a3.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the time column adds up to $30,999.99, the summary says $31,000.00');
    expect(r.stderr).toContain('the cash column adds up to $31,000.01, the summary says $31,000.00');
  });
});
