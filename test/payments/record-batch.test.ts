import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaymentBatchBuilder, type PaidClaim, type PaymentBatch } from '../../src/core/payments/batch.js';
import { ByteRows } from '../../src/core/payments/byte-rows.js';
import { ClaimRecordWriter } from '../../src/core/payments/claim-records.js';
import { RecordBatchBuilder, type RecordIds } from '../../src/core/payments/record-batch.js';
import { putAlpha, putCents, putMasked } from '../../src/core/payments/record-cells.js';
import { nachaAlpha } from '../../src/core/payments/nacha.js';
import { maskLast4 } from '../../src/core/mask.js';
import { formatMoney } from '../../src/core/money.js';
import type { CheckColumn, PaymentsConfig } from '../../src/core/payments/plan-section.js';
import { paymentsConfig } from './helpers.js';

const utf8 = (chunks: readonly (string | Uint8Array)[]): Buffer => Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));

/** Each row's 8 bytes; rows listed in `same` copy the row before them (two claims, one id). */
function digestsOf(rows: number, same: ReadonlySet<number> = new Set()): Uint8Array {
  const d = new Uint8Array(rows * 8);
  for (let r = 0; r < rows; r++) {
    if (same.has(r) && r > 0) d.copyWithin(r * 8, (r - 1) * 8, r * 8);
    else d.set(createHash('sha256').update(`row ${r}`).digest().subarray(0, 8), r * 8);
  }
  return d;
}

const hex = (d: Uint8Array, row: number): string => Buffer.from(d.subarray(row * 8, row * 8 + 8)).toString('hex');

/** The files as PaymentBatchBuilder makes them from the claims (bytes, ids by row as pay has them). */
function reference(claims: readonly PaidClaim[], config: PaymentsConfig, digests: Uint8Array, paymentId: (id: string) => string): PaymentBatch {
  const b = new PaymentBatchBuilder({
    config,
    currency: 'USD',
    round: 1,
    paymentId,
    paymentIdOfRow: { id: (r) => `P1-${hex(digests, r)}`, bits: (r) => BigInt(`0x${hex(digests, r)}`), head: 'P1-', digests },
    bytes: true,
  });
  for (const c of claims) b.add(c);
  return b.finish();
}

/** The same files from the claims' records, in blocks of `block` bytes, each file hashed as it is made. */
function fromRecords(claims: readonly PaidClaim[], config: PaymentsConfig, digests: Uint8Array, paymentId: (id: string) => string, block = 1 << 12, duplicates?: boolean) {
  const asked: number[] = [];
  const ids: RecordIds = { head: 'P1-', digests, ensure: (row) => void asked.push(row) };
  const hashes = new Map<string, ReturnType<typeof createHash>>();
  const b = new RecordBatchBuilder({
    config,
    currency: 'USD',
    round: 1,
    ids,
    rows: (file) => {
      const h = createHash('sha256');
      hashes.set(file, h);
      return new ByteRows((bytes) => h.update(bytes));
    },
    ...(duplicates !== undefined ? { duplicates } : {}),
  });
  const w = new ClaimRecordWriter((bytes) => b.addBlock(bytes), block);
  for (const c of claims) w.add(c, c.row === undefined ? paymentId(c.claimId) : undefined);
  w.flush();
  const batch = b.finish();
  return { batch, asked, sha256: (name: string) => hashes.get(name)!.digest('hex') };
}

