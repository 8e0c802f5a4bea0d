/**
 * Smaller findings of issue 18 (7): a seed with a lone surrogate was accepted (the reference
 * script crashed on it); a failed write (disk full, file size limit) did not name the file.
 * (The dangling --out symlink is in output-lock.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/core/plan.js';
import { formatProblem } from '../../src/core/problems.js';
import { ROOT, ensureBuilt, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const PLAN = join(ROOT, 'fixtures/tiktok/plan.json');
const CLAIMS = join(ROOT, 'fixtures/tiktok/claims.csv');

describe('lone surrogates', () => {
  const plan = (seed: string, id = 'a') => ({ name: 'Test', gross: '100.00', classes: [{ id, weight: '1' }], seed });
  const refusals = (value: unknown) => {
    const r = parsePlan(value, 'plan.json');
    return 'problems' in r ? r.problems.map(formatProblem) : [];
  };

  it('a seed or class id with a lone surrogate is refused; a pair (an emoji) is text', () => {
    expect(refusals(plan('seed-\ud800'))).toEqual([expect.stringMatching(/^plan\.json: seed: holds a lone surrogate/)]);
    expect(refusals(plan('\udc00seed'))).toEqual([expect.stringMatching(/^plan\.json: seed: holds a lone surrogate/)]);
    expect(refusals(plan('s', 'class-\ud83d'))).toEqual([expect.stringMatching(/^plan\.json: classes\[0\]\.id: holds a lone surrogate/)]);
    expect(refusals(plan('seed-\ud83d\ude00'))).toEqual([]);
  });

  it('the binary refuses such a plan with exit 2', async () => {
    const text = readFileSync(PLAN, 'utf8').replace('"seed": "tiktok-mdl-2948"', '"seed": "tiktok-\\ud800"');
    const r = await runCli(['validate', '--plan', tmp.write('plan.json', text), CLAIMS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('seed: holds a lone surrogate');
  });
});

it('a write that fails (file size limit, as a full disk) names the file, exit 2, nothing left behind', () => {
  ensureBuilt();
  const out = tmp.path('efbig');
  // ulimit -f 64: at most 32 KiB per file (the ledger is ~180 KiB); Node ignores SIGXFSZ, so the write fails with EFBIG.
  const r = spawnSync('sh', ['-c', 'ulimit -f 64 && exec "$0" "$@"', process.execPath, join(ROOT, 'bin/payout.js'), 'allocate', '--plan', PLAN, CLAIMS, '--out', out, '--quiet'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(`payout: ${join(out, 'ledger.csv')}: cannot write (EFBIG: larger than the file size limit); nothing was written`);
  expect(readdirSync(tmp.path('.')).includes('efbig')).toBe(false);
});
