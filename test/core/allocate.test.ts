import { describe, expect, it } from 'vitest';
import { allocate, type Allocation } from '../../src/core/allocate.js';
import { amountOf } from '../../src/core/cell-cents.js';
import { explainClaim } from '../../src/core/explain-claim.js';
import { ratEq, type Rational } from '../../src/core/decimal.js';
import { tieKeyer } from '../../src/io/hash.js';
import type { PlanInput } from '../../src/core/plan.js';
import { makeBulkTable, makePlan, makeTable, type SimpleRow } from '../helpers/make-table.js';

const r = (n: bigint, d: bigint = 1n): Rational => ({ n, d });

function run(input: Partial<PlanInput> & Pick<PlanInput, 'classes'>, rows: SimpleRow[]) {
  const plan = makePlan(input);
  const table = makeTable(plan, rows);
  const key = tieKeyer(plan.seed);
  const alloc = allocate(plan, table, key);
  const amounts = new Map(rows.map((row, i) => [row.id, amountOf(alloc, i)]));
  const outcomes = new Map(rows.map((row, i) => [row.id, alloc.cells[alloc.cellOf[i]!]!.outcome]));
  const share = (id: string): Rational => alloc.cells[alloc.cellOf[rows.findIndex((x) => x.id === id)]!]!.share;
  return { plan, table, key, alloc, amounts, outcomes, share };
}

function expectBalanced(alloc: Allocation): void {
  let sum = 0n;
  for (let row = 0; row < alloc.cellOf.length; row++) sum += amountOf(alloc, row);
  expect(sum).toBe(alloc.totalPaid);
  expect(sum + alloc.residual).toBe(alloc.fund.net);
  expect(alloc.pools.reduce((a, p) => a + p.paid + p.residual, 0n)).toBe(alloc.fund.net);
}

const weights16 = [
  { id: 'nationwide', weight: '1' },
  { id: 'illinois', weight: '6' },
];

describe('TikTok-like plan (fees a percent of gross, fixed costs, $5 minimum)', () => {
  const input: Partial<PlanInput> & Pick<PlanInput, 'classes'> = {
    gross: '92000000.00',
    deductions: [
      { label: "Attorneys' fees", percent: '33.3333333333', of: 'gross' },
      { label: 'Litigation expenses', amount: '1200000.00' },
      { label: 'Notice and administration', amount: '3000000.00' },
      { label: 'Service awards', amount: '42500.00' },
    ],
    classes: weights16,
    minimumPayment: '5.00',
    seed: 'tiktok-mdl-2948',
  };

  it('pays nationwide and illinois claims in the ratio 1:6 to within a cent, to the cent of net', () => {
    const plan = makePlan(input);
    const table = makeBulkTable(plan, [
      { class: 'nationwide', count: 12_600 },
      { class: 'illinois', count: 1_400 },
      { class: 'nationwide', count: 300, status: 'rejected' },
    ]);
    const alloc = allocate(plan, table, tieKeyer(plan.seed));
    // fees 30,666,666.67 (half-up); net = 92,000,000 − 30,666,666.67 − 4,242,500
    expect(alloc.fund.net).toBe(5_709_083_333n);
    expectBalanced(alloc);
    expect(alloc.residual).toBe(0n);
    // Σp = 12,600 + 6 × 1,400 = 21,000 points; λ = 5,709,083,333 / 21,000 cents
    expect(alloc.pools[0]!.level).toEqual(r(5_709_083_333n, 21_000n));
    const [nationwide, illinois] = alloc.classes;
    expect(nationwide).toMatchObject({ claims: 12_900, eligible: 12_600, paid: 12_600, ineligible: 300 });
    expect(nationwide!.smallest).toBe(271_861n);
    expect(nationwide!.largest! - nationwide!.smallest!).toBeLessThanOrEqual(1n);
    expect(illinois!.smallest).toBeGreaterThanOrEqual(6n * 271_861n);
    expect(illinois!.largest).toBeLessThanOrEqual(6n * 271_862n);
    expect(nationwide!.eligiblePoints).toEqual(r(12_600n));
    expect(illinois!.paidPoints).toEqual(r(8_400n));
  });
});

