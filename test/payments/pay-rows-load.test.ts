/**
 * The load check of the addon's payRows (io/payments/pay-rows-native.ts payRowsRight over
 * sampleClaims): the real one is taken, and wrong ones, made here as wrappers around it that
 * change one thing (a byte of a row, a sum, a count, a masked digit shown, a check number, a file
 * not begun again, a guard left out), are refused. An addon that has payRows but is refused is a
 * failure, not a skip; PAYOUT_NATIVE=0 leaves it unused.
 */
import { describe, expect, it } from 'vitest';
import {
  B_CHECK_BASE,
  B_ROUTING,
  O_ADDRESSES,
  O_CHECKS,
  O_PAYMENTS,
  P_ACH_COUNT,
  P_ACH_IN_FILE,
  P_ACH_PER_FILE,
  P_COUNTS,
  P_PAYPAL_PER_FILE,
  P_PAYPAL_ROWS,
  P_POS,
  P_USED,
  type PayRowRun,
} from '../../src/core/payments/record-batch-native.js';
import { REFUSED_MARK, loadPayRows, payRowsNative, payRowsRight, sampleClaims } from '../../src/io/payments/pay-rows-native.js';
import { nativeAddonPath } from '../../src/io/sha256-batch.js';
import { copyFileSync } from 'node:fs';
import { tempDir } from '../helpers/tmp.js';
import { withNative } from '../helpers/csv-paths.js';
import { addonPayRows } from './pay-rows-helpers.js';

const dir = tempDir();

type Args = Parameters<PayRowRun>;
const OUT = 3; // the first output's argument
const INTS = 8;
const BIG = 9;

/** A wrapper around `run` that may change the arguments before the call (`before`) and what it did (`after`). */
function mutant(run: PayRowRun, after: (a: Args, before: { ints: Int32Array; big: BigInt64Array }) => void, before?: (a: Args) => () => void): PayRowRun {
  return (...a: Args) => {
    const undo = before?.(a);
    const was = { ints: a[INTS].slice(), big: a[BIG].slice() };
    const why = run(...a);
    undo?.();
    after(a, was);
    return why;
  };
}

/** Bytes output `o` gained in the call. */
const gained = (a: Args, was: { ints: Int32Array }, o: number): [number, number] => [was.ints[P_USED + o]!, a[INTS][P_USED + o]!];

/** Output `o`'s first byte `pick` finds among those it gained, taken out (the rest moved down a byte). */
function dropByte(a: Args, was: { ints: Int32Array }, o: number, pick: (b: Uint8Array, i: number) => boolean): void {
  const [from, to] = gained(a, was, o);
  const b = a[OUT + o] as Uint8Array;
  for (let i = from; i < to; i++) {
    if (pick(b, i)) {
      b.copyWithin(i, i + 1, to);
      a[INTS][P_USED + o] = to - 1;
      return;
    }
  }
}

/** A setting changed for the call only (the builder's own copy is put back after it). */
const setting = (index: number, value: number) => (a: Args) => {
  const old = a[INTS][index]!;
  a[INTS][index] = value;
  return () => void (a[INTS][index] = old);
};

function mutants(real: PayRowRun): Array<[string, PayRowRun]> {
  const list: Array<[string, PayRowRun]> = [
    [
      'one byte of a payments.csv row changed',
      mutant(real, (a, was) => {
        const [from, to] = gained(a, was, O_PAYMENTS);
        const b = a[OUT + O_PAYMENTS] as Uint8Array;
        if (to - from > 30) b[from + 20] = b[from + 20]! ^ 1;
      }),
    ],
    [
      'one byte of a check row changed',
      mutant(real, (a, was) => {
        const [from, to] = gained(a, was, O_CHECKS);
        const b = a[OUT + O_CHECKS] as Uint8Array;
        if (to > from) b[to - 2] = b[to - 2]! ^ 4;
      }),
    ],
    ['the routing prefixes’ sum off by one', mutant(real, (a) => void (a[BIG][B_ROUTING] !== 0n && (a[BIG][B_ROUTING] = a[BIG][B_ROUTING]! + 1n)))],
    ['the check number off by one', mutant(real, () => undefined, (a) => {
      const old = a[BIG][B_CHECK_BASE]!;
      a[BIG][B_CHECK_BASE] = old + 1n;
      return () => void (a[BIG][B_CHECK_BASE] = old);
    })],
    ['the NACHA files’ rollover ignored (entries past entriesPerFile)', mutant(real, () => undefined, setting(P_ACH_PER_FILE, 1000))],
    ['the PayPal files’ rollover ignored', mutant(real, () => undefined, setting(P_PAYPAL_PER_FILE, 100_000))],
    ['the records written not skipped (the position not moved on)', mutant(real, (a, was) => void (a[INTS][P_POS] = was.ints[P_POS]!))],
    [
      'a masked digit shown',
      mutant(real, (a, was) => {
        const [from, to] = gained(a, was, O_PAYMENTS);
        const b = a[OUT + O_PAYMENTS] as Uint8Array;
        for (let i = from; i + 4 < to; i++) {
          if (b[i] === 0x2a && b[i + 1] === 0x2a && b[i + 2] === 0x2a && b[i + 3] === 0x2a) {
            b[i + 3] = 0x37;
            return;
          }
        }
      }),
    ],
    ['a formula guard left out (addresses.csv)', mutant(real, (a, was) => dropByte(a, was, O_ADDRESSES, (b, i) => b[i] === 0x27 && b[i - 1] === 0x2c))],
    ['a quote left out (payments.csv)', mutant(real, (a, was) => dropByte(a, was, O_PAYMENTS, (b, i) => b[i] === 0x22 && b[i - 1] === 0x2c))],
    ['a line break left out (addresses.csv)', mutant(real, (a, was) => dropByte(a, was, O_ADDRESSES, (b, i) => b[i] === 0x0a))],
  ];
  for (const [s, name] of [[0, 'PayPal'], [1, 'Venmo'], [2, 'ACH'], [4, 'check']] as const) {
    list.push([`the ${name} sum dropped`, mutant(real, (a) => void (a[BIG][s] = 0n))]);
  }
  for (const [m, name] of [[0, 'PayPal'], [1, 'Venmo'], [2, 'ACH'], [3, 'check']] as const) {
    list.push([`the ${name} count not moved on`, mutant(real, (a, was) => void (a[INTS][P_COUNTS + m] = was.ints[P_COUNTS + m]!))]);
  }
  for (const [k, name] of [[P_PAYPAL_ROWS, 'PayPal file’s rows'], [P_ACH_IN_FILE, 'NACHA file’s entries'], [P_ACH_COUNT, 'trace numbers']] as const) {
    list.push([`the ${name} not moved on`, mutant(real, (a, was) => void (a[INTS][k] = was.ints[k]!))]);
  }
  return list;
}

