/**
 * The addon's payRows called directly (src/native/pay_rows.c; the contract in
 * core/payments/record-batch-native.ts): every argument checked before anything is written (a
 * TypeError or RangeError, ints and outputs untouched), records it must leave to the builder left
 * with nothing committed (a truncated record, tags it does not know, a payment id not made, a sum
 * past 2^63, cents not above 0), and outputs with little room never written past their ends.
 */
import { describe, expect, it } from 'vitest';
import type { PaidClaim } from '../../src/core/payments/batch.js';
import { AMOUNT_TEXT, HAS_MAILING, ID_TEXT, MAILING_IS_CHECK } from '../../src/core/payments/claim-records.js';
import {
  B_CHECK_BASE,
  O_PAYMENTS,
  P_ACH_COUNT,
  P_ACH_IN_FILE,
  P_ACH_PER_FILE,
  P_CHECK_WIDTH,
  P_CONSTANTS,
  P_COUNTS,
  P_PAYPAL_PER_FILE,
  P_PAYPAL_ROWS,
  P_POS,
  P_READY,
  P_SEGMENTS,
  P_USED,
  PAY_BIGS,
  PAY_DONE,
  PAY_INTS,
  PAY_RECORD,
  PAY_ROOM,
  type PayRowRun,
} from '../../src/core/payments/record-batch-native.js';
import { addonPayRows, callDirect, directArgs, recordsOf, type DirectArgs } from './pay-rows-helpers.js';

const run = addonPayRows;
const describeNative = run !== undefined ? describe : describe.skip;
if (run === undefined) console.warn('pay-rows-contract.test.ts: no native addon with payRows in dist/native/ (no C compiler?): skipped');

const m = { name: 'Ann "A" Lee', address: '1 Main St, Apt 2', address2: '', city: 'Zürich', state: 'IL', zip: '=60601' };
const CLAIMS: PaidClaim[] = [
  { claimId: 'C-1', amount: 2783n, row: 0, election: { method: 'paypal', recipient: 'ann@example.com', recipientKind: 'email' }, mailing: m },
  { claimId: '+C2', amount: 5n, row: 1, election: { method: 'venmo', recipient: '@ann', recipientKind: 'handle' } },
  { claimId: 'C3', amount: 16704n, row: 2, election: { method: 'ach', routing: '021000021', account: '12345678901234567', accountType: 'savings', name: 'José Müller' }, mailing: m },
  { claimId: 'C,4', amount: 100n, row: 3, election: { method: 'check', ...m }, mailing: m },
  { claimId: 'C5', amount: 99n, row: 4, election: { method: 'check', ...m, name: 'Other' }, mailing: m },
];

/** A copy of what a call may change. */
const snapshot = (a: DirectArgs) => ({ ints: [...a.ints], big: [...a.big], outs: a.outs.map((o) => Buffer.from(o).toString('hex')) });

/** The call throws `kind` matching `message`, and leaves ints, big and the outputs as they were. */
function expectRefused(a: DirectArgs, kind: 'TypeError' | 'RangeError', message: RegExp, call: (r: PayRowRun) => unknown = (r) => callDirect(r, a)): void {
  const before = snapshot(a);
  const got = call(run!);
  expect(got).toMatch(new RegExp(`^${kind}: `));
  expect(got).toMatch(message);
  expect(snapshot(a)).toEqual(before);
}

const fresh = (claims: readonly PaidClaim[] = CLAIMS, s: Parameters<typeof directArgs>[2] = {}) => directArgs(recordsOf(claims), claims.length, s);

