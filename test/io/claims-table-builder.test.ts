import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClaimTableBuilder } from '../../src/io/claims-table-builder.js';

describe('ClaimTableBuilder', () => {
  it('keeps one byte a row for indices up to 255', () => {
    const b = new ClaimTableBuilder();
    for (let i = 0; i < 3000; i++) b.push(`C${i}`, i + 2, i % 7, 255, i % 3, []);
    const t = b.build([], []);
    expect(t.classIndex).toBeInstanceOf(Uint8Array);
    expect(t.unitsIndex).toBeInstanceOf(Uint8Array);
    expect(t.statusIndex).toBeInstanceOf(Uint8Array);
    expect(t.unitsIndex[2999]).toBe(255);
  });

  it('keeps the claim ids in shared memory from the first row (the ledger workers read them in place)', () => {
    const b = new ClaimTableBuilder();
    for (let i = 0; i < 3000; i++) b.push(`C${i}`, i + 2, 0, 0, 0, []);
    const t = b.build([], []);
    expect(t.ids.shared).toBe(true);
    expect(t.ids.view().bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(t.ids.get(2999)).toBe('C2999');
  });

  it('widens an index array when a larger index comes, keeping every earlier value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(70_000), fc.nat(300), fc.nat(2 ** 32 - 1)), { minLength: 1, maxLength: 3000 }),
        fc.nat(5000),
        (rows, reserve) => {
          const b = new ClaimTableBuilder();
          b.reserve(reserve);
          rows.forEach(([cls, status, units], i) => b.push(`C${i}`, i + 2, cls, units, status, []));
          const t = b.build([], []);
          expect(t.count).toBe(rows.length);
          expect(Array.from(t.classIndex)).toEqual(rows.map(([cls]) => cls));
          expect(Array.from(t.statusIndex)).toEqual(rows.map(([, status]) => status));
          expect(Array.from(t.unitsIndex)).toEqual(rows.map(([, , units]) => units));
          expect(Array.from(t.lines)).toEqual(rows.map((_, i) => i + 2));
        },
      ),
      { numRuns: 60 },
    );
  });
});
