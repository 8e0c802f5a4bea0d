import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, textCell } from '../../src/core/csv-cell.js';
import { buildPaymentBatch, type PaidClaim } from '../../src/core/payments/batch.js';
import { BlockPool, ByteRows } from '../../src/core/payments/byte-rows.js';
import { paymentsConfig } from './helpers.js';

/** The bytes a file of these chunks holds (text as UTF-8: a lone surrogate as U+FFFD, as when written), as Latin-1 text for readable diffs. */
const decode = (chunks: readonly (string | Uint8Array)[]): string =>
  Buffer.concat(chunks.map((c) => (typeof c === 'string' ? new TextEncoder().encode(c) : c))).toString('latin1');

/** Cells a spreadsheet or a CSV reader would take apart: quotes, commas, line breaks, formula starts, non-ASCII. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '=1+2', "'x", '-5', '@a', '\tx', '\rx', 'a,b', 'a"b', 'a\nb', 'Zoë', 'é,"x"', '𝒜 z', 'x'.repeat(40), `${'ä'.repeat(20)},`),
);

describe('ByteRows', () => {
  it('writes text, CSV fields and text cells as the same UTF-8 bytes as csvField and textCell', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('text', 'field', 'cell', 'int'), nasty, fc.nat())), (ops) => {
        const w = new ByteRows();
        let expected = '';
        for (const [op, s, n] of ops) {
          if (op === 'text') (w.text(s), (expected += s));
          else if (op === 'field') (w.field(s), (expected += csvField(s)));
          else if (op === 'cell') (w.cell(s), (expected += textCell(s)));
          else (w.int(n), (expected += String(n)));
          w.byte(0x2c);
          expected += ',';
        }
        expect(decode(w.parts())).toBe(decode([expected]));
      }),
    );
  });
  it('goes on in a new block when one is full, long text and all', () => {
    const w = new ByteRows();
    let expected = '';
    for (let i = 0; i < 30_000; i++) {
      const s = i % 7 === 0 ? `"${'Ω'.repeat(i % 50)}",${i}` : `row ${i} ${'x'.repeat(i % 90)}`;
      w.cell(s);
      w.byte(0x0a);
      expected += `${textCell(s)}\n`;
    }
    const parts = w.parts();
    expect(parts.length).toBeGreaterThan(1);
    expect(decode(parts)).toBe(decode([expected]));
  });
});

describe('ByteRows with a pool of blocks', () => {
  it('hands each block over as it is sealed and goes on in one from the pool: the same bytes, in as many blocks as are out at once', () => {
    const pool = new BlockPool();
    const seen: Uint8Array[] = [];
    const blocks = new Set<ArrayBufferLike>();
    let ended = 0;
    let held: Uint8Array | undefined;
    // Each block is given back one seal late (as a write done later would): two blocks go round.
    const w = new ByteRows((block, last) => {
      seen.push(block.slice());
      blocks.add(block.buffer);
      if (held !== undefined) pool.give(held);
      held = block;
      if (last === true) ended++;
    }, pool);
    const plain = new ByteRows();
    for (let i = 0; i < 60_000; i++) {
      const s = i % 7 === 0 ? `"${'Ω'.repeat(i % 50)}",${i}` : `row ${i} ${'x'.repeat(i % 90)}`;
      for (const r of [w, plain]) {
        r.cell(s);
        r.byte(0x0a);
      }
    }
    expect(w.parts()).toEqual([]);
    expect(ended).toBe(1);
    expect(seen.length).toBeGreaterThan(3);
    expect(decode(seen)).toBe(decode(plain.parts()));
    expect(blocks.size).toBe(2);
    // The next file takes a block back from the pool.
    pool.give(held!);
    let again: ArrayBufferLike | undefined;
    const next = new ByteRows((block) => (again = block.buffer), pool);
    next.text('x');
    next.parts();
    expect(blocks.has(again!)).toBe(true);
  });
});

describe('the payment files as bytes', () => {
  it('are the text rows byte for byte, whatever the cells hold', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(nasty, nasty, fc.nat(3), fc.bigInt({ min: 1n, max: 10n ** 9n })), { minLength: 1, maxLength: 40 }), (rows) => {
        const paid: PaidClaim[] = rows.map(([a, b, k, amount], i) => {
          const claimId = `${a.slice(0, 10)}${i}`;
          const mailing = { name: b, address: a, address2: b, city: a, state: 'IL', zip: b };
          const election =
            k === 0
              ? { method: 'paypal' as const, recipient: b || 'x@example.com', recipientKind: 'email' as const }
              : k === 1
                ? { method: 'venmo' as const, recipient: a || '3125550100', recipientKind: 'phone' as const }
                : k === 2
                  ? { method: 'ach' as const, routing: '021000021', account: `${1000 + i}`, accountType: 'savings' as const, name: b }
                  : { method: 'check' as const, ...mailing };
          return { claimId, amount, election, ...(i % 2 === 0 ? { mailing } : {}) };
        });
        const config = paymentsConfig();
        config.paypal = { ...config.paypal, note: 'Settlement, "claim" =ref' };
        const o = { claims: paid, config, currency: 'USD', round: 2, paymentId: (c: string) => `P2-${c}` };
        const text = buildPaymentBatch(o);
        const bytes = buildPaymentBatch({ ...o, bytes: true });
        expect(bytes.files.map((f) => [f.name, decode(f.text)])).toEqual(text.files.map((f) => [f.name, decode(f.text)]));
        expect(decode(bytes.payments)).toBe(decode(text.payments));
        expect(decode(bytes.addresses)).toBe(decode(text.addresses));
      }),
      { numRuns: 60 },
    );
  });
});

describe('payment ids written from their bytes', () => {
  it('gives the ids of id(row), in payments.csv and the check register', () => {
    const digests = new Uint8Array(8 * 50).map((_, i) => (i * 37 + 11) & 0xff);
    const hex = (row: number): string => Buffer.from(digests.subarray(row * 8, row * 8 + 8)).toString('hex');
    const byRow = { head: 'P1-', digests, id: (row: number) => `P1-${hex(row)}`, bits: (row: number) => BigInt(`0x${hex(row)}`) };
    const home = { name: 'Ana', address: '1 Main St', address2: '', city: 'Chicago', state: 'IL', zip: '60601' };
    const paid: PaidClaim[] = Array.from({ length: 50 }, (_, i) => ({
      claimId: `C${i}`,
      amount: 100n + BigInt(i),
      // Every other claim without its row: its id is made from the claim id, as text.
      ...(i % 5 === 4 ? {} : { row: i }),
      election: i % 2 === 0 ? { method: 'check' as const, ...home } : { method: 'paypal' as const, recipient: `p${i}@example.com`, recipientKind: 'email' as const },
    }));
    const o = { claims: paid, config: paymentsConfig(), currency: 'USD', round: 1, paymentId: (c: string) => `P1-${c}`, paymentIdOfRow: byRow };
    const text = buildPaymentBatch(o);
    const bytes = buildPaymentBatch({ ...o, bytes: true });
    expect(decode(bytes.payments)).toBe(decode(text.payments));
    expect(decode(bytes.payments)).toContain(`P1-${hex(3)},C3,`);
    expect(decode(bytes.payments)).toContain('P1-C4,C4,');
    expect(bytes.files.map((f) => [f.name, decode(f.text)])).toEqual(text.files.map((f) => [f.name, decode(f.text)]));
    expect(decode(bytes.files.find((f) => f.method === 'check')!.text)).toContain(`P1-${hex(2)}`);
  });
});
