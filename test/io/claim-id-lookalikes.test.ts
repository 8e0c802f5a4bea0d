/**
 * findLookAlikeIds sorts the rows into buckets by their key's hash and checks each bucket alone,
 * in one or more passes: held here to the plain definition (the first row of each key, then every
 * later row with that key, in row order), over many buckets and many passes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClaimIds } from '../../src/core/claims.js';
import { findLookAlikeIds, lookAlikeKey, lookAlikeWork, LOOKALIKE_PASS_ROWS, type LookAlike } from '../../src/io/claim-id-lookalikes.js';

/** The definition: a map from key to the first row that had it. */
function plainLookAlikes(ids: readonly string[]): LookAlike[] {
  const first = new Map<string, number>();
  const found: LookAlike[] = [];
  ids.forEach((id, row) => {
    const key = lookAlikeKey(id);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, row);
    else found.push({ firstRow: earlier, row });
  });
  return found;
}

/** Distinct ids, some of them look-alikes of others (case, NFD, an invisible character). */
function idsOf(bases: readonly number[], variants: readonly number[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  bases.forEach((base, i) => {
    const plain = `TT-${base.toString(36)}é`;
    const v = variants[i % variants.length]!;
    const id = v === 1 ? plain.toUpperCase() : v === 2 ? plain.normalize('NFD') : v === 3 ? `TT-\u200b${plain.slice(3)}` : v === 4 ? `tt-${base.toString(36)}` : plain;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  });
  return out;
}

describe('findLookAlikeIds', () => {
  it('finds what the definition finds, in row order, in one pass or many', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(400), { minLength: 0, maxLength: 600 }),
        fc.array(fc.nat(6), { minLength: 1, maxLength: 20 }),
        fc.constantFrom(1, 2, 7, 100, LOOKALIKE_PASS_ROWS),
        (bases, variants, passRows) => {
          const ids = idsOf(bases, variants);
          expect(findLookAlikeIds(ClaimIds.from(ids), passRows)).toEqual(plainLookAlikes(ids));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sorts more rows than a bucket holds into many buckets and passes, and still finds every pair', () => {
    const n = 30_000;
    const ids = Array.from({ length: n }, (_, i) => (i % 97 === 5 ? `tt-${(i - 5).toString(36)}` : `TT-${i.toString(36)}`));
    const expected = plainLookAlikes(ids);
    expect(expected.length).toBeGreaterThan(200);
    for (const passRows of [n, 4_000, 1_000]) expect(findLookAlikeIds(ClaimIds.from(ids), passRows)).toEqual(expected);
  });

  it('finds an ASCII id and a look-alike that is not ASCII, whichever comes first (their keys hashed by two paths)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(300), fc.constantFrom('', '\u200b', '\u00ad', 'É', 'e\u0301')), { maxLength: 400 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
        fc.constantFrom(3, LOOKALIKE_PASS_ROWS),
        (rows, upper, passRows) => {
          const seen = new Set<string>();
          const ids: string[] = [];
          rows.forEach(([base, extra], i) => {
            // Plain ASCII ids of 1 to 12 bytes, their case changed, or with a character that is not ASCII.
            const plain = `Id${'x'.repeat(base % 11)}${base.toString(36)}`;
            const cased = upper[i % upper.length] ? plain.toUpperCase() : plain;
            const id = extra === '' ? cased : extra === 'É' || extra === 'e\u0301' ? `${cased}${extra}` : `${cased.slice(0, 1)}${extra}${cased.slice(1)}`;
            if (!seen.has(id)) {
              seen.add(id);
              ids.push(id);
            }
          });
          expect(findLookAlikeIds(ClaimIds.from(ids), passRows)).toEqual(plainLookAlikes(ids));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('works in 12 bytes a claim, and in passes past 8M claims: 144 MB at 20M where one table took 512 MiB', () => {
    expect(lookAlikeWork(1_000_000)).toEqual({ passes: 1, bytes: 12_000_000 });
    const at20M = lookAlikeWork(20_000_000);
    expect(at20M.passes).toBe(3);
    expect(at20M.bytes).toBeLessThanOrEqual(144_000_000);
  });
});