describeNative('payRows’s arguments', () => {
  it('writes the sample’s records when they are right (the arguments below are refused for one change each)', () => {
    const a = fresh();
    expect(callDirect(run!, a)).toBe(PAY_DONE);
    expect(a.ints[P_POS]).toBe(a.records.length);
    expect([...a.ints.subarray(P_COUNTS, P_COUNTS + 4)]).toEqual([1, 1, 1, 2]);
    expect(a.big[2]).toBe(16704n);
  });

  it('refuses an argument of the wrong type with a TypeError, and fewer than ten', () => {
    const names = ['records', 'digests', 'consts', 'the five outputs', 'the five outputs', 'the five outputs', 'the five outputs', 'the five outputs', 'ints', 'big'];
    const wrong = [new Uint16Array(4), [1, 2], 'text', new Int8Array(4), new Uint8ClampedArray(4), new Float64Array(1), new DataView(new ArrayBuffer(8)), undefined, new Uint32Array(PAY_INTS), new BigUint64Array(PAY_BIGS)];
    for (let k = 0; k < 10; k++) {
      const a = fresh();
      const args: unknown[] = [a.records, a.digests, a.consts, ...a.outs, a.ints, a.big];
      args[k] = wrong[k];
      expectRefused(a, 'TypeError', new RegExp(names[k]!), (r) => callDirect(((..._: unknown[]) => (r as (...x: unknown[]) => number)(...args)) as PayRowRun, a));
    }
    const a = fresh();
    expectRefused(a, 'TypeError', /10 arguments/, (r) => callDirect(((...x: unknown[]) => (r as (...y: unknown[]) => number)(...x.slice(0, 9))) as PayRowRun, a));
  });

  it('refuses numbers out of range with a RangeError, before anything is written', () => {
    const cases: Array<[string, RegExp, (a: DirectArgs) => DirectArgs]> = [
      ['ints short', /ints is too short/, (a) => ({ ...a, ints: a.ints.slice(0, PAY_INTS - 1) })],
      ['big short', /big is too short/, (a) => ({ ...a, big: a.big.slice(0, PAY_BIGS - 1) })],
      ['pos past the records', /first record/, (a) => ((a.ints[P_POS] = a.records.length + 1), a)],
      ['pos below 0', /first record/, (a) => ((a.ints[P_POS] = -1), a)],
      ...[0, 1, 2, 3, 4].map((o): [string, RegExp, (a: DirectArgs) => DirectArgs] => [`used past block ${o}`, /end must be within its block/, (a) => ((a.ints[P_USED + o] = a.outs[o]!.length + 1), a)]),
      ['used below 0', /end must be within/, (a) => ((a.ints[P_USED + 3] = -1), a)],
      ['a count below 0', /counts must not be negative/, (a) => ((a.ints[P_COUNTS + 3] = -1), a)],
      ['ready below 0', /out of range/, (a) => ((a.ints[P_READY] = -1), a)],
      ['paypal rows below 0', /out of range/, (a) => ((a.ints[P_PAYPAL_ROWS] = -1), a)],
      ['ach in file below 0', /out of range/, (a) => ((a.ints[P_ACH_IN_FILE] = -1), a)],
      ['ach count below 0', /out of range/, (a) => ((a.ints[P_ACH_COUNT] = -1), a)],
      ['entries per file below 0', /out of range/, (a) => ((a.ints[P_ACH_PER_FILE] = -1), a)],
      ['paypal per file 0', /out of range/, (a) => ((a.ints[P_PAYPAL_PER_FILE] = 0), a)],
      ['check width 16', /out of range/, (a) => ((a.ints[P_CHECK_WIDTH] = 16), a)],
      ['check width −2', /out of range/, (a) => ((a.ints[P_CHECK_WIDTH] = -2), a)],
      ['check start past 15 digits', /15 digits/, (a) => ((a.big[B_CHECK_BASE] = 10n ** 15n), a)],
      ['check start below 0', /15 digits/, (a) => ((a.big[B_CHECK_BASE] = -1n), a)],
      ['segment start past consts', /segment past consts/, (a) => ((a.ints[P_SEGMENTS] = a.consts.length + 1), a)],
      ['segment length past consts', /segment past consts/, (a) => ((a.ints[P_SEGMENTS + 2 * 15 + 1] = a.ints[P_SEGMENTS + 2 * 15 + 1]! + 1), a)],
      ['segment length below 0', /segment past consts/, (a) => ((a.ints[P_SEGMENTS + 1] = -1), a)],
      ['constants too small', /constants must bound/, (a) => ((a.ints[P_CONSTANTS] = a.ints[P_CONSTANTS]! - 1), a)],
      ['odfi past 8 bytes', /constants must bound/, (a) => ((a.ints[P_SEGMENTS + 2 * 4 + 1] = 9), (a.ints[P_CONSTANTS] = a.ints[P_CONSTANTS]! + 100), a)],
      ['check column 12', /check column/, (a) => ((a.consts[a.ints[P_SEGMENTS + 2 * 14]!] = 12), a)],
      ['check column 255', /check column/, (a) => ((a.consts[a.ints[P_SEGMENTS + 2 * 14]! + 3] = 255), a)],
    ];
    for (const [what, message, change] of cases) {
      const a = change(fresh());
      expect(() => expectRefused(a, 'RangeError', message), what).not.toThrow();
    }
    // The constants' bound at its least is taken.
    const least = fresh();
    expect(callDirect(run!, least)).toBe(PAY_DONE);
    // Check width −1 (no check section) is no error: the checks are left to the builder.
    const noChecks = fresh(CLAIMS, { checkWidth: -1 });
    expect(callDirect(run!, noChecks)).toBe(PAY_RECORD);
    expect(noChecks.ints[P_COUNTS + 3]).toBe(0);
  });
});

