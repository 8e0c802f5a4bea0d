/**
 * Digit limits of the decimal inputs (issue 18, findings 3 and 7): weights, percents and units
 * beyond DECIMAL_LIMITS are refused with a clear message before any exact arithmetic (a weight
 * with 100,000 decimals took 52 s); pool percents with more than 12 decimals that sum to exactly
 * 100 are accepted (they were refused as "must sum to exactly 100").
 */
import { describe, expect, it } from 'vitest';
import { parseUnitsCell } from '../../src/core/claim-cells.js';
import { DECIMAL_LIMITS, digitLimitProblem } from '../../src/core/decimal.js';
import { formatProblem } from '../../src/core/problems.js';
import { parsePlan } from '../../src/core/plan.js';

const plan = (classes: unknown[], deductions: unknown[] = []): unknown => ({ name: 'Test v. Example', gross: '1000000.00', deductions, classes, seed: 's' });
const refusals = (value: unknown): string[] => {
  const parsed = parsePlan(value, 'plan.json');
  return 'problems' in parsed ? parsed.problems.map(formatProblem) : [];
};

describe('digit limits', () => {
  it('digitLimitProblem: leading and trailing zeros are not counted; the limits are documented numbers', () => {
    expect(DECIMAL_LIMITS).toEqual({ integerDigits: 15, decimalPlaces: 18, characters: 64 });
    expect(digitLimitProblem('000123456789012345.500000000')).toBeUndefined();
    expect(digitLimitProblem('1234567890123456')).toMatch(/too many digits: at most 15 digits before the decimal point and 18 after/);
    expect(digitLimitProblem(`1.${'1'.repeat(19)}`)).toMatch(/too many digits/);
    expect(digitLimitProblem(`1.${'0'.repeat(100_000)}1`)).toMatch(/^is 100003 characters long/);
  });

  it('a weight with 100,000 decimals is refused at once, with its first characters only', () => {
    const weight = `1.${'3'.repeat(100_000)}`;
    const problems = refusals(plan([{ id: 'a', weight }]));
    expect(problems).toEqual([`plan.json: classes[0].weight: "1.3333333333333333333333…" is 100002 characters long: at most 15 digits before the decimal point and 18 after (docs/safety.md)`]);
  });

  it('a deduction percent beyond the limits is refused', () => {
    expect(refusals(plan([{ id: 'a', weight: '1' }], [{ label: 'fees', percent: `33.${'3'.repeat(19)}`, of: 'gross' }]))).toEqual([
      `plan.json: deductions[0].percent: "33.3333333333333333333" has too many digits: at most 15 digits before the decimal point and 18 after (docs/safety.md)`,
    ]);
  });

  it('pool percents with 13 to 18 decimals that sum to exactly 100 are accepted; a sum off by 1e-18 is not', () => {
    const pools = (a: string, b: string) => plan([{ id: 'a', poolPercent: a }, { id: 'b', poolPercent: b }]);
    expect(refusals(pools('33.3333333333333', '66.6666666666667'))).toEqual([]);
    expect(refusals(pools('33.333333333333333333', '66.666666666666666667'))).toEqual([]);
    expect(refusals(pools('33.333333333333333333', '66.666666666666666666'))).toEqual(['plan.json: classes: the poolPercent values must sum to exactly 100']);
  });

  it('units: a million digits are refused by their length, before they are read as a number', () => {
    expect(parseUnitsCell('9'.repeat(1_000_000))).toMatch(/^units "9{24}…" is 1000000 characters long/);
    expect(parseUnitsCell('1234567890123456')).toMatch(/too many digits: at most 15 digits before the decimal point and 6 after/);
    expect(parseUnitsCell('1.1234567')).toBe('units "1.1234567" has more than 6 decimal places'); // unchanged
    expect(parseUnitsCell('1.500000')).toEqual({ n: 15n, scale: 1 });
  });
});

describe('bucket plans', () => {
  it('a bucket decimal with a million whole digits and a seed with a lone surrogate are refused', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { parseBucketPlan } = await import('../../src/core/buckets/plan.js');
    const { ROOT } = await import('../helpers/run-cli.js');
    const base = JSON.parse(readFileSync(join(ROOT, 'fixtures/equifax-buckets/plan.json'), 'utf8'));
    expect('problems' in parseBucketPlan(base, 'plan.json')).toBe(false);
    const messages = (value: unknown): string[] => {
      const r = parseBucketPlan(value, 'plan.json');
      return 'problems' in r ? r.problems.map((p) => p.message) : [];
    };
    expect(messages({ ...base, seed: 'equifax-\ud800' })).toEqual([expect.stringMatching(/^holds a lone surrogate/)]);
    // Every decimal of a bucket plan goes through one schema: a million digits in any of them is refused by its length.
    const text = JSON.stringify(base).replace('"step":"0.25"', `"step":"${'9'.repeat(1_000_000)}"`);
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(messages(JSON.parse(text)).join('\n')).toMatch(/is 1000000 characters long/);
  });
});
