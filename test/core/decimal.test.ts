import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  divHalfEven,
  divHalfUp,
  exactDecimal,
  floorDiv,
  formatDec,
  formatRationalHalfEven,
  formatScaled,
  gcd,
  lcm,
  parseDec,
  rat,
  ratAdd,
  ratCmp,
  ratDiv,
  ratEq,
  ratFloor,
  ratMul,
  ratSub,
  RationalSum,
  reduce,
  type Rational,
} from '../../src/core/decimal.js';

const ratArb = fc
  .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 9n }))
  .map(([n, d]): Rational => ({ n, d }));

describe('parseDec and formatting', () => {
  it('parses plain decimals and refuses other text', () => {
    expect(parseDec('12')).toEqual({ n: 12n, scale: 0 });
    expect(parseDec('-3.250')).toEqual({ n: -3250n, scale: 3 });
    expect(parseDec('0.000001')).toEqual({ n: 1n, scale: 6 });
    for (const bad of ['', '1e3', '+1', '1,000', '.5', '5.', ' 1']) expect(parseDec(bad)).toBeUndefined();
  });

  it('formats scaled integers and shortest decimals', () => {
    expect(formatScaled(-5n, 2)).toBe('-0.05');
    expect(formatScaled(584700000000n, 2)).toBe('5847000000.00');
    expect(formatScaled(7n, 0)).toBe('7');
    expect(formatDec({ n: 1500n, scale: 3 })).toBe('1.5');
    expect(formatDec({ n: 2000n, scale: 3 })).toBe('2');
  });
});

describe('integer division with a named rounding', () => {
  it('floors toward −∞', () => {
    expect(floorDiv(7n, 2n)).toBe(3n);
    expect(floorDiv(-7n, 2n)).toBe(-4n);
    expect(floorDiv(7n, -2n)).toBe(-4n);
    expect(floorDiv(-8n, 2n)).toBe(-4n);
  });

  it('rounds half-up (away from zero) and half-even', () => {
    expect([5n, 15n, 25n, -5n, -15n].map((n) => divHalfUp(n, 10n))).toEqual([1n, 2n, 3n, -1n, -2n]);
    expect([5n, 15n, 25n, -5n, -15n].map((n) => divHalfEven(n, 10n))).toEqual([0n, 2n, 2n, 0n, -2n]);
    expect(divHalfUp(14n, 10n)).toBe(1n);
    expect(divHalfEven(16n, -10n)).toBe(-2n);
  });

  it('floorDiv, divHalfUp and divHalfEven stay within ½ of the exact quotient', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const f = floorDiv(n, d);
        expect(f * d <= n && n < (f + 1n) * d).toBe(true);
        for (const q of [divHalfUp(n, d), divHalfEven(n, d)]) {
          const twice = 2n * (n - q * d);
          expect(twice >= -d && twice <= d).toBe(true);
        }
      }),
    );
  });
});

describe('rationals', () => {
  it('gcd, lcm and lowest terms', () => {
    expect(gcd(12n, -18n)).toBe(6n);
    expect(gcd(0n, 0n)).toBe(0n);
    expect(lcm(4n, 6n)).toBe(12n);
    expect(lcm(100n, 1000n)).toBe(1000n);
    expect(reduce({ n: 600000n, d: 2100000n })).toEqual({ n: 2n, d: 7n });
    expect(rat(3n, -6n)).toEqual({ n: -3n, d: 6n });
  });

  it('arithmetic agrees with cross-multiplication', () => {
    fc.assert(
      fc.property(ratArb, ratArb, (a, b) => {
        expect(ratEq(ratSub(ratAdd(a, b), b), a)).toBe(true);
        if (b.n !== 0n) expect(ratEq(ratMul(ratDiv(a, b), b), a)).toBe(true);
        expect(ratCmp(a, b) + ratCmp(b, a)).toBe(0); // not toBe(-x): Object.is(0, -0) is false
        expect(ratEq(reduce(a), a)).toBe(true);
        const f = ratFloor(a);
        expect(ratCmp(rat(f), a) <= 0 && ratCmp(a, rat(f + 1n)) < 0).toBe(true);
      }),
    );
  });

  it('RationalSum adds like repeated ratAdd, in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(ratArb, fc.bigInt({ min: 0n, max: 1000n }))), (terms) => {
        const sum = new RationalSum();
        for (const [r, k] of terms) sum.add(r, k);
        const expected = terms.reduce((acc, [r, k]) => ratAdd(acc, ratMul(r, rat(k))), rat(0n));
        expect(sum.value()).toEqual(reduce(expected));
        const reversed = new RationalSum();
        for (const [r, k] of [...terms].reverse()) reversed.add(r, k);
        expect(reversed.value()).toEqual(sum.value());
      }),
    );
  });

  it('writes shares half-even to 6 places and exact decimals in shortest form', () => {
    expect(formatRationalHalfEven({ n: 19490n, d: 7n }, 6)).toBe('2784.285714');
    expect(formatRationalHalfEven({ n: 1n, d: 2_000_000n }, 6)).toBe('0.000000');
    expect(formatRationalHalfEven({ n: 3n, d: 2_000_000n }, 6)).toBe('0.000002');
    expect(exactDecimal({ n: 15n, d: 10n })).toBe('1.5');
    expect(exactDecimal({ n: 3n, d: 8n })).toBe('0.375');
    expect(exactDecimal({ n: 1n, d: 3n })).toBeUndefined();
  });
});
