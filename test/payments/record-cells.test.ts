import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { putInt } from '../../src/core/payments/record-cells.js';

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
