import { describe, expect, it } from 'vitest';
import { allocateBuckets } from '../../src/core/buckets/allocate.js';
import { formatMoney } from '../../src/core/money.js';
import { bucketFields, bucketReadingProblem, mapBucketColumns } from '../../src/core/buckets/claims.js';
import { claims, plan, planProblems, run, tieKey } from './helpers.js';

const docs = { id: 'losses', label: 'Documented losses', kind: 'documented', amountColumn: 'loss', perClaimCap: '200.00' };
const time = { id: 'time', label: 'Lost time', kind: 'hours', hoursColumn: 'hours', rate: '25.00', step: '0.25', limit: '20', documentedAbove: '10', documentedColumn: 'hours_documented', totalCap: '300.00' };
const cash = { id: 'cash', label: 'Alternative cash', kind: 'flat', amount: '125.00', choice: 'cash', totalCap: '200.00' };

describe('bucket plan', () => {
  it('refuses classes and buckets together, naming the key', () => {
    expect(planProblems({ buckets: [docs], classes: [{ id: 'a', weight: '1' }] })[0]?.field).toBe('classes');
  });
  it('refuses caps that do not add up', () => {
    const p = planProblems({ buckets: [{ ...docs, totalCap: '100.00' }] });
    expect(p.map((x) => x.field)).toEqual(['buckets[0].perClaimCap']);
    expect(p[0]?.message).toMatch(/caps do not add up/);
  });
  it('refuses a bucket with no claim column, naming the key', () => {
    const p = planProblems({ buckets: [{ id: 'losses', label: 'L', kind: 'documented' }] });
    expect(p.map((x) => x.field)).toEqual(['buckets[0].amountColumn']);
  });
  it('refuses a choice the plan does not list', () => {
    expect(planProblems({ buckets: [cash] }).map((x) => x.field)).toEqual(['buckets[0].choice']);
  });
  it('refuses an unknown input column, naming the key', () => {
    const p = plan({ buckets: [docs] });
    const c = claims(p, [{ claim_id: 'a', los: '1' }]);
    expect(c.problems.map((x) => [x.field, x.message])).toEqual([['buckets[0].amountColumn', 'column "loss" is not in claims.csv (columns: claim_id, los)']]);
  });
  it('refuses a percent just over 100 and takes 100 written with decimals', () => {
    // The boundary, compared as exact decimals (the plan's percents are money rules, never floats).
    expect(planProblems({ buckets: [{ ...docs, maxReductionPercent: '100.000001' }] }).map((x) => x.field)).toEqual(['buckets[0].maxReductionPercent']);
    expect(planProblems({ buckets: [{ ...docs, maxReductionPercent: '100.000000' }] })).toEqual([]);
  });
  it('refuses protected buckets over the net fund', () => {
    const p = plan({ gross: '100.00', buckets: [{ ...docs, protected: true }] });
    const c = claims(p, [{ claim_id: 'a', loss: '80.00' }, { claim_id: 'b', loss: '30.00' }]);
    const r = allocateBuckets(p, c.claims, tieKey('s'));
    expect('refused' in r && r.refused.field).toBe('buckets[0].protected');
  });
});

describe('bucket claims', () => {
  it('reports every bad cell with its line and column', () => {
    const p = plan({ choice: { column: 'choice', values: ['cash', 'monitoring'] }, buckets: [docs, time, cash] });
    const rows = [
      { claim_id: 'a', loss: '-5.00', hours: '1', hours_documented: '', choice: '' },
      { claim_id: 'b', loss: '', hours: '1.1', hours_documented: '', choice: 'cash' },
      { claim_id: 'c', loss: '', hours: '12', hours_documented: 'no', choice: 'cheque' },
    ];
    const r = claims(p, rows);
    expect(r.problems.map((x) => `${x.line}:${x.field}: ${x.message}`)).toEqual([
      '2:loss: negative amount "-5.00"',
      '3:hours: 1.1 hours are not a whole number of 0.25-hour steps',
      '4:choice: unknown choice "cheque" (expected: cash, monitoring)',
      '4:hours_documented: 12 hours claimed, documentation missing above 10 hours',
    ]);
  });
  it('refuses a minus sign on hours and units as on an amount, "-0" too', () => {
    const units = { id: 'share', label: 'Share', kind: 'points', unitsColumn: 'units', totalCap: '100.00' };
    const p = plan({ buckets: [docs, time, units] });
    const rows = [
      { claim_id: 'a', loss: '-0.00', hours: '-0', hours_documented: '', units: '-0' },
      { claim_id: 'b', loss: '0.00', hours: '0', hours_documented: '', units: '0.0' },
    ];
    expect(claims(p, rows).problems.map((x) => `${x.line}:${x.field}: ${x.message}`)).toEqual([
      '2:loss: negative amount "-0.00"',
      '2:hours: negative hours "-0"',
      '2:units: negative units "-0"',
    ]);
  });
});