describeNative('payRows leaves to the builder, with nothing committed', () => {
  /** Runs on `records` of CLAIMS' first `n` claims plus one more, and expects it to stop at that one with the first n written. */
  function stopsAt(records: Uint8Array, first: number, rows = CLAIMS.length, s: Parameters<typeof directArgs>[2] = {}, setUp: (a: DirectArgs) => void = () => undefined): DirectArgs {
    const a = directArgs(records, rows, s);
    setUp(a);
    const why = callDirect(run!, a);
    expect(why).toBe(PAY_RECORD);
    expect(a.ints[P_POS]).toBe(first);
    return a;
  }
  const whole = recordsOf(CLAIMS);
  const firstOf = (k: number): number => recordsOf(CLAIMS.slice(0, k)).length;

  it('a truncated record: a cell whose length runs past the block’s end, or a header cut short', () => {
    for (let cut = 1; cut < whole.length - firstOf(4); cut += 3) {
      const a = stopsAt(whole.subarray(0, whole.length - cut), firstOf(4));
      expect(a.ints[P_COUNTS + 3]).toBe(1);
    }
    // Only the truncated record: nothing written, ints as they were.
    const one = recordsOf(CLAIMS.slice(0, 1));
    for (let end = 1; end < one.length; end++) {
      const a = directArgs(one.subarray(0, end), 1);
      const before = snapshot(a);
      expect(callDirect(run!, a)).toBe(PAY_RECORD);
      expect(snapshot(a)).toEqual(before);
    }
    // A long length (0xffff and 4 bytes) past the end.
    const long = Uint8Array.from([...one.subarray(0, 13), 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x41]);
    const a = directArgs(long, 1);
    const before = snapshot(a);
    expect(callDirect(run!, a)).toBe(PAY_RECORD);
    expect(snapshot(a)).toEqual(before);
  });

  it('tags with a text id, a text amount, an unknown bit or method, or a check’s mailing on another method', () => {
    const at = firstOf(2);
    const tag = whole[at]!;
    for (const t of [tag | ID_TEXT, tag | AMOUNT_TEXT, tag | 128, (tag & ~7) | 5, (tag & ~7) | 7, 2 | MAILING_IS_CHECK, 2 | HAS_MAILING | MAILING_IS_CHECK, 4 | MAILING_IS_CHECK]) {
      const records = whole.slice();
      records[at] = t;
      const a = stopsAt(records, at);
      expect([...a.ints.subarray(P_COUNTS, P_COUNTS + 4)]).toEqual([1, 1, 0, 0]);
      expect(a.big[2]).toBe(0n);
    }
  });

  it('a row whose payment id is not made yet (row ≥ ready), or past the digests', () => {
    for (let ready = 0; ready < CLAIMS.length; ready++) stopsAt(whole, firstOf(ready), CLAIMS.length, {}, (a) => void (a.ints[P_READY] = ready));
    // ready past the digests given: the digests' end stops it.
    const a = stopsAt(whole, firstOf(3), CLAIMS.length, {}, (x) => {
      x.ints[P_READY] = 1000;
      x.digests = x.digests.slice(0, 3 * 8 + 7);
    });
    expect(a.ints[P_COUNTS + 2]).toBe(1);
  });

  it('an amount that would carry its sum past 2^63 − 1: stopped before it, the sum not wrapped', () => {
    const max = 2n ** 63n - 1n;
    for (const [k, sum] of [[0, 0], [1, 1], [2, 2], [3, 4]] as const) {
      const records = recordsOf(CLAIMS.slice(k, k + 1).map((c) => ({ ...c, row: 0 })));
      const cents = CLAIMS[k]!.amount;
      const over = directArgs(records, 1);
      over.big[sum] = max - cents + 1n;
      const before = snapshot(over);
      expect(callDirect(run!, over)).toBe(PAY_RECORD);
      expect(snapshot(over)).toEqual(before);
      const fits = directArgs(records, 1);
      fits.big[sum] = max - cents;
      expect(callDirect(run!, fits)).toBe(PAY_DONE);
      expect(fits.big[sum]).toBe(max);
    }
  });

  it('cents not above 0', () => {
    for (const amount of [0n, -1n, -(2n ** 63n)]) {
      const claims = CLAIMS.map((c, i) => (i === 2 ? { ...c, amount } : c));
      stopsAt(recordsOf(claims), firstOf(2));
    }
  });

  it('NACHA entries it cannot write: a full file, no ach section, a routing number not of 9 bytes, an account past 17, 10^10 cents', () => {
    const variants: Array<[Parameters<typeof directArgs>[2], (c: PaidClaim) => PaidClaim]> = [
      [{ entriesPerFile: 0 }, (c) => c],
      [{}, (c) => ({ ...c, election: { ...c.election, routing: '02100002' } as PaidClaim['election'] })],
      [{}, (c) => ({ ...c, election: { ...c.election, account: '123456789012345678' } as PaidClaim['election'] })],
      [{}, (c) => ({ ...c, amount: 10_000_000_000n })],
    ];
    for (const [s, change] of variants) stopsAt(recordsOf(CLAIMS.map((c, i) => (i === 2 ? change(c) : c))), firstOf(2), CLAIMS.length, s);
    stopsAt(whole, firstOf(2), CLAIMS.length, { entriesPerFile: 3 }, (a) => void (a.ints[P_ACH_IN_FILE] = 3));
    stopsAt(whole, 0, CLAIMS.length, { paypalPerFile: 2 }, (a) => void (a.ints[P_PAYPAL_ROWS] = 2));
  });
});

