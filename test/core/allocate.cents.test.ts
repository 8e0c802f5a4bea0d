import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { largestRemainder, pickSmallestKeys, selectKth } from '../../src/core/cents.js';
import { sha256Hex } from '../../src/io/hash.js';

function picked(rows: number[], take: number, keyOf: (row: number) => string): { rows: number[]; cutoff: string } {
  const out: number[] = [];
  const cutoff = pickSmallestKeys(Uint32Array.from(rows), take, keyOf, (row) => out.push(row));
  return { rows: out.sort((a, b) => a - b), cutoff };
}

describe('pickSmallestKeys', () => {
  it('picks the keys that sort first, also when many share the 32-bit prefix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 50 })), { minLength: 2, maxLength: 60 }),
        fc.nat(),
        (parts, t) => {
          // keys: one of 4 prefixes, then a distinguishing tail, all 64 lowercase hex characters
          const keys = parts.map(([p, tail], i) =>
            (`${'abc0'[p]!.repeat(12)}${tail.toString(16).padStart(4, '0')}${i.toString(16).padStart(4, '0')}`).padEnd(64, 'f'),
          );
          const take = 1 + (t % (keys.length - 1));
          const rows = keys.map((_, i) => i);
          const expected = [...rows].sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1)).slice(0, take);
          const got = picked(rows, take, (r) => keys[r]!);
          expect(got.rows).toEqual(expected.sort((a, b) => a - b));
          expect(got.cutoff).toBe([...keys].sort()[take - 1]);
        },
      ),
    );
  });

  it('is exact with 32-bit prefixes given ahead: rows that share the cut-off prefix are settled by full key (property)', () => {
    // Keys whose first 8 hex digits come from a small set (so many rows share the cut-off's
    // prefix) and differ after it, also in the 9th to 12th digits (which a 48-bit prefix saw).
    const key = fc.tuple(fc.constantFrom('00000000', '7fffffff', '80000000', 'ffffffff', '12345678'), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 56, maxLength: 56 }));
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 2, maxLength: 80, selector: ([p, t]) => p + t }), fc.nat(), (parts, t) => {
        const keys = parts.map(([p, tail]) => p + tail.toLowerCase());
        const take = 1 + (t % (keys.length - 1));
        const rows = keys.map((_, i) => i);
        const expected = [...rows].sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b)).slice(0, take);
        const out: number[] = [];
        const cutoff = pickSmallestKeys(Uint32Array.from(rows), take, (r) => keys[r]!, (r) => out.push(r), (r) => parseInt(keys[r]!.slice(0, 8), 16));
        expect(out.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
        expect(cutoff).toBe([...keys].sort()[take - 1]);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with a full sort of real SHA-256 keys and falls back for keys that are not hex', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `id-${i}`);
    const keyOf = (r: number): string => sha256Hex(`seed:${ids[r]!}`);
    const rows = ids.map((_, i) => i);
    const expected = [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)).slice(0, 1234).sort((a, b) => a - b);
    expect(picked(rows, 1234, keyOf).rows).toEqual(expected);
    const plain = picked(rows, 3, (r) => ids[r]!);
    expect(plain.rows).toEqual([0, 1, 10]); // id-0 < id-1 < id-10
  });

  it('refuses a take outside (0, rows)', () => {
    expect(() => picked([1, 2], 0, String)).toThrow(RangeError);
    expect(() => picked([1, 2], 2, String)).toThrow(RangeError);
  });
});

describe('selectKth', () => {
  it('finds the k-th smallest like a sort does', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1)), { minLength: 1, maxLength: 200 }), fc.nat(), (xs, k) => {
        const i = k % xs.length;
        const sorted = Uint32Array.from(xs).sort();
        expect(selectKth(Uint32Array.from(xs), i)).toBe(sorted[i]);
      }),
    );
  });
});

describe('largestRemainder (small lists)', () => {
  it('floors, then gives the leftover cents to the largest remainders, ties to the smaller key', () => {
    const items = [
      { exact: { n: 10n, d: 3n }, key: 'b' }, // 3 + 1/3
      { exact: { n: 10n, d: 3n }, key: 'a' }, // 3 + 1/3
      { exact: { n: 13n, d: 3n }, key: 'c' }, // 4 + 1/3
    ];
    expect(largestRemainder(items, 11n).cents).toEqual([3n, 4n, 4n]);
    expect(largestRemainder(items, 10n).cents).toEqual([3n, 3n, 4n]);
    expect(() => largestRemainder(items, 20n)).toThrow(RangeError);
  });
});
