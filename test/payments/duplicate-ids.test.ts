import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicateIds } from '../../src/core/payments/duplicate-ids.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The ids made more than once, each listed once per extra time it was made, sorted: by counting. */
function reference(ids: Uint8Array[]): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const id of ids) {
    const h = hex(id);
    const k = seen.get(h) ?? 0;
    if (k > 0) out.push(h);
    seen.set(h, k + 1);
  }
  return out.sort();
}

describe('duplicateIds', () => {
  it('lists an id made k times k − 1 times, whatever the ids (ids that differ in one half only, many alike)', () => {
    const id = fc.oneof(
      fc.uint8Array({ minLength: 8, maxLength: 8 }),
      fc.constantFrom(...[0, 1, 2].map((k) => Uint8Array.from([k, 0, 0, 0, 0, 0, 0, 0])), Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0]), new Uint8Array(8)),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 3000 }), (ids) => {
        const bytes = new Uint8Array(ids.length * 8 + 16);
        ids.forEach((b, i) => bytes.set(b, i * 8));
        expect(duplicateIds(bytes, ids.length)).toEqual(reference(ids));
      }),
      { numRuns: 200 },
    );
  });

  it('finds the one id two claims of a million share', () => {
    const n = 1_000_000;
    const bytes = new Uint8Array(n * 8);
    for (let i = 0; i < n; i++) new DataView(bytes.buffer).setUint32(i * 8, i * 2654435761, true);
    bytes.set(bytes.subarray(8 * 12345, 8 * 12346), 8 * 999_999);
    expect(duplicateIds(bytes, n)).toEqual([hex(bytes.subarray(8 * 12345, 8 * 12346))]);
  });
});
