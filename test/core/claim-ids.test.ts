/** ClaimIds (src/core/claims.ts): claim ids kept as UTF-8 bytes, given back exactly. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClaimIds } from '../../src/core/claims.js';

const enc = new TextEncoder();

describe('ClaimIds', () => {
  it('gives back every id it was given, as text and as UTF-8 bytes, through growth and slices', () => {
    const id = fc.string({
      unit: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...'TT-0123456789abcXYZ ,"\'=\t'.split('')) },
        { weight: 1, arbitrary: fc.constantFrom('é', 'Ø', '€', '李', '𝄞', '\u0000', '\u00a0') },
      ),
      maxLength: 50,
    });
    fc.assert(
      fc.property(fc.array(id, { maxLength: 300 }), fc.nat(), fc.nat(), (list, a, b) => {
        const ids = new ClaimIds(2, 1); // tiny, so that both arrays grow
        for (const s of list) ids.push(s);
        expect(ids.length).toBe(list.length);
        expect(ids.toArray()).toEqual(list);
        list.forEach((s, row) => {
          expect(ids.bytes.subarray(ids.start(row), ids.end(row))).toEqual(enc.encode(s));
        });
        if (list.length > 0) {
          const from = a % list.length;
          const to = from + 1 + (b % (list.length - from));
          const { bytes, ends } = ids.slice(from, to);
          const dec = new TextDecoder();
          let start = 0;
          const back = Array.from(ends, (end) => {
            const s = dec.decode(bytes.subarray(start, end));
            start = end;
            return s;
          });
          expect(back).toEqual(list.slice(from, to));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('in shared memory, stay there through growth and reserve, and give back the same ids', () => {
    const id = fc.string({ unit: fc.constantFrom('T', '-', '0', '9', 'é', '李', '𝄞'), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(id, { maxLength: 300 }), fc.nat(400), (list, reserveAt) => {
        const shared = new ClaimIds(2, 1, { shared: true });
        const plain = new ClaimIds(2, 1);
        list.forEach((s, row) => {
          if (row === reserveAt) shared.reserve(row * 3 + 5, 7);
          shared.push(s);
          plain.push(s);
        });
        expect(shared.shared).toBe(true);
        expect(plain.shared).toBe(false);
        expect(shared.toArray()).toEqual(list);
        const view = shared.view();
        expect(view.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(view.ends.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(Array.from(view.bytes)).toEqual(Array.from(plain.view().bytes));
        expect(Array.from(view.ends)).toEqual(Array.from(plain.view().ends));
      }),
      { numRuns: 200 },
    );
  });

  it('compare by their ids in toEqual (test/helpers/setup.ts), so a table with other ids is not equal', () => {
    expect(ClaimIds.from(['a', 'b'])).toEqual(ClaimIds.from(['a', 'b']));
    expect(ClaimIds.from(['a', 'b'])).not.toEqual(ClaimIds.from(['a', 'c']));
    expect({ ids: ClaimIds.from(['a']) }).not.toEqual({ ids: ClaimIds.from(['a', 'a']) });
  });

  it('slices nothing to nothing, and decodes a leading U+FEFF as the character it is', () => {
    const ids = ClaimIds.from(['\ufeffA', 'B']);
    expect(ids.get(0)).toBe('\ufeffA');
    const none = ids.slice(1, 1);
    expect(none.bytes.length).toBe(0);
    expect(none.ends.length).toBe(0);
  });

  it('refuses a row it does not hold', () => {
    const ids = ClaimIds.from(['A']);
    expect(() => ids.get(1)).toThrow(RangeError);
    expect(() => ids.get(-1)).toThrow(RangeError);
  });
});
