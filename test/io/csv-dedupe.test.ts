import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ClaimantIndex,
  Hash64,
  hash32,
  hashLowerTrimmed,
  hashLowerTrimmedBytes,
  hashNormalised,
  hashNormalisedBytes,
  normaliseForMatch,
  NOT_ASCII,
} from '../../src/io/csv-dedupe.js';
import { ExactLineIndex, HashedLineIndex, PARTITION_LOAD } from '../../src/io/line-index.js';

const h64 = (s: string) => {
  const h = new Hash64().start();
  h.addString(s);
  return h.finish();
};

describe('HashedLineIndex', () => {
  it('remembers the first line of each key through growth', () => {
    const index = new HashedLineIndex();
    for (let i = 0; i < 50_000; i++) {
      const h = h64(`key-${i}`);
      expect(index.firstLine(h.hi, h.lo, i + 2)).toBe(0);
    }
    for (let i = 0; i < 50_000; i += 997) {
      const h = h64(`key-${i}`);
      expect(index.firstLine(h.hi, h.lo, 999_999)).toBe(i + 2);
    }
  });

  it('is used again after reset: no key remembered, the same memory while it is large enough', () => {
    const index = new HashedLineIndex();
    index.reset(20_000);
    const sized = index.bytes;
    for (let i = 0; i < 20_000; i++) {
      const h = h64(`a-${i}`);
      expect(index.firstLine(h.hi, h.lo, i + 2)).toBe(0);
    }
    index.reset(10_000);
    expect(index.bytes).toBe(sized);
    for (let i = 0; i < 10_000; i++) {
      const a = h64(`a-${i}`);
      expect(index.firstLine(a.hi, a.lo, i + 7)).toBe(0); // forgotten
      expect(index.firstLine(a.hi, a.lo, 1)).toBe(i + 7);
    }
    index.reset(40_000);
    expect(index.bytes).toBeGreaterThan(sized);
    const h = h64('a-1');
    expect(index.firstLine(h.hi, h.lo, 3)).toBe(0);
  });

  it('holds keys reserved for at load 0.75: 13 bytes a slot, ~17.3 a key, every first line kept', () => {
    const n = 200_000;
    const index = new HashedLineIndex();
    index.reserve(n);
    const reserved = index.bytes;
    // Not fuller: the walk over the tags at 0.9 cost more than the memory saved (line-index.ts).
    expect(reserved).toBeGreaterThanOrEqual(13 * (n / 0.75));
    expect(reserved).toBeLessThanOrEqual(13 * Math.ceil(n / 0.75 + 2));
    for (let i = 0; i < n; i++) {
      const h = h64(`user${i}@example.com`);
      expect(index.firstLine(h.hi, h.lo, i + 2)).toBe(0);
    }
    expect(index.bytes).toBe(reserved); // filled to the load it was sized for, not grown
    for (let i = 0; i < n; i += 101) {
      const h = h64(`user${i}@example.com`);
      expect(index.firstLine(h.hi, h.lo, 999_999)).toBe(i + 2);
    }
  });

  it('is sized for load 0.5 for the spilled checks, and grows past it', () => {
    const index = new HashedLineIndex(PARTITION_LOAD);
    index.reset(100_000);
    expect(index.bytes).toBeGreaterThanOrEqual(13 * (100_000 / 0.5));
    expect(index.bytes).toBeLessThanOrEqual(13 * Math.ceil(100_000 / 0.5 + 2));
    const sized = index.bytes;
    for (let i = 0; i < 100_000; i++) {
      const h = h64(`p-${i}`);
      expect(index.firstLine(h.hi, h.lo, i + 2)).toBe(0);
    }
    expect(index.bytes).toBe(sized);
    for (let i = 100_000; i < 100_010; i++) {
      const h = h64(`p-${i}`);
      index.firstLine(h.hi, h.lo, i + 2);
    }
    expect(index.bytes).toBeGreaterThan(sized);
    for (let i = 0; i < 100_010; i += 777) {
      const h = h64(`p-${i}`);
      expect(index.firstLine(h.hi, h.lo, 1)).toBe(i + 2);
    }
  });

  it('spreads similar keys over distinct 64-bit hashes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const h = h64(`user${i}@example.com`);
      seen.add(`${h.hi}:${h.lo}`);
    }
    expect(seen.size).toBe(100_000);
  });
});

describe('ExactLineIndex', () => {
  it('finds equal keys only, also when their 32-bit hashes collide', () => {
    const keys: string[] = [];
    const index = new ExactLineIndex((ref) => keys[ref - 1] as string);
    const add = (key: string, hash: number) => {
      expect(index.find(key, hash)).toBe(0);
      keys.push(key);
      index.insert(hash, keys.length);
    };
    add('A', 7);
    add('B', 7); // same hash, different key
    for (let i = 0; i < 20_000; i++) add(`TT-${i}`, hash32(`TT-${i}`));
    expect(index.find('A', 7)).toBe(1);
    expect(index.find('B', 7)).toBe(2);
    expect(index.find('C', 7)).toBe(0);
    expect(index.find('TT-123', hash32('TT-123'))).toBe(3 + 123);
  });

  it('is sized for load 0.9: 9 bytes a slot, 10 a key', () => {
    const index = new ExactLineIndex(() => '');
    index.reserve(100_000);
    expect(index.bytes).toBeLessThanOrEqual(9 * Math.ceil(100_000 / 0.9 + 2));
  });
});