function expectSame(a: PaymentBatch, b: ReturnType<typeof fromRecords>): void {
  expect(b.batch.files.map((f) => [f.name, f.method, f.count, f.amount])).toEqual(a.files.map((f) => [f.name, f.method, f.count, f.amount]));
  for (const [i, f] of b.batch.files.entries()) {
    const want = utf8(a.files[i]!.text);
    expect(utf8(f.text).toString()).toBe(want.toString());
    expect(b.sha256(f.name)).toBe(createHash('sha256').update(want).digest('hex'));
  }
  expect(utf8(b.batch.payments).toString()).toBe(utf8(a.payments).toString());
  expect(utf8(b.batch.addresses).toString()).toBe(utf8(a.addresses).toString());
  expect(b.sha256('payments.csv')).toBe(createHash('sha256').update(utf8(a.payments)).digest('hex'));
  expect(b.sha256('addresses.csv')).toBe(createHash('sha256').update(utf8(a.addresses)).digest('hex'));
  expect(b.batch.controls).toEqual(a.controls);
  expect(b.batch.duplicateIds).toEqual(a.duplicateIds);
}

// Cells as a claims file may hold them: plain, with quotes and commas, formula characters, accents, emoji, lone surrogates.
const text = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 .'-]{0,12}$/),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', '=SUM(A1)', '+1', '-x', '@a', '\tTab', "'q", 'a,b', 'say "hi"', 'line\nbreak', 'Zoë Díaz', 'Łódź 𝒜', '\ud800x', 'x\udc00', ' padded '),
);
const mailing = fc.record({ name: text, address: text, address2: text, city: text, state: text, zip: text });
const election = fc.oneof(
  fc.record({ method: fc.constant('paypal' as const), recipient: fc.oneof(fc.emailAddress(), text), recipientKind: fc.constant('email' as const) }),
  fc.record({ method: fc.constant('venmo' as const), recipient: fc.oneof(fc.stringMatching(/^\d{10}$/), text), recipientKind: fc.constant('phone' as const) }),
  fc.record({
    method: fc.constant('ach' as const),
    routing: fc.stringMatching(/^\d{9}$/),
    account: fc.stringMatching(/^\d{4,17}$/),
    accountType: fc.constantFrom('checking' as const, 'savings' as const),
    name: text,
  }),
  mailing.map((m) => ({ method: 'check' as const, ...m })),
);
const claim = fc.record({
  claimId: fc.oneof(fc.stringMatching(/^[A-Z]{2}-\d{1,9}$/), text.filter((t) => t !== '')),
  election,
  mailing: fc.option(mailing, { nil: undefined }),
  checkMailing: fc.boolean(),
  byRow: fc.nat(9).map((n) => n > 0),
  cents: fc.oneof(fc.bigInt(1n, 9_999_999_999n), fc.bigInt(1n, 999n), fc.bigInt(2n ** 53n - 5n, 2n ** 62n), fc.bigInt(2n ** 63n - 5n, 2n ** 66n)),
});

function claimsOf(drawn: fc.Infer<typeof claim>[]): PaidClaim[] {
  return drawn.map((d, row) => {
    const amount = d.election.method === 'ach' && d.cents > 9_999_999_999n ? d.cents % 9_999_999_999n + 1n : d.cents;
    // A check's mailing address is its election's cells (as readElection gives it), or another.
    const m = d.election.method === 'check' && d.checkMailing ? { name: d.election.name, address: d.election.address, address2: d.election.address2, city: d.election.city, state: d.election.state, zip: d.election.zip } : d.mailing;
    const c: PaidClaim = { claimId: d.claimId, amount, election: d.election, ...(m !== undefined ? { mailing: m } : {}) };
    if (d.byRow) c.row = row;
    return c;
  });
}