describe('pools mode', () => {
  it('splits net by poolPercent, leftover cents by largest remainder', () => {
    const { alloc, amounts } = run(
      {
        gross: '100.01',
        classes: [
          { id: 'a', poolPercent: '30' },
          { id: 'b', poolPercent: '70' },
        ],
      },
      [
        { id: 'a1', class: 'a' },
        { id: 'b1', class: 'b', units: '3' },
        { id: 'b2', class: 'b', units: '1' },
      ],
    );
    // 3000.3 and 7000.7 cents: the leftover cent goes to b (remainder .7)
    expect(alloc.pools.map((p) => p.net)).toEqual([3000n, 7001n]);
    expect(alloc.pools[1]!.splitCent).toBe(true);
    expect(alloc.pools[0]!.exactNet).toEqual(r(30003n, 10n));
    expect(amounts.get('a1')).toBe(3000n);
    // within pool b, p = units: 7001 × 3/4 = 5250.75, 7001 / 4 = 1750.25 → the cent to b1
    expect(amounts.get('b1')).toBe(5251n);
    expect(amounts.get('b2')).toBe(1750n);
    expectBalanced(alloc);
  });

  it('breaks an equal split remainder by the key of the class id', () => {
    const input = {
      gross: '100.01',
      classes: [
        { id: 'left', poolPercent: '50' },
        { id: 'right', poolPercent: '50' },
      ],
    };
    const { alloc, plan } = run(input, [
      { id: 'x', class: 'left' },
      { id: 'y', class: 'right' },
    ]);
    const key = tieKeyer(plan.seed);
    const winner = key('left') < key('right') ? 0 : 1;
    expect(alloc.pools[winner]!.net).toBe(5001n);
    expect(alloc.pools[1 - winner]!.net).toBe(5000n);
  });

  it('leaves the pool of a class without eligible claims as residual', () => {
    const { alloc, amounts, outcomes } = run(
      {
        gross: '1000.00',
        classes: [
          { id: 'a', poolPercent: '25' },
          { id: 'b', poolPercent: '75' },
        ],
      },
      [
        { id: 'a1', class: 'a', status: 'rejected' },
        { id: 'b1', class: 'b' },
      ],
    );
    expect(amounts.get('a1')).toBe(0n);
    expect(outcomes.get('a1')).toBe('ineligible');
    expect(amounts.get('b1')).toBe(75_000n);
    expect(alloc.pools[0]).toMatchObject({ net: 25_000n, paid: 0n, residual: 25_000n, eligibleClaims: 0, level: null });
    expect(alloc.residual).toBe(25_000n);
    expectBalanced(alloc);
  });
});

describe('cap (water-filling)', () => {
  it('caps the claims above maximumPayment and lets the excess flow to the others', () => {
    const { alloc, amounts, outcomes } = run({ gross: '100.00', classes: [{ id: 'k', weight: '1' }], maximumPayment: '40.00' }, [
      { id: 'a', class: 'k' },
      { id: 'b', class: 'k' },
      { id: 'c', class: 'k' },
      { id: 'd', class: 'k', units: '7' },
    ]);
    // pro rata d would get 70.00; capped at 40.00, the other 60.00 goes to a, b, c
    expect([...amounts.values()]).toEqual([2000n, 2000n, 2000n, 4000n]);
    expect(outcomes.get('d')).toBe('capped');
    expect(outcomes.get('a')).toBe('paid');
    expect(alloc.pools[0]!.level).toEqual(r(2000n));
    expect(alloc.residual).toBe(0n);
  });

  it('keeps capping as λ rises (a second group reaches the cap), and calls an exact hit "capped"', () => {
    const { alloc, amounts, outcomes } = run({ gross: '100.00', classes: [{ id: 'k', weight: '1' }], maximumPayment: '30.00' }, [
      { id: 'a', class: 'k', units: '1' },
      { id: 'b', class: 'k', units: '2' },
      { id: 'c', class: 'k', units: '2' },
      { id: 'd', class: 'k', units: '5' },
    ]);
    // λ = 10 → d 50 > 30: cap d; λ = 70/5 = 14 → b, c 28 ≤ 30: stop. a = 14.00
    expect([...amounts.values()]).toEqual([1400n, 2800n, 2800n, 3000n]);
    expect(outcomes.get('d')).toBe('capped');
    const exact = run({ gross: '100.00', classes: [{ id: 'k', weight: '1' }], maximumPayment: '50.00' }, [
      { id: 'a', class: 'k' },
      { id: 'b', class: 'k' },
      { id: 'c', class: 'k', units: '2' },
    ]);
    expect([...exact.amounts.values()]).toEqual([2500n, 2500n, 5000n]);
    expect(exact.outcomes.get('c')).toBe('capped');
    expectBalanced(alloc);
  });

  it('leaves Σ caps < N as residual when every claim is capped', () => {
    const { alloc, amounts, outcomes } = run({ gross: '100.00', classes: weights16, maximumPayment: '30.00' }, [
      { id: 'a', class: 'nationwide' },
      { id: 'b', class: 'illinois' },
    ]);
    expect([...amounts.values()]).toEqual([3000n, 3000n]);
    expect([...outcomes.values()]).toEqual(['capped', 'capped']);
    expect(alloc.residual).toBe(4000n);
    expect(alloc.pools[0]!.level).toBeNull();
    expect(alloc.centsPlaced).toBe(0n);
  });

  it('caps with fractional shares: capped claims have no remainder, the others share the leftover cents', () => {
    const { alloc, amounts } = run({ gross: '100.00', classes: [{ id: 'k', weight: '1' }], maximumPayment: '50.00' }, [
      { id: 'a', class: 'k' },
      { id: 'b', class: 'k' },
      { id: 'c', class: 'k' },
      { id: 'd', class: 'k', units: '10' },
    ]);
    // d capped at 50.00; 50.00 over 3 → 1666 + 2/3 each, K = 2 cents by key
    expect(amounts.get('d')).toBe(5000n);
    expect([amounts.get('a'), amounts.get('b'), amounts.get('c')].sort()).toEqual([1666n, 1667n, 1667n]);
    expect(alloc.centsPlaced).toBe(2n);
    expect(alloc.pools[0]!.tie).toMatchObject({ remainder: r(2n, 3n), size: 3, cents: 2 });
  });
});

