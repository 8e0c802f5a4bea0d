/**
 * A bucket plan's percents (maxIncreasePercent, maxReductionPercent, a deduction's percent) are
 * decimal strings read exactly, as a classes plan's are (one schema, core/plan.ts): a JSON number,
 * an exponent or a sign is refused naming the key; the bound of 100 is an exact comparison; and a
 * percent beyond a float's precision changes the allocation by exactly what it says.
 */
import { describe, expect, it } from 'vitest';
import { exactRun } from '../../src/core/buckets/allocate.js';
import { planProblems, plan, claims } from './helpers.js';

const docs = { id: 'losses', label: 'Documented losses', kind: 'documented', amountColumn: 'loss' };
const rest = { id: 'rest', label: 'The rest', kind: 'flat', amount: '10.00', residual: true };
const problemsOf = (value: Record<string, unknown>): string[] => planProblems(value).map((p) => `${p.field}: ${p.message}`);

describe('bucket plan percents', () => {
  it.each([
    ['maxReductionPercent', docs, 50, 'a percent must be a string: quote it ("50"), a JSON number can lose cents'],
    ['maxReductionPercent', docs, '1e2', 'must be a plain decimal percent such as "33.3333333333"'],
    ['maxReductionPercent', docs, '-5', 'must be a plain decimal percent such as "33.3333333333"'],
    ['maxReductionPercent', docs, '100.0000000000000001', 'must be between 0 and 100'],
    ['maxIncreasePercent', rest, 0.5, 'a percent must be a string: quote it ("0.5"), a JSON number can lose cents'],
    ['maxIncreasePercent', rest, '0x10', 'must be a plain decimal percent such as "33.3333333333"'],
    ['maxIncreasePercent', rest, 'NaN', 'must be a plain decimal percent such as "33.3333333333"'],
  ])('%s %j refused naming the key', (key, bucket, value, message) => {
    expect(problemsOf({ buckets: [{ ...bucket, [key]: value }] })).toEqual([`buckets[0].${key}: ${message}`]);
  });

  it('a deduction percent: the same rule as a classes plan', () => {
    expect(problemsOf({ deductions: [{ label: 'Fees', percent: 33.3, of: 'gross' }], buckets: [docs] })).toEqual([
      'deductions[0].percent: a percent must be a string: quote it ("33.3"), a JSON number can lose cents',
    ]);
    expect(problemsOf({ deductions: [{ label: 'Fees', percent: '100.000001', of: 'gross' }], buckets: [docs] })).toEqual(['deductions[0].percent: must be between 0 and 100']);
    expect(problemsOf({ deductions: [{ label: 'Fees', percent: '25' }], buckets: [docs] })).toEqual(['deductions[0].of: a percent needs "of": "gross" or "remaining"']);
  });

  it('100 written with many decimals is 100; more decimals than a float holds are kept', () => {
    expect(problemsOf({ buckets: [{ ...docs, maxReductionPercent: '100.000000000000000' }] })).toEqual([]);
    expect(problemsOf({ buckets: [{ ...rest, maxIncreasePercent: '250.123456789012345678' }] })).toEqual([]);
  });

  it('maxReductionPercent sets the floor exactly: 0.1 + 0.2 is 0.3, not 0.30000000000000004', () => {
    // 1,000.00 claimed, at most 0.3% reduced: 997.00 is kept, to the cent and beyond.
    const p = plan({ gross: '500.00', buckets: [{ ...docs, maxReductionPercent: '0.3' }] });
    const c = claims(p, [{ claim_id: 'a', loss: '1000.00' }]);
    const r = exactRun(p, c.claims, [true]);
    expect('refused' in r && r.refused.field).toBe('buckets[0].maxReductionPercent');
    const q = plan({ gross: '997.00', buckets: [{ ...docs, maxReductionPercent: '0.3' }] });
    const ok = exactRun(q, claims(q, [{ claim_id: 'a', loss: '1000.00' }]).claims, [true]);
    expect('refused' in ok).toBe(false);
    const short = plan({ gross: '996.99', buckets: [{ ...docs, maxReductionPercent: '0.3' }] });
    expect('refused' in exactRun(short, claims(short, [{ claim_id: 'a', loss: '1000.00' }]).claims, [true])).toBe(true);
  });

  it('blankStatus: "approved" or "error", anything else refused naming the key', () => {
    expect(plan({ buckets: [docs] }).blankStatus).toBe('approved');
    expect(plan({ buckets: [docs], blankStatus: 'error' }).blankStatus).toBe('error');
    expect(problemsOf({ buckets: [docs], blankStatus: 'denied' })).toEqual([
      'blankStatus: must be "approved" (a blank status is approved, with a warning) or "error" (a blank status is refused)',
    ]);
  });
});
