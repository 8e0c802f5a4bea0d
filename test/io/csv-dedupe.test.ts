import { describe, expect, it } from 'vitest';
import { ExactLineIndex, Hash64, HashedLineIndex, hash32 } from '../../src/io/csv-dedupe.js';

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
});
