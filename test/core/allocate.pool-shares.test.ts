import { describe, expect, it } from 'vitest';
import { divHalfUp, ratEq, type Rational } from '../../src/core/decimal.js';
import { poolShares } from '../../src/core/pool-shares.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makePlan } from '../helpers/make-table.js';

const one: Rational = { n: 1n, d: 1n };
const six: Rational = { n: 6n, d: 1n };

describe('poolShares (estimates, docs/spec.md §7)', () => {
  const plan = makePlan({
    gross: '92000000.00',
    classes: [
      { id: 'nationwide', weight: '1' },
      { id: 'illinois', weight: '6' },
    ],
    seed: 'tiktok-mdl-2948',
  });
  const key = tieKeyer(plan.seed);
  const members = { nationwide: 87_600_000n, illinois: 1_400_000n };
  const claimants = (m: bigint, rateNum: bigint, rateDen: bigint): bigint => divHalfUp(m * rateNum, rateDen);

  it.each([
    ['100%', 1n, 1n, 96n, 575n],
    ['1.5%', 15n, 1000n, 6389n, 38333n],
    ['20%', 20n, 100n, 479n, 2875n],
  ])('TikTok published figures at %s', (_rate, num, den, nationwide, illinois) => {
    const result = poolShares(
      plan,
      9_200_000_000n,
      [
        { classIndex: 0, points: one, count: claimants(members.nationwide, num, den) },
        { classIndex: 1, points: six, count: claimants(members.illinois, num, den) },
      ],
      key,
    );
    expect(result.groups.map((g) => g.rounded)).toEqual([nationwide, illinois]);
    expect(result.pools[0]!.residual).toBe(0n);
  });

  it('gives the exact share at 100%: 9.2e9 / 96e6 cents per point', () => {
    const result = poolShares(plan, 9_200_000_000n, [
      { classIndex: 0, points: one, count: members.nationwide },
      { classIndex: 1, points: six, count: members.illinois },
    ], key);
    expect(ratEq(result.groups[0]!.share, { n: 9_200_000_000n, d: 96_000_000n })).toBe(true);
    expect(ratEq(result.pools[0]!.level!, { n: 9_200_000_000n, d: 96_000_000n })).toBe(true);
  });

  it('applies the cap and the minimum to groups of millions without rows', () => {
    const capped = makePlan({ gross: '92000000.00', classes: [{ id: 'n', weight: '1' }, { id: 'i', weight: '6' }], maximumPayment: '100.00', minimumPayment: '1.00' });
    // 1.5%: nationwide 63.89, illinois 383.33 uncapped → illinois capped at 100.00,
    // the rest (9.2e9 − 21,000 × 10,000) over 1,314,000 points
    const result = poolShares(capped, 9_200_000_000n, [
      { classIndex: 0, points: one, count: 1_314_000n },
      { classIndex: 1, points: six, count: 21_000n },
    ], key);
    expect(result.groups[1]).toMatchObject({ outcome: 'capped', rounded: 10_000n });
    expect(result.groups[0]!.outcome).toBe('paid');
    expect(ratEq(result.groups[0]!.share, { n: 8_990_000_000n, d: 1_314_000n })).toBe(true);
    expect(result.groups[0]!.rounded).toBe(6842n);
    expect(result.pools[0]!.residual).toBe(0n);
    // at 100% nationwide would get 0.96 < 1.00: removed; illinois then shares all of it
    const full = poolShares(capped, 9_200_000_000n, [
      { classIndex: 0, points: one, count: 87_600_000n },
      { classIndex: 1, points: six, count: 1_400_000n },
    ], key);
    expect(full.groups[0]).toMatchObject({ outcome: 'below_minimum', rounded: 0n });
    expect(full.groups[1]).toMatchObject({ outcome: 'paid', rounded: 6571n });
    expect(ratEq(full.groups[1]!.share, { n: 9_200_000_000n, d: 1_400_000n })).toBe(true);
    expect(full.pools[0]!.residual).toBe(0n);
  });

  it('works in pools mode, a class with 0 claimants leaving its pool as residual', () => {
    const pools = makePlan({
      gross: '1000.00',
      classes: [
        { id: 'a', poolPercent: '40' },
        { id: 'b', poolPercent: '60' },
      ],
    });
    const result = poolShares(pools, 100_000n, [
      { classIndex: 0, points: one, count: 3n },
      { classIndex: 1, points: one, count: 0n },
    ], tieKeyer(pools.seed));
    expect(result.groups[0]!.rounded).toBe(13_333n);
    expect(result.groups[1]!.share.n).toBe(0n);
    expect(result.pools.map((p) => p.residual)).toEqual([0n, 60_000n]);
  });
});
