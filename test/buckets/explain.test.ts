import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';

const PLAN = join(ROOT, 'fixtures/equifax-buckets/plan.json');
const CLAIMS = join(ROOT, 'fixtures/equifax-buckets/claims.csv');

describe('payout explain with a bucket plan', () => {
  it("shows each bucket's step for a claim, with the leftover cent", async () => {
    const r = await runCli(['explain', '--plan', PLAN, CLAIMS, 'EQ0123']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('entitled $125.00; the bucket: claimed $37,500.00, funded $31,000.00 (82.666667% of what is claimed)');
    expect(r.stdout).toContain('exact share $103.333333 → floor $103.33 + 1 leftover cent (largest remainder) = $103.34');
    expect(r.stdout).toContain('total $103.34 (net fund $300,000.00, residual $25,654.40)');
  });
  it('--json has the same figures; an unknown claim id is exit 2', async () => {
    const r = await runCli(['explain', '--plan', PLAN, CLAIMS, 'EQ0011', '--json']);
    const doc = JSON.parse(r.stdout) as { claims: { amount: string; buckets: { id: string; amount: string; paidPercent: string }[] }[] };
    expect(doc.claims[0]!.amount).toBe('1492.89');
    expect(doc.claims[0]!.buckets.map((b) => [b.id, b.amount, b.paidPercent])).toEqual([
      ['documented', '1234.56', '100.000000'],
      ['time', '155.00', '62.000000'],
      ['cash', '103.33', '82.666667'],
    ]);
    const bad = await runCli(['explain', '--plan', PLAN, CLAIMS, 'NOPE']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no claim "NOPE"');
  });
});