describe('minimum payment', () => {
  const rows: SimpleRow[] = [
    { id: 's1', class: 'k' },
    { id: 's2', class: 'k' },
    { id: 's3', class: 'k' },
    { id: 'm', class: 'k', units: '2' },
    { id: 'l', class: 'k', units: '10' },
  ];

  it('removes all claims with the smallest points and recomputes', () => {
    const { alloc, amounts, outcomes } = run({ gross: '15.00', classes: [{ id: 'k', weight: '1' }], minimumPayment: '2.00' }, rows);
    // λ = 1500 / 15 = 100: the 1-point claims get 1.00 < 2.00 → removed; λ = 1500 / 12 = 125
    expect([...amounts.values()]).toEqual([0n, 0n, 0n, 250n, 1250n]);
    expect(outcomes.get('s1')).toBe('below_minimum');
    expect(outcomes.get('m')).toBe('paid');
    expect(alloc.pools[0]).toMatchObject({ belowMinimumClaims: 3, paidClaims: 2, level: r(125n) });
    expect(alloc.classes[0]).toMatchObject({ belowMinimum: 3, paid: 2, smallest: 250n, largest: 1250n });
    expect(alloc.residual).toBe(0n);
  });

  it('leaves everything as residual when all claims fall below the minimum', () => {
    const { alloc, amounts, outcomes } = run({ gross: '15.00', classes: [{ id: 'k', weight: '1' }], minimumPayment: '20.00' }, rows);
    expect([...amounts.values()]).toEqual([0n, 0n, 0n, 0n, 0n]);
    expect([...outcomes.values()].every((o) => o === 'below_minimum')).toBe(true);
    expect(alloc.residual).toBe(1500n);
    expect(alloc.classes[0]).toMatchObject({ paid: 0, smallest: null, largest: null });
  });

  it('meets the minimum exactly without removal', () => {
    const { amounts } = run({ gross: '15.00', classes: [{ id: 'k', weight: '1' }], minimumPayment: '1.00' }, rows);
    expect([...amounts.values()]).toEqual([100n, 100n, 100n, 200n, 1000n]);
  });

  it('applies the cap and the minimum together', () => {
    const rows4: SimpleRow[] = [
      { id: 'tiny', class: 'k', units: '0.1' },
      { id: 'a', class: 'k', units: '1' },
      { id: 'b', class: 'k', units: '4' },
      { id: 'c', class: 'k', units: '10' },
    ];
    const plan = { gross: '100.00', classes: [{ id: 'k', weight: '1' }], maximumPayment: '30.00' };
    // Water-filling caps c, then b, then a (λ = 4000/1.1 > 3000): a, b, c at 30.00 and the
    // 10.00 left flows to tiny (λ = 1000 / 0.1 = 10000 cents per point).
    const low = run({ ...plan, minimumPayment: '5.00' }, rows4);
    expect([...low.amounts.values()]).toEqual([1000n, 3000n, 3000n, 3000n]);
    expect(low.alloc.pools[0]!.level).toEqual(r(10000n));
    expect(low.alloc.residual).toBe(0n);
    // With a 15.00 minimum tiny is removed, every other claim is capped, 10.00 is residual.
    const high = run({ ...plan, minimumPayment: '15.00' }, rows4);
    expect([...high.amounts.values()]).toEqual([0n, 3000n, 3000n, 3000n]);
    expect([...high.outcomes.values()]).toEqual(['below_minimum', 'capped', 'capped', 'capped']);
    expect(high.alloc.residual).toBe(1000n);
  });
});

