/** core/accounting.ts: payment figures, percents and the balance, on small inputs and by property. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAccounting, paymentStats, percentText, type RoundInput } from '../../src/core/accounting.js';
import { LedgerTallier } from '../../src/core/accounting-tally.js';

describe('paymentStats', () => {
  it('median of an even count is the mean of the middle two, half-up; average half-up', () => {
    const s = paymentStats('a', 5, BigInt64Array.from([100n, 101n, 200n, 300n]), 701n);
    expect([s.payments, s.average, s.median, s.smallest, s.largest]).toEqual([4, 175n, 151n, 100n, 300n]);
  });

  it('no payments: every figure but the count is null', () => {
    expect(paymentStats(null, 3, new BigInt64Array(0), 0n)).toMatchObject({ payments: 0, average: null, median: null, smallest: null, largest: null });
  });

  it('smallest ≤ median, average ≤ largest, for any payments', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 10n ** 12n }), { minLength: 1, maxLength: 60 }), (xs) => {
        const sorted = BigInt64Array.from(xs).sort();
        const s = paymentStats(null, xs.length, sorted, xs.reduce((a, b) => a + b, 0n));
        for (const v of [s.median!, s.average!]) expect(s.smallest! <= v && v <= s.largest!).toBe(true);
      }),
    );
  });
});

describe('percentText', () => {
  it('rounds half-up to 2 decimals; null of nothing', () => {
    expect([percentText(1, 3), percentText(2, 3), percentText(1, 8), percentText(0, 0)]).toEqual(['33.33', '66.67', '12.50', null]);
  });
});

describe('buildAccounting', () => {
  const round = (r: Partial<RoundInput> & Pick<RoundInput, 'classes'>): RoundInput => ({
    round: 1, dir: 'r1', available: 900n, costs: null, paid: 900n, residual: 0n, residualRecipient: 'cy pres', ...r,
  });

  it('fund = deductions + later costs + distributed (less uncashed) + residual, with a second round', () => {
    const t1 = new LedgerTallier();
    t1.add('a', 'paid', 300n);
    t1.add('a', 'paid', 300n);
    t1.add('b', 'paid', 300n);
    t1.add('b', 'ineligible', 0n);
    const t2 = new LedgerTallier();
    t2.add('a', 'paid', 140n);
    t2.add('a', 'uncashed', 0n, 300n);
    t2.add('b', 'paid', 140n);
    t2.add('b', 'ineligible', 0n);
    const a = buildAccounting({
      caseName: 'c', currency: 'USD', gross: 1000n, interest: 0n, fund: 1000n,
      deductions: [{ label: 'fees', rule: 'fixed', amount: 100n }], net: 900n,
      rounds: [round({ classes: t1.finish() }), round({ round: 2, dir: 'r2', available: 290n, costs: 10n, paid: 280n, residual: 10n, classes: t2.finish() })],
      facts: { classMembers: 40, objections: 2 }, factsFile: 'facts.json', paymentMethods: null,
    });
    expect(a.rounds[0]?.uncashed).toEqual({ count: 1, amount: 300n, percentOfPayments: '33.33', percentOfAmount: '33.33' });
    expect(a.distributed).toBe(900n - 300n + 280n);
    expect(a.balanced).toBe(true);
    expect(a.notice.find((f) => f.key === 'objections')).toMatchObject({ count: 2, percent: '5.00' });
    expect(a.notice.find((f) => f.key === 'optOuts')).toMatchObject({ count: null, percent: null });
    expect(a.claimsFiledPercent).toBe('10.00');
    expect(a.rounds[1]?.outcomes.map((o) => [o.outcome, o.count])).toEqual([['paid', 2], ['uncashed', 1], ['ineligible', 1]]);
  });
});