describe('hashing cells from their bytes (the duplicate-check worker)', () => {
  const enc = new TextEncoder();
  const state = (h: Hash64) => [h.h1, h.h2];
  // ASCII with every class the normalisation treats apart (letters, digits, punctuation, symbols,
  // whitespace) and some non-ASCII, in a cell padded by other bytes.
  const text = fc.string({
    unit: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...'aZ09 \t\r\n\v\f\x1c\x00.,-_\'"@#&()/\\+=~`|$%^*![]{}<>?;:'.split('')) },
      { weight: 1, arbitrary: fc.constantFrom('é', 'Ø', 'ß', 'ÿ', 'µ', '¿', '×', '©', '\u00a0', '\u0085', '—', '李', '😀') },
    ),
    maxLength: 24,
  });

  /** What each hash stands for, by definition: the normalised text fed code unit by code unit. */
  const normalised = (s: string) => normaliseForMatch(s);
  const lowerTrimmed = (s: string) => s.trim().toLowerCase();

  it('hashes text as its definition says: the normalised text, code unit by code unit', () => {
    fc.assert(
      fc.property(text, (cell) => {
        for (const [hash, define] of [
          [hashNormalised, normalised],
          [hashLowerTrimmed, lowerTrimmed],
        ] as const) {
          const a = new Hash64().start();
          const b = new Hash64().start();
          const want = define(cell);
          b.addString(want);
          expect(hash(a, cell)).toBe(want.length);
          expect(state(a)).toEqual(state(b));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('from the bytes: the hash of the decoded text for ASCII (names and addresses: up to U+00FF), and NOT_ASCII (hash untouched) otherwise', () => {
    fc.assert(
      fc.property(text, text, (before, cell) => {
        const bytes = enc.encode(`${before},${cell},x`);
        const start = enc.encode(`${before},`).length;
        const end = start + enc.encode(cell).length;
        for (const [fromBytes, define, ascii] of [
          [hashNormalisedBytes, normalised, /^[\x00-\xff]*$/.test(cell)],
          [hashLowerTrimmedBytes, lowerTrimmed, /^[\x00-\x7f]*$/.test(cell)],
        ] as const) {
          const a = new Hash64().start();
          a.add(7);
          const b = new Hash64().start();
          b.add(7);
          const untouched = state(a);
          const fed = fromBytes(a, bytes, start, end);
          if (!ascii) {
            expect(fed).toBe(NOT_ASCII);
            expect(state(a)).toEqual(untouched);
          } else {
            const want = define(cell);
            b.addString(want);
            expect(fed).toBe(want.length);
            expect(state(a)).toEqual(state(b));
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('ClaimantIndex finds the same duplicates from bytes as from text', () => {
    const rows = ['A@x.com', ' a@X.COM ', 'b@x.com', '', '  ', 'B@x.com'];
    const fromText = new ClaimantIndex();
    const fromBytes = new ClaimantIndex();
    rows.forEach((email, i) => {
      const b = enc.encode(email);
      expect(fromBytes.emailBytes(b, 0, b.length, i + 2)).toBe(fromText.email(email, i + 2));
    });
    const people = [
      ['Ann Lee', '1 Main St.'],
      ['ann  lee', '1 main st'],
      ['Ann Lee', ''],
      ['Bo Chen', '2 Elm'],
      ['BO CHEN!', '2 elm'],
    ];
    const a = new ClaimantIndex();
    const b = new ClaimantIndex();
    people.forEach(([name, address], i) => {
      const bytes = enc.encode(`${name}\n${address}`);
      const n = enc.encode(name!).length;
      expect(b.nameAddressBytes(bytes, 0, n, n + 1, bytes.length, i + 2)).toBe(a.nameAddress(name!, address!, i + 2));
    });
    expect(b.nameAddressBytes(enc.encode('李'), 0, 3, 0, 0, 9)).toBe(NOT_ASCII);
    // Accented Latin letters (U+0080 to U+00FF) are hashed from the bytes, as the decoded text is.
    const latin = enc.encode('José Peña\n1 Calle Ñandú, Bogotá');
    const nameEnd = enc.encode('José Peña').length;
    expect(b.nameAddressBytes(latin, 0, nameEnd, nameEnd + 1, latin.length, 9)).toBe(0);
    expect(b.nameAddress('JOSÉ peña!', '1 calle ñandú bogotá', 10)).toBe(9);
  });

  it('keys hashed first and looked up after give the first lines of the one-step checks', () => {
    const cell = fc.constantFrom('', ' ', 'Ann Lee', 'ann  lee!', 'Zoë', 'ZOË', '1 Main St.', '1 main st', 'a@x.com', ' A@X.com ', 'b@x.com', 'José');
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell), { maxLength: 40 }), (rows) => {
        const one = new ClaimantIndex();
        const two = new ClaimantIndex();
        const keys = new Uint32Array(4);
        rows.forEach(([email, name, address], i) => {
          const line = i + 2;
          const bytes = enc.encode(`${email}\n${name}\n${address}`);
          const e = enc.encode(email).length;
          const n = enc.encode(name).length;
          let fed = two.emailKeyBytes(bytes, 0, e, keys, 0);
          if (fed === NOT_ASCII) fed = two.emailKey(email, keys, 0) ? 1 : 0;
          expect(fed > 0 ? two.firstEmail(keys, 0, line) : 0).toBe(one.email(email, line));
          fed = two.nameAddressKeyBytes(bytes, e + 1, e + 1 + n, e + 2 + n, bytes.length, keys, 2);
          if (fed === NOT_ASCII) fed = two.nameAddressKey(name, address, keys, 2) ? 1 : 0;
          expect(fed > 0 ? two.firstNameAddress(keys, 2, line) : 0).toBe(one.nameAddress(name, address, line));
        });
      }),
      { numRuns: 500 },
    );
  });
});