describe('payment files from records of bytes', () => {
  it('are the bytes, controls and hashes PaymentBatchBuilder gives, whatever the cells', () => {
    const paymentId = (id: string): string => (id.length % 2 === 0 ? `P1-${createHash('sha256').update(id).digest('hex').slice(0, 16)}` : `X-${id}`);
    fc.assert(
      fc.property(fc.array(claim, { minLength: 1, maxLength: 60 }), fc.constantFrom(1 << 9, 1 << 12), fc.constantFrom(2, 3, 100_000), fc.boolean(), (drawn, block, entriesPerFile, defaultColumns) => {
        const claims = claimsOf(drawn);
        // The default template (its payee … zip written in one loop) or another order.
        const columns = defaultColumns ? {} : { columns: ['payee', 'amount', 'payment_id', 'check_number', 'claim_id', 'address', 'address2', 'city', 'state', 'zip', 'issue_date', 'account'] as CheckColumn[] };
        const config = paymentsConfig({ ach: { ...paymentsConfig().ach, entriesPerFile }, check: { startNumber: '000990', ...columns, account: 'FUND-1' } });
        const digests = digestsOf(claims.length);
        expectSame(reference(claims, config, digests, paymentId), fromRecords(claims, config, digests, paymentId, block));
      }),
      { numRuns: 300 },
    );
  });

  it('splits PayPal files at 5,000 rows and NACHA files at entriesPerFile, and finds two claims with one id', () => {
    const claims: PaidClaim[] = Array.from({ length: 12_345 }, (_, row) => {
      const claimId = `PX-${String(row).padStart(7, '0')}`;
      const amount = 100n + BigInt(row % 977);
      const m = { name: `Zoë ${row}`, address: `${row} Main St`, address2: '', city: 'Chicago', state: 'IL', zip: '60601' };
      if (row % 3 === 2) return { claimId, amount, row, election: { method: 'ach', routing: '021000021', account: String(10_000 + row), accountType: row % 2 ? 'savings' : 'checking', name: `José ${row}` }, mailing: m };
      if (row % 5 === 0) return { claimId, amount, row, election: { method: 'check', ...m }, mailing: m };
      return { claimId, amount, row, election: { method: row % 2 ? 'paypal' : 'venmo', recipient: `p${row}@example.com`, recipientKind: 'email' } };
    });
    const config = paymentsConfig({ ach: { ...paymentsConfig().ach, entriesPerFile: 1500 } });
    const digests = digestsOf(claims.length, new Set([7, 8, 9000]));
    const built = fromRecords(claims, config, digests, () => 'unused', 1 << 16);
    expectSame(reference(claims, config, digests, () => 'unused'), built);
    expect(built.batch.files.filter((f) => f.method === 'paypal').map((f) => f.count)).toEqual([5000, 1584]);
    expect(built.batch.files.filter((f) => f.method === 'ach').length).toBe(3);
    expect(built.batch.duplicateIds).toEqual([hex(digests, 6), hex(digests, 6), hex(digests, 8999)].sort());
    // Every claim's id was asked for by its row, in order.
    expect(built.asked).toEqual(claims.map((c) => c.row));
    // Left to the caller (the files' worker's reading thread finds them): the same files, no duplicates looked for.
    const unlooked = fromRecords(claims, config, digests, () => 'unused', 1 << 16, false);
    expect(unlooked.batch.duplicateIds).toEqual([]);
    expect(unlooked.batch.controls).toEqual(built.batch.controls);
    expect(unlooked.sha256('payments.csv')).toBe(createHash('sha256').update(utf8(reference(claims, config, digests, () => 'unused').payments)).digest('hex'));
  });

  it('writes and sums each amount as its own, amounts kept by their bits or not: a few repeated, halves alike, ones that share a slot', () => {
    // Amounts that differ in their high half only, or fall in one slot of the amounts kept, taken in turn.
    const amounts = [4391n, 4390n, 4391n + 2n ** 32n, 26343n, 4391n + 256n * 2048n, 4391n + 2n ** 40n, 1n, 2n ** 62n, 4391n];
    const config = paymentsConfig();
    const claims: PaidClaim[] = Array.from({ length: 3000 }, (_, row) => ({
      claimId: `AM-${row}`,
      amount: amounts[(row * 7) % amounts.length]!,
      row,
      election: row % 3 === 0 ? { method: 'check' as const, name: 'N', address: 'A', address2: '', city: 'C', state: 'IL', zip: '60601' } : { method: 'paypal' as const, recipient: `p${row}@example.com`, recipientKind: 'email' as const },
    }));
    const digests = digestsOf(3000);
    const paymentId = (id: string): string => `P1-${id}`;
    expectSame(reference(claims, config, digests, paymentId), fromRecords(claims, config, digests, paymentId));
  });

  it('refuses what PaymentBatchBuilder refuses: ACH or checks without their part of the plan', () => {
    const ach: PaidClaim = { claimId: 'A1', amount: 5n, row: 0, election: { method: 'ach', routing: '021000021', account: '12345', accountType: 'checking', name: 'A' } };
    const check: PaidClaim = { claimId: 'C1', amount: 5n, row: 1, election: { method: 'check', name: 'N', address: 'A', address2: '', city: '', state: '', zip: '' } };
    const digests = digestsOf(2);
    for (const [claims, config] of [[[ach], paymentsConfig({ ach: undefined })], [[ach, check], paymentsConfig({ check: undefined })]] as const) {
      const want = (() => {
        try {
          reference(claims, config, digests, () => '');
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      })();
      expect(want).toMatch(/payments\.(ach|check) section/);
      expect(() => fromRecords(claims, config, digests, () => '')).toThrow(want);
    }
  });

  it('refuses what PaymentBatchBuilder refuses: more NACHA files than the 36 file id modifiers of a day', () => {
    const claims: PaidClaim[] = Array.from({ length: 37 }, (_, row) => ({
      claimId: `A${row}`,
      amount: 5n,
      row,
      election: { method: 'ach', routing: '021000021', account: String(10_000 + row), accountType: 'checking', name: 'A' },
    }));
    const digests = digestsOf(claims.length);
    const want = 'more ACH payments than 36 NACHA files of 1, the file id modifiers of one day: raise payments.ach.entriesPerFile';
    const config = paymentsConfig({ ach: { ...paymentsConfig().ach, entriesPerFile: 1 } });
    expect(() => reference(claims, config, digests, () => '')).toThrow(want);
    expect(() => fromRecords(claims, config, digests, () => '')).toThrow(want);
    // 36 files are made.
    expect(fromRecords(claims.slice(0, 36), config, digests, () => '').batch.files.length).toBe(36);
  });

  it('makes room for the longest rows: every cell quoted, its quotes doubled, across many blocks', () => {
    const q = (i: number, n: number): string => `=${'"'.repeat(n)}${i}`;
    const claims: PaidClaim[] = Array.from({ length: 3000 }, (_, row) => {
      const m = { name: q(row, 7), address: q(row, 300), address2: q(row, 5), city: q(row, 1), state: q(row, 2), zip: q(row, 3) };
      const claimId = q(row, 200 + (row % 17));
      if (row % 3 === 0) return { claimId, amount: 1n + BigInt(row), row, election: { method: 'check', ...m }, mailing: m };
      if (row % 3 === 1) return { claimId, amount: 1n + BigInt(row), row, election: { method: 'ach', routing: '021000021', account: '1234', accountType: 'checking', name: q(row, 40) }, mailing: m };
      return { claimId, amount: 1n + BigInt(row), row, election: { method: 'paypal', recipient: q(row, 250), recipientKind: 'email' }, mailing: m };
    });
    const config = paymentsConfig({ check: { startNumber: '1', columns: ['claim_id', 'payee', 'address', 'claim_id', 'payment_id', 'address', 'amount'] } });
    const digests = digestsOf(claims.length);
    expectSame(reference(claims, config, digests, () => ''), fromRecords(claims, config, digests, () => '', 1 << 16));
  });

  it('packs records into new blocks when `send` gives none back (whatever it returns)', () => {
    const claims: PaidClaim[] = Array.from({ length: 50 }, (_, row) => ({ claimId: `C${row}`, amount: 100n + BigInt(row), row, election: { method: 'paypal', recipient: `p${row}@example.com`, recipientKind: 'email' } }));
    const blocks: Uint8Array[] = [];
    const w = new ClaimRecordWriter((b) => blocks.push(b.slice()), 256); // push returns a number, not a block
    for (const c of claims) w.add(c);
    w.flush();
    expect(blocks.length).toBeGreaterThan(5);
    const digests = digestsOf(claims.length);
    const b = new RecordBatchBuilder({ config: paymentsConfig(), currency: 'USD', round: 1, ids: { head: 'P1-', digests, ensure: () => undefined } });
    for (const block of blocks) b.addBlock(block);
    expect(utf8(b.finish().payments).toString()).toBe(utf8(reference(claims, paymentsConfig(), digests, () => '').payments).toString());
  });

  it('writes cells longer than 65,534 bytes whole', () => {
    const long = 'ü'.repeat(40_000);
    const claims: PaidClaim[] = [
      { claimId: 'L1', amount: 12n, row: 0, election: { method: 'check', name: long, address: 'A', address2: '', city: '', state: '', zip: '' }, mailing: { name: 'x', address: long, address2: '', city: '', state: '', zip: '' } },
    ];
    const digests = digestsOf(1);
    expectSame(reference(claims, paymentsConfig(), digests, () => ''), fromRecords(claims, paymentsConfig(), digests, () => ''));
  });

  it('masks destinations as maskLast4 does, short ones and ones with spaces or more than ASCII too', () => {
    // Also printable ASCII at both ends with anything between (spaces, accents, emoji, lone surrogates): only the ends are looked at.
    const middle = fc.string({ unit: fc.constantFrom(' ', '\t', 'é', '😀', '\u3000', '\ud800', 'a'), maxLength: 6 });
    const ends = fc.tuple(fc.stringMatching(/^[!-~]{1,2}$/), middle, fc.stringMatching(/^[!-~]{0,5}$/)).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[!-~]{0,12}$/), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 10 }), ends), (t) => {
        const src = new TextEncoder().encode(t);
        const b = new Uint8Array(src.length + 8);
        expect(new TextDecoder().decode(b.subarray(0, putMasked(b, 0, src, 0, src.length)))).toBe(new TextDecoder().decode(new TextEncoder().encode(maskLast4(t))));
      }),
      { numRuns: 2000 },
    );
  });

  it("writes NACHA's fields as nachaAlpha does, accented Latin-1 letters from their bytes", () => {
    const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 30 });
    const mixed = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), fc.constantFrom('é', 'ü', 'ß', 'µ', 'ÿ', '\u0301', 'Ł', '𝒜', '\t', '\ud800')), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(latin1, mixed, fc.string({ unit: 'binary', maxLength: 20 })), fc.constantFrom(15, 22), (t, width) => {
        const src = new TextEncoder().encode(t);
        const b = new Uint8Array(width);
        expect(putAlpha(b, 0, src, 0, src.length, width)).toBe(width);
        expect(Buffer.from(b).toString('latin1')).toBe(nachaAlpha(new TextDecoder().decode(src)).slice(0, width).padEnd(width, ' '));
      }),
      { numRuns: 2000 },
    );
    for (let c = 0xa0; c <= 0xff; c++) {
      const t = `a${String.fromCharCode(c)}b${String.fromCharCode(c)}`;
      const b = new Uint8Array(22);
      putAlpha(b, 0, new TextEncoder().encode(t), 0, new TextEncoder().encode(t).length, 22);
      expect(Buffer.from(b).toString('latin1')).toBe(nachaAlpha(t).padEnd(22, ' '));
    }
  });

  it('writes cents as formatMoney does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 1n, max: 100_000n }), fc.bigInt({ min: 1n, max: 1n << 70n })), (n) => {
        const b = new Uint8Array(32);
        expect(Buffer.from(b.subarray(0, putCents(b, 0, n.toString()))).toString()).toBe(formatMoney(n));
      }),
    );
  });
});