describeNative('payRows on outputs with little room', () => {
  it('stops with PAY_ROOM, writes no byte past an output’s end, and what it wrote is the start of what it writes with room', () => {
    const claims = [...CLAIMS, ...CLAIMS.map((c, i) => ({ ...c, claimId: `${c.claimId}${'"'.repeat(i * 7)}`, row: CLAIMS.length + i }))];
    const full = directArgs(recordsOf(claims), claims.length);
    expect(callDirect(run!, full)).toBe(PAY_DONE);
    const written = full.outs.map((o, k) => o.subarray(0, full.ints[P_USED + k]!));
    let rooms = 0;
    for (let o = 0; o < 5; o++) {
      for (let size = 0; size <= written[o]!.length + 700; size += 1 + (size % 13)) {
        const a = directArgs(full.records, claims.length);
        const canary = new Uint8Array(size + 256).fill(0xa5);
        a.outs[o] = canary.subarray(0, size);
        const why = callDirect(run!, a);
        expect(canary.subarray(size).every((v) => v === 0xa5), `output ${o} of ${size} bytes written past its end`).toBe(true);
        expect(why === PAY_ROOM || why === PAY_DONE).toBe(true);
        if (why === PAY_ROOM) rooms++;
        else expect(a.ints[P_POS]).toBe(full.records.length);
        for (let k = 0; k < 5; k++) {
          const used = a.ints[P_USED + k]!;
          expect(used).toBeLessThanOrEqual(a.outs[k]!.length);
          expect(Buffer.from(a.outs[k]!.subarray(0, used)).equals(Buffer.from(written[k]!.subarray(0, used)))).toBe(true);
        }
        // payments.csv has a row for each record written.
        expect(a.outs[O_PAYMENTS]!.subarray(0, a.ints[P_USED + O_PAYMENTS]!).filter((c) => c === 0x0a).length).toBe(a.ints.subarray(P_COUNTS, P_COUNTS + 4).reduce((x, y) => x + y, 0));
      }
    }
    expect(rooms).toBeGreaterThan(50);
  });
});
