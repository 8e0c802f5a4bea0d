/**
 * A blank status end to end (docs/spec.md §2): `payout allocate` and scripts/reference-allocate.py
 * both warn with the line under the default `blankStatus: "approved"`, and both refuse the file
 * under `"error"` (payout: exit 1, no output folder).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';

const CASE = join(ROOT, 'fixtures/ineligible-statuses');
mkdirSync('/tmp/payout-tests', { recursive: true });
const tmp = mkdtempSync('/tmp/payout-tests/blank-status-');
const errorPlan = join(tmp, 'plan-error.json');
writeFileSync(errorPlan, JSON.stringify({ ...JSON.parse(readFileSync(join(CASE, 'plan.json'), 'utf8')), blankStatus: 'error' }));
const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('blank status', () => {
  it('allocate: approved with a warning naming the line, counted in summary.json', async () => {
    const out = join(tmp, 'approved');
    const r = await runCli(['allocate', '--plan', join(CASE, 'plan.json'), join(CASE, 'claims.csv'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('claims.csv:5: status: status is empty: paid as "approved"');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).warnings).toEqual({ blankStatuses: 1 });
    expect(readFileSync(join(out, 'ledger.csv'), 'utf8')).toBe(readFileSync(join(CASE, 'expected/ledger.csv'), 'utf8'));
  });

  it('allocate: refused with blankStatus "error", exit 1 and no output', async () => {
    const out = join(tmp, 'error');
    const r = await runCli(['allocate', '--plan', errorPlan, join(CASE, 'claims.csv'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('claims.csv:5: status: status is empty (the plan\'s blankStatus is "error")');
    expect(existsSync(out)).toBe(false);
  });

  it.runIf(hasPython)('reference-allocate.py: the same rule', () => {
    const script = join(ROOT, 'scripts/reference-allocate.py');
    const ok = spawnSync('python3', [script, join(CASE, 'plan.json'), join(CASE, 'claims.csv')], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stderr).toContain('claims.csv:5: status: status is empty: paid as "approved"');
    expect(ok.stdout).toBe(readFileSync(join(CASE, 'expected/ledger.csv'), 'utf8'));
    const refused = spawnSync('python3', [script, errorPlan, join(CASE, 'claims.csv')], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('claims.csv:5: status: status is empty');
    expect(refused.stdout).toBe('');
  });
});