describe('points and eligibility', () => {
  it('weights fractional units exactly', () => {
    const { amounts, share } = run({ gross: '10.00', classes: [{ id: 'k', weight: '1.5' }] }, [
      { id: 'a', class: 'k', units: '0.5' },
      { id: 'b', class: 'k', units: '1.25' },
      { id: 'c', class: 'k', units: '0.000001' },
    ]);
    // points 0.75, 1.875, 0.0000015; Σ = 2.6250015
    expect(ratEq(share('a'), r(1000n * 7_500_000n, 26_250_015n))).toBe(true);
    expect(ratEq(share('c'), r(1000n * 15n, 26_250_015n))).toBe(true);
    expect([...amounts.values()].reduce((a, b) => a + b)).toBe(1000n);
  });

  it('pays only the eligible statuses (compared lower-cased)', () => {
    const { alloc, amounts, outcomes } = run({ gross: '90.00', classes: [{ id: 'k', weight: '1' }], eligibleStatuses: ['Approved', 'CURED'] }, [
      { id: 'a', class: 'k', status: 'approved' },
      { id: 'b', class: 'k', status: 'Cured' },
      { id: 'c', class: 'k', status: 'rejected' },
      { id: 'd', class: 'k', status: 'deficient' },
      { id: 'e', class: 'k', status: 'APPROVED' },
    ]);
    expect([...amounts.values()]).toEqual([3000n, 3000n, 0n, 0n, 3000n]);
    expect(outcomes.get('c')).toBe('ineligible');
    expect(alloc.classes[0]).toMatchObject({ claims: 5, eligible: 3, ineligible: 2, paid: 3 });
  });

  it('weights mode: a class without claims just has zero claims', () => {
    const { alloc } = run({ gross: '10.00', classes: weights16 }, [{ id: 'a', class: 'nationwide' }]);
    expect(alloc.classes[1]).toMatchObject({ claims: 0, eligible: 0, paid: 0, amountPaid: 0n, smallest: null, largest: null, eligiblePoints: r(0n) });
    expect(alloc.residual).toBe(0n);
  });

  it('an empty claims table leaves all of net as residual', () => {
    const { alloc } = run({ gross: '10.00', classes: weights16 }, []);
    expect(alloc.residual).toBe(1000n);
    expect(alloc.cells).toEqual([]);
  });
});

describe('per-point rounding', () => {
  const rows: SimpleRow[] = [
    { id: 'a', class: 'k' },
    { id: 'b', class: 'k' },
    { id: 'c', class: 'k' },
    { id: 'd', class: 'k', units: '100' },
  ];

  it('decimals 2: v is λ floored to the cent', () => {
    const { alloc, amounts } = run({ gross: '100.00', classes: [{ id: 'k', weight: '1' }], rounding: { method: 'per-point' } }, rows);
    // λ = 10000 / 103 = 97.087… cents
    expect(alloc.pools[0]!.pointValue).toEqual(r(97n));
    expect([...amounts.values()]).toEqual([97n, 97n, 97n, 9700n]);
    expect(alloc.residual).toBe(9n);
  });

  it('decimals 4: v is λ floored to a hundredth of a cent, amounts p × v floored', () => {
    const { alloc, amounts } = run({ gross: '100.00', classes: [{ id: 'k', weight: '1' }], rounding: { method: 'per-point', decimals: 4 } }, rows);
    expect(ratEq(alloc.pools[0]!.pointValue!, r(9708n, 100n))).toBe(true);
    expect([...amounts.values()]).toEqual([97n, 97n, 97n, 9708n]);
    expect(alloc.residual).toBe(1n);
  });

  it('decimals 0: v is λ floored to whole currency units', () => {
    const { alloc, amounts } = run({ gross: '1000.00', classes: [{ id: 'k', weight: '1' }], rounding: { method: 'per-point', decimals: 0 } }, rows);
    // λ = 100000 / 103 = 970.87 cents → v = 900 cents
    expect(alloc.pools[0]!.pointValue).toEqual(r(900n));
    expect([...amounts.values()]).toEqual([900n, 900n, 900n, 90000n]);
    expect(alloc.residual).toBe(100000n - 92700n);
  });

  it('applies the minimum to the floored amounts and pays capped claims the cap', () => {
    const { amounts, outcomes, alloc } = run(
      {
        gross: '100.00',
        classes: [{ id: 'k', weight: '1' }],
        rounding: { method: 'per-point' },
        minimumPayment: '10.00',
        maximumPayment: '60.00',
      },
      [
        { id: 'a', class: 'k', units: '0.5' },
        { id: 'b', class: 'k', units: '1' },
        { id: 'c', class: 'k', units: '1' },
        { id: 'd', class: 'k', units: '200' },
      ],
    );
    // λ = 10000 / 202.5 → d over the cap; capped, λ = 4000 / 2.5 = 1600: a gets 0.5 × 1600 =
    // 800 < 1000 → removed; λ = 4000 / 2 = 2000 → b, c 2000 each
    expect([...amounts.values()]).toEqual([0n, 2000n, 2000n, 6000n]);
    expect(outcomes.get('d')).toBe('capped');
    expect(outcomes.get('a')).toBe('below_minimum');
    expect(alloc.residual).toBe(0n);
  });
});

