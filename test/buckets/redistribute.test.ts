import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const FIX = join(ROOT, 'fixtures/equifax-buckets');

describe('payout redistribute and a bucket plan', () => {
  it('refuses a bucket plan, or a first round written from one, saying why (exit 2), and writes nothing', async () => {
    const from = tmp.path('first');
    expect((await runCli(['allocate', '--plan', join(FIX, 'plan.json'), join(FIX, 'claims.csv'), '--out', from])).code).toBe(0);
    const uncashed = tmp.write('uncashed.csv', 'claim_id\nEQ0001\n');
    const ledger = readFileSync(join(from, 'ledger.csv'), 'utf8');

    const withPlan = await runCli(['redistribute', '--plan', join(FIX, 'plan.json'), '--from', from, '--uncashed', uncashed, '--out', tmp.path('second')]);
    expect(withPlan.code).toBe(2);
    expect(withPlan.stderr).toContain(`${join(FIX, 'plan.json')}: a bucket plan: payout redistribute does not take one yet`);
    expect(withPlan.stderr).toContain('there is no single share to divide by');
    expect(existsSync(tmp.path('second'))).toBe(false);

    // A plan of classes with a bucket folder as the first round.
    const classes = join(ROOT, 'fixtures/minimum-removes/plan.json');
    const withFolder = await runCli(['redistribute', '--plan', classes, '--from', from, '--uncashed', uncashed, '--out', tmp.path('second-b')]);
    expect(withFolder.code).toBe(2);
    expect(withFolder.stderr).toContain(`--from ${from}: written from a bucket plan (summary.json "mode": "buckets")`);
    expect(existsSync(tmp.path('second-b'))).toBe(false);
    expect(readFileSync(join(from, 'ledger.csv'), 'utf8')).toBe(ledger);
  });
});