describe('the load check of payRows', () => {
  it('takes the addon’s payRows when it is built, and leaves it unused with PAYOUT_NATIVE=0', async () => {
    if (addonPayRows === undefined) {
      if (process.env.CI) throw new Error('dist/native/payout_sha256.node has no payRows: npm run build did not build the addon');
      console.warn('pay-rows-load.test.ts: no native addon with payRows in dist/native/ (no C compiler?)');
      await withNative('0', () => expect(payRowsNative()).toBeUndefined());
      return;
    }
    // An addon that has payRows which the load check refuses writes wrong: a failure.
    expect(payRowsRight(addonPayRows), 'the addon’s payRows does not pass payRowsRight').toBe(true);
    await withNative('1', () => expect(payRowsNative(), 'payRowsNative() gave no payRows though the addon has one').toBeDefined());
    await withNative('0', () => expect(payRowsNative()).toBeUndefined());
  });

  it('leaves unused the payRows of an addon the build marked refused (its check in a process of its own failed or crashed)', () => {
    const path = nativeAddonPath();
    if (path === undefined || addonPayRows === undefined) return;
    const copy = dir.path('payout_sha256.node');
    copyFileSync(path, copy);
    expect(loadPayRows(copy)).toBeDefined();
    dir.write(REFUSED_MARK, "payRows refused by payout's load check\n");
    expect(loadPayRows(copy)).toBeUndefined();
  });

  it('refuses each wrong payRows, the real one wrapped as it is taken', () => {
    if (addonPayRows === undefined) return;
    const real = addonPayRows;
    expect(payRowsRight(mutant(real, () => undefined))).toBe(true);
    const taken: string[] = [];
    for (const [name, run] of mutants(real)) if (payRowsRight(run)) taken.push(name);
    expect(taken).toEqual([]);
    // One that throws, and one that writes nothing but says it did.
    expect(payRowsRight(() => { throw new RangeError('no'); })).toBe(false);
    expect(payRowsRight((...a: Args) => ((a[INTS][P_POS] = a[0].length), 0))).toBe(false);
  });

  it('has a sample that takes every path: every method, mailing or not, PayPal and NACHA files begun again', () => {
    const claims = sampleClaims();
    const methods = new Set(claims.map((c) => c.election.method));
    expect([...methods].sort()).toEqual(['ach', 'check', 'paypal', 'venmo']);
    expect(claims.filter((c) => c.election.method === 'paypal').length).toBeGreaterThan(50);
    expect(claims.filter((c) => c.election.method === 'ach').length).toBeGreaterThan(8);
    // Each guard's first character and a CR inside a cell, in the cells the addon writes (addons that did not guard or quote them passed before).
    const cells = claims.flatMap((c) => [c.claimId, ...Object.values(c.election), ...Object.values(c.mailing ?? {})].filter((v): v is string => typeof v === 'string'));
    for (const first of ['=', '+', '-', '@', '\t', '\r', "'"]) expect(cells.some((v) => v.startsWith(first)), JSON.stringify(first)).toBe(true);
    for (const inside of ['\r', '\n', ',', '"']) expect(cells.some((v) => v.slice(1).includes(inside)), JSON.stringify(inside)).toBe(true);
    // The addon writes most of the sample's records itself: the check is made on its rows.
    if (addonPayRows === undefined) return;
    let written = 0;
    const real = addonPayRows;
    expect(
      payRowsRight((...a: Args) => {
        const before = a[INTS].subarray(P_COUNTS, P_COUNTS + 4).reduce((x, y) => x + y, 0);
        const why = real(...a);
        written += a[INTS].subarray(P_COUNTS, P_COUNTS + 4).reduce((x, y) => x + y, 0) - before;
        return why;
      }),
    ).toBe(true);
    expect(written).toBeGreaterThan(claims.length / 2);
  });
});
