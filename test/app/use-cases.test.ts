/**
 * The application layer called as a library, without the command line: each use case is a plain
 * function from options to a result, prints nothing, reports through the hooks it is given, and
 * fails with the typed errors of core/errors.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allocateToFolder } from '../../src/app/allocate.js';
import { estimateAmounts } from '../../src/app/estimate.js';
import { readValidClaims, validateClaims, type ClaimsSettings } from '../../src/app/validate.js';
import { verifyDir } from '../../src/app/verify.js';
import { DataError, UsageError } from '../../src/core/errors.js';
import { verified } from '../../src/core/verify.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = join(ROOT, 'fixtures/spec-4b-largest-remainder');
const PLAN = join(FIXTURE, 'plan.json');
const CLAIMS = join(FIXTURE, 'claims.csv');
const TIKTOK_PLAN = join(ROOT, 'fixtures/tiktok/plan.json');
const BAD_CLAIMS = join(ROOT, 'fixtures/errors/unknown-class.csv');
const claims: ClaimsSettings = { read: { delimiter: ',' }, maxErrors: 50 };
const dir = tempDir();

let stdout: ReturnType<typeof vi.spyOn>;
let stderr: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  stdout = vi.spyOn(process.stdout, 'write');
  stderr = vi.spyOn(process.stderr, 'write');
});
afterEach(() => {
  vi.restoreAllMocks();
});
const silent = () => {
  expect(stdout).not.toHaveBeenCalled();
  expect(stderr).not.toHaveBeenCalled();
};

describe('allocateToFolder and verifyDir', () => {
  it('write the golden ledger and summary and verify them, printing nothing', async () => {
    const out = dir.path('alloc');
    const r = await allocateToFolder({ claimsFile: CLAIMS, planFile: PLAN, outDir: out, claims });
    expect(r.rows).toBeGreaterThan(0);
    expect(r.reportPath).toBeUndefined();
    for (const f of ['ledger.csv', 'summary.json']) expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(FIXTURE, 'expected', f), 'utf8'));
    const v = await verifyDir(out, PLAN, [CLAIMS], claims, 20);
    expect(verified(v.checks)).toBe(true);
    silent();
  });

  it('refuse an output folder of an earlier run with a UsageError, before reading the claims', async () => {
    const out = dir.path('again');
    await allocateToFolder({ claimsFile: CLAIMS, planFile: PLAN, outDir: out, claims });
    const progress = vi.fn();
    const again = allocateToFolder({ claimsFile: CLAIMS, planFile: PLAN, outDir: out, claims: { ...claims, hooks: { progress } } });
    await expect(again).rejects.toBeInstanceOf(UsageError);
    await expect(again).rejects.toThrow('use --force to replace');
    expect(progress).not.toHaveBeenCalled();
    silent();
  });
});

describe('validateClaims and readValidClaims', () => {
  it('validateClaims returns the errors found for the command to show, and throws nothing', async () => {
    const { result, loaded } = await validateClaims({ claimsFile: BAD_CLAIMS, planFile: TIKTOK_PLAN, claims });
    expect(loaded.plan.name).toBeTruthy();
    expect(result.stats.errors).toBe(2);
    expect(result.problems.filter((p) => p.severity === 'error').map((p) => p.code)).toEqual(['unknown_class', 'unknown_class']);
    silent();
  });

  it('readValidClaims hands the problems to its hook once, then throws a DataError', async () => {
    const { plan } = await loadPlan(TIKTOK_PLAN);
    const problems = vi.fn();
    const read = readValidClaims(BAD_CLAIMS, plan, { ...claims, hooks: { problems } });
    await expect(read).rejects.toBeInstanceOf(DataError);
    await expect(read).rejects.toThrow(`${BAD_CLAIMS}: 2 errors in the claims`);
    expect(problems).toHaveBeenCalledTimes(1);
    expect(problems.mock.calls[0]![1]).toBe(50);
    silent();
  });
});

describe('estimateAmounts', () => {
  it('gives the estimate for the scenarios asked', async () => {
    const { estimate } = await estimateAmounts({ planFile: TIKTOK_PLAN, members: [], rate: [], claimants: ['nationwide=1260000', 'illinois=140000'] });
    expect(estimate.rows).toHaveLength(1);
    silent();
  });

  it('refuses bad options with one UsageError listing every problem', async () => {
    const e = await estimateAmounts({ planFile: TIKTOK_PLAN, members: ['nationwide=x'], rate: ['abc'], claimants: [] }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).problems.length).toBeGreaterThanOrEqual(2);
    silent();
  });
});
