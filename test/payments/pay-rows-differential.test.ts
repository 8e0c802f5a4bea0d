/**
 * RecordBatchBuilder with the addon's payRows (src/native/pay_rows.c) against the builder alone,
 * its own rows being the reference: for random paid claims of every method, random plan sections,
 * blocks of records, PayPal file sizes and payment ids made so far (readyRows), the files,
 * payments.csv, addresses.csv and controls are byte for byte the same; the addon wrote most of the
 * records (counted through a wrapper, so that this cannot pass by never using it); and given
 * outputs with little room (views of the blocks cut short, canary bytes after them) it stops for
 * room often and writes no byte past a view's end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PaidClaim } from '../../src/core/payments/batch.js';
import { BlockPool, ByteRows } from '../../src/core/payments/byte-rows.js';
import { ClaimRecordWriter } from '../../src/core/payments/claim-records.js';
import { RecordBatchBuilder } from '../../src/core/payments/record-batch.js';
import { CHECK_COLUMNS } from '../../src/core/payments/check-columns.js';
import type { PaymentsConfig } from '../../src/core/payments/plan-section.js';
import { PAY_ROOM, P_COUNTS, P_USED, type PayRowRun } from '../../src/core/payments/record-batch-native.js';
import { paymentsConfig } from './helpers.js';
import { addonPayRows, buildFiles, type BuildSettings } from './pay-rows-helpers.js';

type Drawn<A> = A extends fc.Arbitrary<infer T> ? T : never;

const describeNative = addonPayRows !== undefined ? describe : describe.skip;
if (addonPayRows === undefined) console.warn('pay-rows-differential.test.ts: no native addon with payRows in dist/native/ (no C compiler?): skipped');

// Cells as a claims file may hold them: plain, quoted, formula starts, CR/LF, Latin-1 letters and other scripts, empty.
const special = ['', '=SUM(A1)', '+1', '-x', '@a', '\tTab', '\rCR', "'q", 'a,b', 'say "hi"', 'line\nbreak', 'cr\r\nlf', 'Zoë Díaz', 'Straße Öl ß', 'µ¿×÷ÿ', 'Łódź 𝒜', '李小龍', 'e\u0301', ' padded ', '"'];
const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 24 });
const text = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9 .'-]{0,16}$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: latin1 },
  { weight: 2, arbitrary: fc.constantFrom(...special) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...special), fc.stringMatching(/^[A-Za-z]{0,20}$/)).map(([a, b]) => a + b) },
);
// Destinations: plain, or with spaces or more than ASCII at their ends (those the addon leaves to the builder).
const destination = fc.oneof(
  { weight: 4, arbitrary: fc.emailAddress() },
  { weight: 2, arbitrary: fc.stringMatching(/^[!-~]{1,12}$/) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(' ', 'ü', '\t', '', '李'), fc.stringMatching(/^[!-~]{0,8}$/), fc.constantFrom(' ', 'é', '', '😀')).map((p) => p.join('')) },
  { weight: 1, arbitrary: text },
);
const mailing = fc.record({ name: text, address: text, address2: text, city: text, state: text, zip: text });
const election = fc.oneof(
  fc.record({ method: fc.constant('paypal' as const), recipient: destination, recipientKind: fc.constant('email' as const) }),
  fc.record({ method: fc.constant('venmo' as const), recipient: destination, recipientKind: fc.constant('handle' as const) }),
  fc.record({
    method: fc.constant('ach' as const),
    routing: fc.stringMatching(/^\d{9}$/),
    account: fc.oneof(fc.stringMatching(/^\d{4,17}$/), fc.stringMatching(/^[0-9A-Z-]{17}$/), fc.stringMatching(/^\d{1,3}$/)),
    accountType: fc.constantFrom('checking' as const, 'savings' as const),
    name: text,
  }),
  mailing.map((m) => ({ method: 'check' as const, ...m })),
);
const claim = fc.record({
  claimId: fc.oneof(fc.stringMatching(/^[A-Z]{2}-\d{1,9}$/), text),
  election,
  mailing: fc.option(mailing, { nil: undefined }),
  checkMailing: fc.boolean(),
  byRow: fc.nat(19).map((n) => n > 0),
  cents: fc.oneof({ weight: 6, arbitrary: fc.bigInt(1n, 9_999_999_999n) }, { weight: 2, arbitrary: fc.bigInt(1n, 999n) }, { weight: 1, arbitrary: fc.bigInt(2n ** 62n - 5n, 2n ** 63n - 1n) }, { weight: 1, arbitrary: fc.bigInt(2n ** 63n, 2n ** 66n) }),
});

function claimsOf(drawn: Drawn<typeof claim>[]): PaidClaim[] {
  return drawn.map((d, row) => {
    // NACHA's amount field holds 10 digits.
    const amount = d.election.method === 'ach' && d.cents > 9_999_999_999n ? (d.cents % 9_999_999_999n) + 1n : d.cents;
    const e = d.election;
    // A check's mailing address is its election's cells (sent once), or another.
    const m = e.method === 'check' && d.checkMailing ? { name: e.name, address: e.address, address2: e.address2, city: e.city, state: e.state, zip: e.zip } : d.mailing;
    return { claimId: d.claimId, amount, election: e, ...(m !== undefined ? { mailing: m } : {}), ...(d.byRow ? { row } : {}) };
  });
}

const setup = fc.record({
  entriesPerFile: fc.constantFrom(1, 2, 3, 5, 100_000),
  columns: fc.option(fc.shuffledSubarray([...CHECK_COLUMNS], { minLength: 1 }), { nil: undefined }),
  account: fc.option(fc.constantFrom('FUND-1', '12345678901234567'), { nil: undefined }),
  // Leading zeros; 15 digits (the addon's most); 16 (left to the builder: beyond the plan's 12, the builder's own rule).
  startNumber: fc.constantFrom('000990', '0', '1', '99999', '000000000001', '999999999999', '123456789012345', '999999999999999', '0000000000000001'),
  header: fc.boolean(),
  dropAch: fc.boolean(),
  dropCheck: fc.boolean(),
  note: fc.constantFrom('', 'In re settlement payment', 'Say "hi", ok', 'Zoë — naïve 李', '=cmd', '"'),
  paypalCurrency: fc.constantFrom(undefined, 'EUR', 'CAD'),
  currency: fc.constantFrom('USD', 'EUR'),
  block: fc.constantFrom(1 << 9, 1 << 10, 1 << 12, 1 << 16),
  paypalRowsPerFile: fc.constantFrom(undefined, 1, 2, 3, 7, 5000),
  // readyRows: all, or from `base` rows on, `step` more at each call.
  ready: fc.option(fc.tuple(fc.nat(40), fc.nat(3)), { nil: undefined }),
});

function settingsOf(s: Drawn<typeof setup>, claims: readonly PaidClaim[]): BuildSettings {
  const base = paymentsConfig({
    ach: { ...paymentsConfig().ach, entriesPerFile: s.entriesPerFile },
    paypal: { note: s.note, ...(s.paypalCurrency !== undefined ? { currency: s.paypalCurrency } : {}) },
    check: { startNumber: '1', ...(s.columns !== undefined ? { columns: s.columns } : {}), ...(s.account !== undefined ? { account: s.account } : {}), header: s.header },
  });
  const { ach, check, ...rest } = base;
  // The builder's own rows take any start; the plan's schema allows 12 digits at most.
  const config: PaymentsConfig = { ...rest, check: { ...check!, startNumber: s.startNumber } };
  // No ach or check section, where the claims need none (else the builder refuses the run).
  const needs = (m: string): boolean => claims.some((c) => c.election.method === m);
  if (!(s.dropAch && !needs('ach'))) config.ach = ach;
  if (s.dropCheck && !needs('check')) delete config.check;
  const ready = s.ready;
  return {
    config,
    currency: s.currency,
    block: s.block,
    ...(s.paypalRowsPerFile !== undefined ? { paypalRowsPerFile: s.paypalRowsPerFile } : {}),
    ...(ready !== undefined ? { ready: (k: number, n: number) => Math.min(n, ready[0] + ready[1] * k) } : {}),
  };
}

/** The builder's result, or what it threw. */
function outcome(claims: readonly PaidClaim[], run: PayRowRun | undefined, s: BuildSettings): string[] | string {
  try {
    return buildFiles(claims, run, s);
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

/** payRows counted: records it wrote, calls, and those that stopped for room. */
function counted(run: PayRowRun) {
  const tally = { records: 0, calls: 0, room: 0 };
  const wrapped: PayRowRun = (records, digests, consts, paypal, ach, checks, payments, addresses, ints, big) => {
    const before = ints.subarray(P_COUNTS, P_COUNTS + 4).reduce((a, b) => a + b, 0);
    const why = run(records, digests, consts, paypal, ach, checks, payments, addresses, ints, big);
    tally.records += ints.subarray(P_COUNTS, P_COUNTS + 4).reduce((a, b) => a + b, 0) - before;
    tally.calls++;
    if (why === PAY_ROOM) tally.room++;
    return why;
  };
  return { tally, wrapped };
}

/**
 * payRows given each block cut short to a little room past its end (drawn by `seed`), with 64
 * canary bytes after the cut (in the block's free room, which the builder writes over later):
 * it throws if any canary changed.
 */
function cramped(run: PayRowRun, seed: number): PayRowRun {
  let x = seed | 1;
  const rand = (n: number): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  return (records, digests, consts, ...rest) => {
    const ints = rest[5] as Int32Array;
    const big = rest[6] as BigInt64Array;
    const blocks = rest.slice(0, 5) as Uint8Array[];
    const views = blocks.map((b, o) => {
      const end = Math.min(b.length, ints[P_USED + o]! + (rand(4) === 0 ? b.length : rand(600)));
      b.fill(0xa5, end, Math.min(b.length, end + 64));
      return b.subarray(0, end);
    });
    const why = run(records, digests, consts, views[0]!, views[1]!, views[2]!, views[3]!, views[4]!, ints, big);
    blocks.forEach((b, o) => {
      const end = views[o]!.length;
      if (!b.subarray(end, Math.min(b.length, end + 64)).every((v) => v === 0xa5)) throw new Error(`payRows wrote past the end of output ${o}`);
    });
    return why;
  };
}

describeNative('the payment files with the addon’s payRows', () => {
  const native = addonPayRows!;

  it('are byte for byte the builder’s own, whatever the claims, plan, blocks and payment ids made; the addon writing most records', () => {
    let records = 0;
    const all = { records: 0, calls: 0, room: 0 };
    fc.assert(
      fc.property(fc.array(claim, { minLength: 10, maxLength: 60 }), setup, (drawn, s) => {
        const claims = claimsOf(drawn);
        const settings = settingsOf(s, claims);
        const { tally, wrapped } = counted(native);
        const want = outcome(claims, undefined, settings);
        expect(outcome(claims, wrapped, settings)).toEqual(want);
        all.records += tally.records;
        all.calls += tally.calls;
        records += claims.length;
      }),
      { numRuns: 600 },
    );
    expect(all.calls).toBeGreaterThan(600);
    // Many claims here are ones the addon leaves to the builder (text ids, amounts past 64 bits, cells it does not take): still a good share.
    expect(all.records).toBeGreaterThan(records / 6);
  });

  it('writes nearly every plain record itself: claims it takes, all payment ids made', () => {
    const plainClaim = fc.record({
      claimId: fc.stringMatching(/^[A-Z]{2}-\d{1,9}$/),
      election: election.filter((e) => e.method === 'check' || e.method === 'ach' || /^[!-~]+$/.test(e.recipient)),
      cents: fc.bigInt(1n, 9_999_999_999n),
      withMailing: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(plainClaim, { minLength: 50, maxLength: 200 }), fc.constantFrom(1 << 10, 1 << 16), (drawn, block) => {
        const claims: PaidClaim[] = drawn.map((d, row) => ({ claimId: d.claimId, amount: d.cents, row, election: d.election, ...(d.withMailing ? { mailing: { name: 'Ann', address: '1 Main', address2: '', city: 'Chicago', state: 'IL', zip: '60601' } } : {}) }));
        // A NACHA name of Latin-1 letters and ASCII (no other script, no control character) the addon writes.
        for (const c of claims) if (c.election.method === 'ach') c.election = { ...c.election, name: 'José Müller' };
        const settings: BuildSettings = { config: paymentsConfig(), block };
        const { tally, wrapped } = counted(native);
        expect(outcome(claims, wrapped, settings)).toEqual(outcome(claims, undefined, settings));
        // The builder makes each block's first record of a run the addon stopped for room, and the file's first rows.
        expect(tally.records).toBeGreaterThan(claims.length * 0.8);
      }),
      { numRuns: 30 },
    );
  });

  it('is not called when the builder looks for payment ids made twice itself (duplicates not false): it collects no ids', () => {
    const claims: PaidClaim[] = Array.from({ length: 50 }, (_, row) => ({ claimId: `C${row}`, amount: 100n, row, election: { method: 'paypal', recipient: `p${row}@example.com`, recipientKind: 'email' } }));
    const { tally, wrapped } = counted(native);
    const b = new RecordBatchBuilder({ config: paymentsConfig(), currency: 'USD', round: 1, ids: { head: 'P1-', digests: new Uint8Array(400).fill(7), ensure: () => undefined, readyRows: () => 50 }, native: wrapped });
    const w = new ClaimRecordWriter((block) => b.addBlock(block.slice()));
    for (const c of claims) w.add(c);
    w.flush();
    // Every claim has the same id here: its 49 repeats found, as only the builder's own rows find them.
    expect(b.finish().duplicateIds.length).toBe(49);
    expect(tally.calls).toBe(0);
  });

  it('are the same for cells past 65,534 bytes, check numbers that grow past their start’s 15 digits, sums past 2^63 cents', () => {
    const long = (c: string, n: number): string => c.repeat(n);
    const big = { name: long('ü', 40_000), address: `=${long('"', 70_000)}`, address2: '', city: 'C', state: 'IL', zip: '60601' };
    const small = { name: 'Ann', address: '1 Main', address2: '', city: 'C', state: 'IL', zip: '60601' };
    // Every 5th claim with long cells, every 4th with an amount that carries a run's sum past 2^63.
    const claims: PaidClaim[] = Array.from({ length: 120 }, (_, row) => {
      const amount = row % 4 === 3 ? 2n ** 62n + BigInt(row) : 100n + BigInt(row);
      const longCells = row % 5 === 0;
      const claimId = longCells ? long('x', 70_000 + row) : `L-${row}`;
      const m = longCells ? big : small;
      if (row % 3 === 0) return { claimId, amount, row, election: { method: 'check', ...m }, ...(row % 2 === 0 ? { mailing: m } : {}) };
      if (row % 3 === 1) return { claimId, amount, row, election: { method: 'paypal', recipient: longCells ? `${long('a', 66_000)}@x.com` : `p${row}@x.com`, recipientKind: 'email' }, mailing: m };
      return { claimId, amount: 5n + BigInt(row), row, election: { method: 'ach', routing: '021000021', account: '12345678901234567', accountType: 'checking', name: long('Ö', 30) } };
    });
    for (const startNumber of ['999999999999995', '000000000000001']) {
      const config: PaymentsConfig = { ...paymentsConfig(), check: { startNumber, columns: [...CHECK_COLUMNS], header: true, account: 'FUND-1' } };
      const { tally, wrapped } = counted(native);
      const settings: BuildSettings = { config, block: 1 << 12 };
      const want = outcome(claims, undefined, settings);
      expect(typeof want).not.toBe('string');
      expect(outcome(claims, wrapped, settings)).toEqual(want);
      expect(tally.records).toBeGreaterThan(20);
    }
  });

  it('are the same written as the files’ worker writes them: blocks of a pool, sealed, handed over and taken again', () => {
    // Past a 1 MiB block in payments.csv, and PayPal and NACHA files begun again.
    const claims = Array.from({ length: 15_000 }, (_, row): PaidClaim => {
      const claimId = `PX-${String(row).padStart(7, '0')}`;
      const amount = 100n + BigInt(row % 977);
      const m = { name: `Zoë ${row}`, address: `${row} Main St, "B"`, address2: '', city: 'Chicago', state: 'IL', zip: '60601' };
      if (row % 3 === 2) return { claimId, amount, row, election: { method: 'ach', routing: '021000021', account: String(10_000 + row), accountType: row % 2 ? 'savings' : 'checking', name: `José ${row}` }, mailing: m };
      if (row % 5 === 0) return { claimId, amount, row, election: { method: 'check', ...m }, mailing: m };
      return { claimId, amount, row, election: { method: row % 2 ? 'paypal' : 'venmo', recipient: `p${row}@example.com`, recipientKind: 'email' } as PaidClaim['election'] };
    });
    const config = paymentsConfig({ ach: { ...paymentsConfig().ach, entriesPerFile: 1500 } });
    const written = (run: PayRowRun | undefined): Map<string, string> => {
      const pool = new BlockPool();
      const files = new Map<string, string[]>();
      const rows = (file: string): ByteRows => {
        const parts: string[] = [];
        files.set(file, parts);
        return new ByteRows((block) => {
          parts.push(Buffer.from(block).toString('latin1'));
          pool.give(block);
        }, pool);
      };
      const result = buildFiles(claims, run, { config, block: 1 << 16, paypalRowsPerFile: 3000, rows });
      return new Map<string, string>([...[...files].map(([name, parts]): [string, string] => [name, parts.join('')]), ['(controls)', result.at(-1)!]]);
    };
    const { tally, wrapped } = counted(native);
    const want = written(undefined);
    const got = written(wrapped);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [name, bytes] of want) expect(got.get(name) === bytes, name).toBe(true);
    expect(want.get('payments.csv')!.length).toBeGreaterThan(1 << 20);
    expect(tally.records).toBeGreaterThan(claims.length * 0.9);
    expect(tally.room).toBeGreaterThan(0);
  });

  it('are the same with outputs of little room: stopped for room often, no byte past a block’s end', () => {
    let room = 0;
    fc.assert(
      fc.property(fc.array(claim, { minLength: 1, maxLength: 60 }), setup, fc.integer(), (drawn, s, seed) => {
        const claims = claimsOf(drawn);
        const settings = settingsOf(s, claims);
        const { tally, wrapped } = counted(cramped(native, seed));
        expect(outcome(claims, wrapped, settings)).toEqual(outcome(claims, undefined, settings));
        room += tally.room;
      }),
      { numRuns: 400 },
    );
    expect(room).toBeGreaterThan(200);
  });
});