describe('allocation', () => {
  it('funds in order, reduces the time bucket pro rata, caps documented losses per claim', () => {
    const p = plan({ gross: '1000.00', choice: { column: 'choice', values: ['cash', 'monitoring'] }, buckets: [docs, time, cash] });
    const rows = [
      { claim_id: 'a', loss: '500.00', hours: '20', hours_documented: 'yes', choice: 'monitoring' }, // 200 + 500 time
      { claim_id: 'b', loss: '50.00', hours: '4', hours_documented: '', choice: 'cash' }, // 50 + 100 time + 125
      { claim_id: 'c', loss: '', hours: '', hours_documented: '', choice: 'cash' }, // 125
    ];
    const { alloc } = run(p, rows);
    // time: 600 claimed, cap 300: reduced 50 %: a 250, b 50. cash: 250 claimed, cap 200: 80 %: 100 each.
    expect(alloc.cents.map((r) => r.map(formatMoney))).toEqual([
      ['200.00', '250.00', '0.00'],
      ['50.00', '50.00', '100.00'],
      ['0.00', '0.00', '100.00'],
    ]);
    expect(formatMoney(alloc.residual)).toBe('250.00');
  });
  it('a later bucket gets what earlier ones leave; a residual bucket takes the rest up to its increase bound', () => {
    const p = plan({
      gross: '100.00',
      buckets: [
        { ...docs, perClaimCap: undefined },
        { id: 'cash', label: 'Cash', kind: 'flat', amount: '10.00', residual: true, maxIncreasePercent: '50' },
      ],
    });
    const { alloc } = run(p, [{ claim_id: 'a', loss: '40.00' }, { claim_id: 'b', loss: '' }]);
    // losses 40; cash claims 20, residual may pay up to 30 (+50 %): each 15
    expect(alloc.cents.map((r) => r.map(formatMoney))).toEqual([['40.00', '15.00'], ['0.00', '15.00']]);
    expect(formatMoney(alloc.residual)).toBe('30.00');
  });
  it('places leftover cents by largest remainder: Σ amounts + residual = net', () => {
    const p = plan({ gross: '100.00', buckets: [{ id: 'pts', label: 'P', kind: 'points', unitsColumn: 'units', residual: true }] });
    const { alloc } = run(p, [{ claim_id: 'a', units: '1' }, { claim_id: 'b', units: '1' }, { claim_id: 'c', units: '1' }]);
    expect(alloc.totals.reduce((a, b) => a + b, 0n) + alloc.residual).toBe(10000n);
    expect(alloc.residual).toBe(0n);
    expect([...alloc.totals].sort()).toEqual([3333n, 3333n, 3334n]);
  });
  it('removes the claims whose total is below the minimum and shares again', () => {
    const p = plan({ gross: '30.00', minimumPayment: '5.00', buckets: [{ id: 'pts', label: 'P', kind: 'points', unitsColumn: 'units', residual: true }] });
    const { alloc } = run(p, [{ claim_id: 'a', units: '1' }, { claim_id: 'b', units: '10' }]);
    // a: 30/11 = 2.72 < 5: removed, b gets 30
    expect(alloc.outcomes).toEqual(['below_minimum', 'paid']);
    expect(alloc.totals).toEqual([0n, 3000n]);
  });
});

describe('bucket claims: the reading options', () => {
  const p = plan({ choice: { column: 'choice', values: ['cash', 'monitoring'] }, buckets: [docs, time, cash] });

  it('the fields --map names: claim_id, status, then the columns the plan names', () => {
    expect(bucketFields(p)).toEqual(['claim_id', 'status', 'choice', 'loss', 'hours', 'hours_documented']);
    expect(bucketReadingProblem(p, { map: { Loss: 'OOP' } })).toBeNull();
    expect(bucketReadingProblem(p, { map: { class: 'Tier' } })).toBe('--map class=Tier: unknown field "class" (fields of this plan: claim_id, status, choice, loss, hours, hours_documented)');
    expect(bucketReadingProblem(p, { keep: ['Cash'] })).toBe('--keep Cash: the ledger already has the column "cash"; keep only other columns');
  });

  it('a mapped field is read from its column; kept columns are found by name', () => {
    const header = ['No', 'State', 'OOP', 'hours', 'hours_documented', 'choice', 'status'];
    const m = mapBucketColumns(p, header, 'c.csv', 'p.json', { map: { claim_id: 'No', loss: ' oop ' }, keep: ['state'] });
    expect('columns' in m && [...m.columns]).toEqual([['claim_id', 0], ['status', 6], ['choice', 5], ['loss', 2], ['hours', 3], ['hours_documented', 4]]);
    expect('keep' in m && m.keep).toEqual([['state', 1]]);
    const missing = mapBucketColumns(p, header, 'c.csv', 'p.json', { map: { claim_id: 'No', loss: 'OOP' }, keep: ['zip'] });
    expect('problems' in missing && missing.problems.map((x) => x.message)).toEqual(['--keep zip: no column "zip" in the header (found: No, State, OOP, hours, hours_documented, choice, status)']);
  });
});
