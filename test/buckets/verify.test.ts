import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const PLAN = join(ROOT, 'fixtures/equifax-buckets/plan.json');
const CLAIMS = join(ROOT, 'fixtures/equifax-buckets/claims.csv');

describe('payout verify of a bucket plan folder', () => {
  it('verifies a folder allocate wrote (exit 0), and finds a changed amount (exit 1)', async () => {
    const out = tmp.path('eq');
    expect((await runCli(['allocate', '-q', '--plan', PLAN, CLAIMS, '--out', out])).code).toBe(0);
    const ok = await runCli(['verify', '--plan', PLAN, CLAIMS, out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('✓ totals: Σ ledger amounts $274,345.60 + residual $25,654.40 = $300,000.00 = net $300,000.00');
    const ledger = join(out, 'ledger.csv');
    writeFileSync(ledger, readFileSync(ledger, 'utf8').replace('EQ0005,approved,paid,20000.00,310.00,0.00,20310.00', 'EQ0005,approved,paid,20000.00,310.00,0.00,20311.00'));
    const bad = await runCli(['verify', '--plan', PLAN, CLAIMS, out]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('ledger.csv:6: claim "EQ0005": amount: expected "20310.00", found "20311.00"');
  });
});