describe('tie-break and explain', () => {
  it('gives equal remainders their cents by key, and explain ranks the claim in its tie set', () => {
    const rows = Array.from({ length: 7 }, (_, i): SimpleRow => ({ id: `claim-${i}`, class: 'k' }));
    const { alloc, amounts, plan, table, key } = run({ gross: '1.00', classes: [{ id: 'k', weight: '1' }] }, rows);
    // 100 / 7 = 14 + 2/7: K = 2 cents to the two smallest keys
    const byKey = [...rows].sort((a, b) => (key(a.id) < key(b.id) ? -1 : 1)).map((x) => x.id);
    expect(byKey.map((id) => amounts.get(id))).toEqual([15n, 15n, 14n, 14n, 14n, 14n, 14n]);
    const tie = alloc.pools[0]!.tie!;
    expect(tie.cutoffKey).toBe(key(byKey[1]!));
    for (let row = 0; row < rows.length; row++) {
      const e = explainClaim(plan, table, alloc, row, key);
      expect(e.tie?.rank).toBe(byKey.indexOf(rows[row]!.id) + 1);
      expect(e.remainderCent).toBe(e.tie!.rank <= 2);
      expect(e).toMatchObject({ floor: 14n, remainder: r(2n, 7n), share: r(100n, 7n), outcome: 'paid', classId: 'k', points: r(1n) });
      expect(e.amount).toBe(amounts.get(rows[row]!.id));
    }
  });

  it('treats equal remainders of different points as one tie set', () => {
    const { amounts, alloc, key } = run({ gross: '0.04', classes: [{ id: 'k', weight: '1' }] }, [
      { id: 'p', class: 'k', units: '0.5' },
      { id: 'q', class: 'k', units: '1.5' },
      { id: 's', class: 'k', units: '1' },
      { id: 't', class: 'k', units: '2.5' },
    ]);
    // Σp = 5.5; shares 4/11, 12/11, 8/11, 20/11 → remainders 4/11, 1/11, 8/11, 9/11, K = 2
    expect(alloc.centsPlaced).toBe(2n);
    expect([...amounts.values()]).toEqual([0n, 1n, 1n, 2n]);
    expect(alloc.pools[0]!.tie).toBeNull();
    const eq = run({ gross: '0.03', classes: [{ id: 'k', weight: '1' }] }, [
      { id: 'x', class: 'k', units: '1' },
      { id: 'y', class: 'k', units: '3' },
    ]);
    // Σp = 4; shares 3/4 and 9/4: remainders 3/4 and 1/4 → K = 1 to x, no tie
    expect([...eq.amounts.values()]).toEqual([1n, 2n]);
    const same = run({ gross: '0.03', classes: [{ id: 'k', weight: '1' }] }, [
      { id: 'x', class: 'k', units: '1' },
      { id: 'y', class: 'k', units: '5' },
    ]);
    // Σp = 6; shares 1/2 and 5/2: different points, equal remainders 1/2: one tie set, K = 1 → to the smaller key
    const winner = key('x') < key('y') ? 'x' : 'y';
    expect(same.amounts.get(winner)).toBe(winner === 'x' ? 1n : 3n);
    expect(same.alloc.pools[0]!.tie).toMatchObject({ size: 2, cents: 1, remainder: r(1n, 2n) });
  });
});
