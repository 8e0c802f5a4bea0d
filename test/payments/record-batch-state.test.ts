import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { idBits } from '../../src/core/payments/batch.js';
import { formatMoney } from '../../src/core/money.js';
import type { ClaimRecordReader } from '../../src/core/payments/claim-records.js';
import { AMOUNT_SUMS, AmountMemo, PaymentIdWords } from '../../src/core/payments/record-batch-state.js';

/** What AmountMemo reads of a record: the amount's 64 bits as two halves and its cents. */
function recordOf(cents: bigint): ClaimRecordReader {
  const lo = Number(BigInt.asIntN(32, cents));
  const hi = Number(BigInt.asIntN(32, cents >> 32n));
  return { lo, hi, cents } as unknown as ClaimRecordReader;
}

describe('AmountMemo', () => {
  it('gives each amount its own cents and digits, whatever amounts share a slot before it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }), { minLength: 1, maxLength: 600 }), fc.array(fc.nat(), { maxLength: 600 }), (amounts, picks) => {
        const memo = new AmountMemo();
        // Many amounts in few of the 256 slots: the same amounts again, in another order.
        const order = [...amounts, ...picks.map((p) => amounts[p % amounts.length]!)];
        for (const cents of order) {
          memo.take(recordOf(cents));
          expect(memo.cents).toBe(cents);
          expect(memo.digits).toBe(cents.toString());
          expect(Buffer.from(memo.money).toString('latin1')).toBe(formatMoney(cents));
        }
      }),
    );
  });

  it('takes an amount over 2^63 cents as given, and does not keep it', () => {
    const memo = new AmountMemo();
    memo.takeBig(123456789012345678901234n);
    expect([memo.cents, memo.digits]).toEqual([123456789012345678901234n, '123456789012345678901234']);
    expect(Buffer.from(memo.money).toString('latin1')).toBe('1234567890123456789012.34');
    memo.take(recordOf(5n));
    expect([memo.cents, memo.digits]).toEqual([5n, '5']);
  });

  it('sums the amounts counted into each sum exactly, across slots given to other amounts and drains (property)', () => {
    const step = fc.record({
      cents: fc.oneof(fc.bigInt({ min: 1n, max: 300n }), fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }), fc.bigInt({ min: 1n << 63n, max: 1n << 80n })),
      sum: fc.nat({ max: AMOUNT_SUMS - 1 }),
      drain: fc.option(fc.nat({ max: AMOUNT_SUMS - 1 }), { freq: 8 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 2000 }), (steps) => {
        const memo = new AmountMemo();
        const expected = new Array<bigint>(AMOUNT_SUMS).fill(0n);
        for (const s of steps) {
          if (s.cents >= 1n << 63n) memo.takeBig(s.cents);
          else memo.take(recordOf(s.cents));
          memo.count(s.sum);
          expected[s.sum] = expected[s.sum]! + s.cents;
          if (s.drain !== null) {
            expect(memo.drain(s.drain)).toBe(expected[s.drain]);
            expected[s.drain] = 0n;
          }
        }
        for (let k = 0; k < AMOUNT_SUMS; k++) expect(memo.drain(k)).toBe(expected[k]);
        for (let k = 0; k < AMOUNT_SUMS; k++) expect(memo.drain(k)).toBe(0n);
      }),
    );
  });
});

describe('PaymentIdWords', () => {
  const digestsOf = (rows: number, offset: number): Uint8Array => {
    const buf = new Uint8Array(rows * 8 + offset);
    for (let i = 0; i < rows * 8; i++) buf[offset + i] = (i * 37 + 11) & 0xff;
    return buf.subarray(offset);
  };

  it('finds a row met twice, from aligned and unaligned digests alike', () => {
    for (const offset of [0, 1, 3]) {
      const ids = new PaymentIdWords(digestsOf(10, offset));
      for (const row of [0, 4, 9, 4]) ids.addRow(row);
      expect(ids.duplicates()).toHaveLength(1);
    }
  });

  it('tells rows apart and finds an id given as text met twice, past the first room', () => {
    const ids = new PaymentIdWords(digestsOf(4, 0));
    for (let row = 0; row < 4; row++) ids.addRow(row);
    expect(ids.duplicates()).toEqual([]);
    // Grown past its first room (2 << 16 ids), ids given as text.
    for (let i = 0; i < (2 << 16) + 5; i++) ids.addText(`X-${i}`);
    ids.addText('X-17');
    expect(ids.duplicates()).toHaveLength(1);
    expect(idBits('X-17')).not.toBe(idBits('X-18'));
  });
});
