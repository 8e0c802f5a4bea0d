import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { putCell, putCells, putHexId, putInt } from '../../src/core/payments/record-cells.js';
import { textCell } from '../../src/core/csv-cell.js';

describe('putInt', () => {
  it("writes a safe integer's digits, zero-padded to the width, as String and padStart do", () => {
    const n = fc.oneof(fc.nat(100_000), fc.integer({ min: 2 ** 31 - 100, max: 2 ** 31 + 100 }), fc.maxSafeNat(), fc.constantFrom(0, 9, 10, 99, 9_999_999, 10_000_000, 2 ** 32, Number.MAX_SAFE_INTEGER));
    fc.assert(
      fc.property(n, fc.nat(20), (x, width) => {
        const b = new Uint8Array(40).fill(0x78);
        const u = putInt(b, 3, x, width);
        const want = String(x).padStart(width, '0');
        expect(Buffer.from(b.subarray(3, u)).toString('latin1')).toBe(want);
        expect(b[u]).toBe(0x78);
      }),
    );
  });
});

describe('putCells', () => {
  it("writes each cell after a comma as putCell and textCell do, whatever its bytes (property)", () => {
    // Cells with formula starts, quotes, commas, line breaks, tabs, accents and emoji, and plain ones.
    const piece = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', "'", '"', ',', 'é', '😀', 'a', 'Main St', '12', ' ');
    const cell = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), (cells) => {
        const src = Buffer.from(cells.join(''), 'utf8');
        const at = new Int32Array(2 * cells.length);
        let p = 0;
        for (const [k, c] of cells.entries()) {
          at[2 * k] = p;
          p += Buffer.byteLength(c, 'utf8');
          at[2 * k + 1] = p;
        }
        const b = new Uint8Array(4 * src.length + 3 * cells.length + 8).fill(0x78);
        const u = putCells(b, 2, src, at, 0, 2 * cells.length);
        expect(Buffer.from(b.subarray(2, u)).toString('utf8')).toBe(cells.map((c) => `,${textCell(c)}`).join(''));
        expect(b[u]).toBe(0x78);
        // The same bytes as putCell, cell by cell.
        const one = new Uint8Array(b.length);
        let v = 2;
        for (let k = 0; k < cells.length; k++) {
          one[v++] = 0x2c;
          v = putCell(one, v, src, at[2 * k]!, at[2 * k + 1]!);
        }
        expect(Buffer.from(one.subarray(2, v)).equals(Buffer.from(b.subarray(2, u)))).toBe(true);
      }),
    );
  });
});

describe('putHexId', () => {
  it("writes the head and the 8 bytes' 16 lowercase hex digits, as Buffer's hex does (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 40 }), fc.nat(32), (digests, k) => {
        const at = k % (digests.length - 7);
        const b = new Uint8Array(24).fill(0x78);
        const u = putHexId(b, 1, Buffer.from('P2-'), digests, at);
        expect(Buffer.from(b.subarray(1, u)).toString('latin1')).toBe(`P2-${Buffer.from(digests.subarray(at, at + 8)).toString('hex')}`);
        expect(b[u]).toBe(0x78);
      }),
    );
  });
});
