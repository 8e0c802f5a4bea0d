/**
 * The plan file (docs/spec.md §1): every refusal names its JSON path, and a valid plan normalises to
 * exact cents and decimals.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parsePlan, type Plan, type PlanInput } from '../../src/core/plan.js';
import { computeNetFund, type NetFund } from '../../src/core/fund.js';
import { formatProblem } from '../../src/core/problems.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { UsageError } from '../../src/core/errors.js';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();

const BASE = {
  name: 'Test v. Example',
  gross: '1000000.00',
  deductions: [
    { label: "Attorneys' fees", percent: '25', of: 'gross' },
    { label: 'Administration', amount: '50000.00' },
  ],
  classes: [
    { id: 'nationwide', weight: '1' },
    { id: 'illinois', weight: '6' },
  ],
  seed: 'test',
};

/** The plan with `edit` applied to a deep copy of BASE. */
function variant(edit: (p: Record<string, unknown> & typeof BASE) => void): unknown {
  const p = structuredClone(BASE) as Record<string, unknown> & typeof BASE;
  edit(p);
  return p;
}

function refusals(value: unknown): string[] {
  const parsed = parsePlan(value, 'plan.json');
  if (!('problems' in parsed)) throw new Error('the plan was accepted');
  for (const p of parsed.problems) expect(p).toMatchObject({ code: 'plan_invalid', severity: 'error', file: 'plan.json' });
  return parsed.problems.map((p) => `${p.field}: ${p.message}`);
}

function accepted(value: unknown): Plan {
  const parsed = parsePlan(value, 'plan.json');
  if ('problems' in parsed) throw new Error(parsed.problems.map(formatProblem).join('\n'));
  return parsed.plan;
}

describe('parsePlan refuses', () => {
  it('a JSON number for money, saying to quote it', () => {
    expect(refusals(variant((p) => (p.gross = 92000000.1 as unknown as string)))).toEqual([
      'gross: an amount must be a string: quote it ("92000000.1"), a JSON number can lose cents',
    ]);
    expect(refusals(variant((p) => ((p.deductions[1] as Record<string, unknown>).amount = 50000)))).toEqual([
      'deductions[1].amount: an amount must be a string: quote it ("50000"), a JSON number can lose cents',
    ]);
  });

  it('money with more than 2 decimals, a sign or separators', () => {
    for (const bad of ['1000000.001', '-5.00', '1,000,000.00', '$5']) {
      expect(refusals(variant((p) => (p.gross = bad)))).toEqual([
        'gross: must be an amount with at most 2 decimals and no sign or separators, e.g. "1200000.00"',
      ]);
    }
  });

  it('unknown keys, at the top level and inside', () => {
    expect(
      refusals(
        variant((p) => {
          p.minimumPayement = '5.00';
          (p.classes[0] as Record<string, unknown>).wieght = '2';
        }),
      ),
    ).toEqual([
      'classes[0]: unknown key "wieght" (a typo must not silently change a payout)',
      '(plan): unknown key "minimumPayement" (a typo must not silently change a payout)',
    ]);
  });

  it('deductions that exceed the fund', () => {
    expect(
      refusals(
        variant((p) => {
          p.deductions = [
            { label: "Attorneys' fees", percent: '40', of: 'gross' },
            { label: 'Administration', amount: '700000.00' },
          ];
        }),
      ),
    ).toEqual([
      'deductions[1]: "Administration" ($700,000.00) exceeds what is left of the fund ($600,000.00): the deductions exceed the fund',
    ]);
  });

  it('a deduction percent out of range, or a percent without "of"', () => {
    expect(refusals(variant((p) => (p.deductions[0] = { label: 'Fees', percent: '100.5', of: 'gross' })))).toEqual([
      'deductions[0].percent: must be between 0 and 100',
    ]);
    expect(refusals(variant((p) => (p.deductions[0] = { label: 'Fees', percent: '10' } as never)))).toEqual([
      'deductions[0].of: a percent needs "of": "gross" or "remaining"',
    ]);
  });

  it('a deduction with both or neither of amount and percent', () => {
    expect(refusals(variant((p) => (p.deductions[1] = { label: 'Admin', amount: '5.00', percent: '1', of: 'gross' } as never)))).toEqual([
      'deductions[1]: give exactly one of "amount" or "percent"',
      'deductions[1].of: "of" goes with "percent", not with "amount"',
    ]);
    expect(refusals(variant((p) => (p.deductions[1] = { label: 'Admin' } as never)))).toEqual([
      'deductions[1]: give exactly one of "amount" or "percent"',
    ]);
  });

  it('weights and pools mixed', () => {
    expect(refusals(variant((p) => (p.classes = [{ id: 'nationwide', weight: '1' }, { id: 'illinois', poolPercent: '30' } as never])))).toEqual([
      'classes: either every class has a "weight" or every class has a "poolPercent", not a mix',
    ]);
  });

  it('pool percents that do not sum to exactly 100', () => {
    const pools = (a: string, b: string) => variant((p) => (p.classes = [{ id: 'a', poolPercent: a }, { id: 'b', poolPercent: b }] as never));
    expect(refusals(pools('70', '29.99'))).toEqual(['classes: the poolPercent values must sum to exactly 100']);
    expect(refusals(pools('70', '30.0000000000001'))).toEqual(['classes: the poolPercent values must sum to exactly 100']);
    expect(accepted(pools('66.666666666667', '33.333333333333')).mode).toBe('pools');
  });

  it('a class with neither weight nor poolPercent, a zero weight, duplicate ids', () => {
    expect(refusals(variant((p) => (p.classes = [{ id: 'a' }] as never)))).toEqual([
      'classes[0]: needs a "weight" (weights mode) or a "poolPercent" (pools mode)',
    ]);
    expect(refusals(variant((p) => (p.classes[1] = { id: 'illinois', weight: '0.0' })))).toEqual(['classes[1].weight: must be greater than 0']);
    expect(refusals(variant((p) => (p.classes[1] = { id: ' Nationwide', weight: '6' })))).toEqual([
      'classes[1].id: "Nationwide" is already the id of classes[0]',
    ]);
  });

  it('a minimum payment above the maximum', () => {
    expect(
      refusals(
        variant((p) => {
          p.minimumPayment = '10.00';
          p.maximumPayment = '9.99';
        }),
      ),
    ).toEqual(['minimumPayment: minimumPayment 10.00 is above maximumPayment 9.99']);
  });

  it('a missing seed, an unknown rounding method', () => {
    expect(refusals(variant((p) => delete (p as Partial<typeof BASE>).seed))).toEqual([
      'seed: required: a seed string that fixes the tie-break (docs/spec.md §4)',
    ]);
    expect(refusals(variant((p) => (p.rounding = { method: 'banker' })))).toEqual([
      'rounding.method: method must be "largest-remainder" or "per-point"',
    ]);
  });

  it('reports every problem at once, not just the first', () => {
    const problems = refusals(
      variant((p) => {
        p.gross = 5 as unknown as string;
        p.deductions[0] = { label: 'Fees', percent: '101', of: 'gross' };
        p.typo = true;
      }),
    );
    expect(problems).toHaveLength(3);
  });
});

describe('parsePlan normalises a valid plan', () => {
  it('fixtures/tiktok/plan.json: net fund 92,000,000.00 − 30,666,666.67 − 1,200,000.00 − 3,000,000.00 − 42,500.00', async () => {
    const { plan, sha256 } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json'));
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.gross).toBe(9_200_000_000n);
    expect(plan.mode).toBe('weights');
    expect(plan.classes.map((c) => [c.id, c.weight])).toEqual([
      ['nationwide', { n: 1n, d: 1n }],
      ['illinois', { n: 6n, d: 1n }],
    ]);
    expect(plan.minimumPayment).toBe(500n);
    expect(plan.maximumPayment).toBeNull();
    expect(plan.rounding).toEqual({ method: 'largest-remainder' });
    const fund = computeNetFund(plan) as NetFund;
    expect(fund.deductions.map((d) => d.amount)).toEqual([3_066_666_667n, 120_000_000n, 300_000_000n, 4_250_000n]);
    expect(fund.net).toBe(9_200_000_000n - 3_066_666_667n - 120_000_000n - 300_000_000n - 4_250_000n);
    expect(fund.net).toBe(5_709_083_333n); // $57,090,833.33
  });

  it('fills the defaults and lower-cases eligible statuses', () => {
    const plan = accepted({ ...BASE, deductions: undefined, eligibleStatuses: [' Approved ', 'CURED'] } satisfies Partial<PlanInput> as unknown);
    expect(plan.currency).toBe('USD');
    expect(plan.interest).toBe(0n);
    expect(plan.deductions).toEqual([]);
    expect(plan.eligibleStatuses).toEqual(['approved', 'cured']);
    expect(plan.minimumPayment).toBeNull();
    expect(plan.residualRecipient).toBeNull();
  });

  it('adds interest to the fund and takes "remaining" percents of what is left', () => {
    const plan = accepted({
      ...BASE,
      interest: '1000.00',
      deductions: [
        { label: 'Costs', amount: '1000.00' },
        { label: 'Fees', percent: '33.3333333333', of: 'remaining' },
      ],
    });
    const fund = computeNetFund(plan) as NetFund;
    expect(fund.fund).toBe(100_100_000n);
    // 33.3333333333% of 1,000,000.00 = 333,333.333333 → 333,333.33 half-up.
    expect(fund.deductions[1]?.amount).toBe(33_333_333n);
    expect(fund.net).toBe(100_000_000n - 33_333_333n);
  });

  it('per-point rounding defaults to 2 decimals', () => {
    expect(accepted({ ...BASE, rounding: { method: 'per-point' } }).rounding).toEqual({ method: 'per-point', decimals: 2 });
  });
});

describe('loadPlan', () => {
  it('refuses invalid JSON with its line and column (exit 2)', async () => {
    const file = tmp.write('bad.json', '{\n  "name": "x",\n  "gross": "1.00"\n  "seed": "s"\n}\n');
    const err = (await loadPlan(file).catch((e: unknown) => e)) as UsageError;
    expect(err).toBeInstanceOf(UsageError);
    expect(err.exitCode).toBe(2);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ code: 'plan_json', line: 4 });
    expect(err.problems[0]?.message).toMatch(/^not valid JSON: .*\(column 3\)$/);
  });

  it('accepts a byte-order mark', async () => {
    const file = tmp.write('bom.json', `\uFEFF${JSON.stringify(BASE)}`);
    expect((await loadPlan(file)).plan.name).toBe('Test v. Example');
  });

  it('says when the file is missing', async () => {
    await expect(loadPlan(tmp.path('missing.json'))).rejects.toThrow(/plan file not found/);
  });
});
