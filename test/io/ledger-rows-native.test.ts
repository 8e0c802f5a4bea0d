/**
 * The ledger's plain rows by the native addon (src/native/ledger_rows.c, io/ledger-rows-native.ts):
 * the same results as the JavaScript reference ledgerRowsJs for any arguments (bytes, stops, state,
 * errors), the same ledger bytes as ledgerChunks through LedgerRows, a loader that takes no wrong
 * writer, PAYOUT_NATIVE=0 honoured, and allocate's ledger the same with and without the addon.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocate.js';
import { textCell } from '../../src/core/csv-cell.js';
import { LedgerRows, ledgerChunks, ledgerRowsSource, type LedgerRowRun } from '../../src/core/ledger.js';
import type { Plan } from '../../src/core/plan.js';
import { tieKeyer } from '../../src/io/hash.js';
import { ledgerRowRun, ledgerRowsJs, ledgerRowsRight, loadNativeLedgerRows, packRunInputs, RUN_DONE, RUN_ID, RUN_ROOM, RUN_SUFFIX } from '../../src/io/ledger-rows-native.js';
import { nativeAddonPath, requireAddon } from '../../src/io/sha256-batch.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { withNative } from '../helpers/csv-paths.js';
import { makeTable } from '../helpers/make-table.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { rowsInRanges } from '../helpers/ledger-ranges.js';

// The addon's ledgerRows, when dist/native/ holds an addon that has one (whatever PAYOUT_NATIVE
// says), and the writer the loader takes from it: undefined when there is no addon, and also when
// the load check refused it (a test below fails then: the addon is wrong, not missing).
const addonPath = nativeAddonPath();
const addonHasLedgerRows = ((): boolean => {
  try {
    return addonPath !== undefined && typeof requireAddon(addonPath).ledgerRows === 'function';
  } catch {
    return false;
  }
})();
const native: LedgerRowRun | undefined = addonPath === undefined ? undefined : loadNativeLedgerRows(addonPath);
const runs: Array<[string, LedgerRowRun]> = native === undefined ? [['js', ledgerRowsJs]] : [['js', ledgerRowsJs], ['native', native]];
const enc = new TextEncoder();

let plan: Plan;
beforeAll(async () => {
  ({ plan } = await loadPlan(join(ROOT, 'fixtures/tiktok/plan.json')));
});

/** Arguments for a run over `ids` with `suffixes` (key k's suffix, '' = not made), two statuses. */
function argsOf(ids: string[], suffixes: string[], keys: number[], outSize: number, first: number, pos: number) {
  const { idBytes, idEnds, pool, suffixAt } = packRunInputs(ids, suffixes);
  // key = (cell·2 + status)·2 + extra
  const cellOf = Uint32Array.from(keys, (k) => k >> 2);
  const statusIndex = Uint16Array.from(keys, (k) => (k >> 1) & 1);
  const extraCent = Uint8Array.from(keys, (k) => k & 1);
  return { idBytes, idEnds, cellOf, statusIndex, extraCent, pool, suffixAt, out: new Uint8Array(outSize).fill(0xee), state: Uint32Array.of(first, pos) };
}

type Args = ReturnType<typeof argsOf>;
function call(run: LedgerRowRun, a: Args, to: number): { why: number | string; state: number[]; out: Uint8Array } {
  let why: number | string;
  try {
    why = run(a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, a.state, to);
  } catch (e) {
    why = `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
  return { why, state: [...a.state], out: a.out };
}

describe('the addon’s ledgerRows', () => {
  it('is built by npm run build where a C compiler is, and chosen unless PAYOUT_NATIVE=0', async () => {
    // An addon with ledgerRows that the load check refuses writes wrong: that is a failure, not
    // a machine without a C compiler.
    if (addonHasLedgerRows) expect(native, `${addonPath}: its ledgerRows does not pass ledgerRowsRight`).toBeDefined();
    if (native === undefined) {
      if (process.env.CI) throw new Error('dist/native/payout_sha256.node has no working ledgerRows: npm run build did not build the addon');
      console.warn('ledger-rows-native.test.ts: no native addon in dist/native/ (no C compiler?): the JavaScript reference only');
      return;
    }
    expect(ledgerRowsRight(native)).toBe(true);
    await withNative('0', () => expect(ledgerRowRun()).toBeUndefined());
    await withNative('1', () => expect(ledgerRowRun()).toBe(native));
  });

  it.skipIf(native === undefined)('writes, stops and throws as ledgerRowsJs does, for any ids, suffixes, start and room (property)', () => {
    if (native === undefined) return;
    const piece = fc.constantFrom('A', '7', 'TT-', '=', '+', '-', '@', "'", '\t', '\r', '\n', ',', '"', ' ', 'é', '𝄞', '');
    const id = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''));
    fc.assert(
      fc.property(
        fc.array(id, { minLength: 1, maxLength: 30 }),
        fc.array(fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }).map((s) => `,${s}\n`)), { minLength: 8, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 30, maxLength: 30 }),
        fc.integer({ min: 0, max: 400 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (ids, suffixes, keys, outSize, a, b, c) => {
          const first = a % (ids.length + 1);
          const to = first + (b % (ids.length - first + 1));
          const pos = c % (outSize + 1);
          // Key 8 is past suffixAt (8 keys): a RangeError, at that row, on both.
          const rowKeys = keys.slice(0, ids.length);
          const want = call(ledgerRowsJs, argsOf(ids, suffixes, rowKeys, outSize, first, pos), to);
          const got = call(native, argsOf(ids, suffixes, rowKeys, outSize, first, pos), to);
          expect(got.why).toEqual(want.why);
          expect(got.state).toEqual(want.state);
          expect(Buffer.from(got.out).equals(Buffer.from(want.out))).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('checks every argument, and writes nothing when one is wrong', () => {
    for (const [name, run] of runs) {
      const ok = (): Args => argsOf(['A1', 'B2'], [',x\n', ',y\n', ',z\n', ',w\n'], [0, 1], 64, 0, 0);
      const bad: Array<[(a: Args) => unknown[], ErrorConstructor, RegExp]> = [
        [(a) => ['A1B2', a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, a.state, 2], TypeError, /idBytes/],
        [(a) => [a.idBytes, Int32Array.from(a.idEnds), a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, a.state, 2], TypeError, /idEnds/],
        [(a) => [a.idBytes, a.idEnds, [0, 0], a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, a.state, 2], TypeError, /cellOf/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, Int16Array.of(0, 0), a.extraCent, 2, a.pool, a.suffixAt, a.out, a.state, 2], TypeError, /statusIndex/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, Uint16Array.of(0, 1), 2, a.pool, a.suffixAt, a.out, a.state, 2], TypeError, /extraCent/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, -1, a.pool, a.suffixAt, a.out, a.state, 2], TypeError, /nStatuses/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 1.5, a.pool, a.suffixAt, a.out, a.state, 2], TypeError, /nStatuses/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, 'x', a.suffixAt, a.out, a.state, 2], TypeError, /pool/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, Array.from(a.suffixAt), a.out, a.state, 2], TypeError, /suffixAt/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, new Uint16Array(64), a.state, 2], TypeError, /out/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, Int32Array.of(0, 0), 2], TypeError, /state/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, a.state, '2'], TypeError, /to/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, a.state], TypeError, /./],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, Uint32Array.of(0), 2], RangeError, /state must hold/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt.subarray(1), a.out, a.state, 2], RangeError, /2 numbers a key/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, a.state, 3], RangeError, /to must be within/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf.subarray(1), a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, a.state, 2], RangeError, /to must be within/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, Uint32Array.of(2, 0), 1], RangeError, /first row/],
        [(a) => [a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, Uint32Array.of(0, 65), 2], RangeError, /within out/],
      ];
      for (const [make, type, message] of bad) {
        const a = ok();
        const args = make(a);
        expect(() => (run as (...x: unknown[]) => number)(...args), `${name} ${String(message)}`).toThrow(type);
        expect(() => (run as (...x: unknown[]) => number)(...args), `${name} ${String(message)}`).toThrow(message);
        expect(a.out.every((v) => v === 0xee)).toBe(true);
      }
      // Offsets in the arrays out of range: a RangeError at that row, what came before written.
      const a = ok();
      a.idEnds[1] = 99;
      expect(call(run, a, 2)).toMatchObject({ why: expect.stringMatching(/^RangeError: .*claim id's end/), state: [1, 5] });
      const k = ok();
      k.extraCent[1] = 2;
      expect(call(run, k, 2)).toMatchObject({ why: expect.stringMatching(/^RangeError: .*key/), state: [1, 5] });
      // Keys past 2^64 when computed naively: refused, not wrapped round to a key in range.
      for (const [cell, status, nStatuses] of [
        [0xffffffff, 0, 0xffffffff],
        [0xffffffff, 0xffffffff, 0xffffffff],
        [0, 0xffffffff, 1],
        [0x80000000, 0, 0x100000000 - 1],
        // ((2^32 − 1)·2^31 + 2^31)·2 = 2^64: key 0 in 64-bit arithmetic.
        [0xffffffff, 0x80000000, 0x80000000],
      ] as const) {
        const h = ok();
        h.cellOf[0] = cell;
        const statusIndex = Uint32Array.of(status, 0);
        const state = Uint32Array.of(0, 0);
        expect(() => run(h.idBytes, h.idEnds, h.cellOf, statusIndex, h.extraCent, nStatuses, h.pool, h.suffixAt, h.out, state, 2), `${name} ${cell} ${status}`).toThrow(/key/);
        expect([...state]).toEqual([0, 0]);
      }
      const s = ok();
      s.suffixAt[2 * 1] = 12;
      expect(call(run, s, 2)).toMatchObject({ why: expect.stringMatching(/^RangeError: .*past the pool/), state: [1, 5] });
      // And when all is well: both rows.
      const good = call(run, ok(), 2);
      expect(good.why).toBe(RUN_DONE);
      expect(Buffer.from(good.out.subarray(0, 10)).toString()).toBe('A1,x\nB2,y\n');
      // state in shared memory is taken (checked, used, written back). That it is read only once
      // (another thread may write it meanwhile) no single-threaded test can show.
      const shared = ok();
      const sharedState = new Uint32Array(new SharedArrayBuffer(8));
      sharedState[1] = 65;
      expect(() => run(shared.idBytes, shared.idEnds, shared.cellOf, shared.statusIndex, shared.extraCent, 2, shared.pool, shared.suffixAt, shared.out, sharedState, 2), name).toThrow(/within out/);
      expect(shared.out.every((v) => v === 0xee)).toBe(true);
      sharedState[1] = 1;
      expect(run(shared.idBytes, shared.idEnds, shared.cellOf, shared.statusIndex, shared.extraCent, 2, shared.pool, shared.suffixAt, shared.out, sharedState, 2)).toBe(RUN_DONE);
      expect([...sharedState]).toEqual([2, 11]);
      expect(Buffer.from(shared.out.subarray(1, 11)).toString()).toBe('A1,x\nB2,y\n');
    }
  });

  it('writes as ledgerRowsJs does when out shares its memory with idBytes and pool (set() allows it)', () => {
    for (const pos of [0, 1, 2, 5, 9]) {
      const results = runs.map(([, run]) => {
        // One buffer: ids, then suffixes; out is all of it, written from pos (over the ids and the pool).
        const memory = new Uint8Array(64);
        const ids = enc.encode('A1B22C333');
        const suffixes = enc.encode(',x\n,yy\n');
        memory.set(ids, 0);
        memory.set(suffixes, ids.length);
        const idBytes = memory.subarray(0, ids.length);
        const pool = memory.subarray(ids.length, ids.length + suffixes.length);
        const state = Uint32Array.of(0, pos);
        const why = run(idBytes, Uint32Array.of(2, 5, 9), Uint32Array.of(0, 0, 0), Uint8Array.of(0, 0, 0), Uint8Array.of(0, 1, 0), 1, pool, Uint32Array.of(0, 3, 3, 4), memory, state, 3);
        return { why, state: [...state], memory: [...memory] };
      });
      for (const r of results) expect(r, `from ${pos}`).toEqual(results[0]);
    }
  });

  it('stops at an id that needs a guard or quotes, a suffix not made, a full buffer', () => {
    for (const [name, run] of runs) {
      const ids = ['ok', '=f', 'a,b', '', 'q"', 'x\r', '\tt', 'last'];
      const stopsAt = (suffixes: string[], outSize: number): Array<[number, number]> => {
        const a = argsOf(ids, suffixes, ids.map(() => 0), outSize, 0, 0);
        const stops: Array<[number, number]> = [];
        for (;;) {
          const why = run(a.idBytes, a.idEnds, a.cellOf, a.statusIndex, a.extraCent, 2, a.pool, a.suffixAt, a.out, a.state, ids.length);
          if (why === RUN_DONE || why === RUN_ROOM || why === RUN_SUFFIX) {
            stops.push([why, a.state[0] as number]);
            return stops;
          }
          stops.push([why, a.state[0] as number]);
          a.state[0] = (a.state[0] as number) + 1;
        }
      };
      expect(stopsAt([',s\n'], 64), name).toEqual([[RUN_ID, 1], [RUN_ID, 2], [RUN_ID, 3], [RUN_ID, 4], [RUN_ID, 5], [RUN_ID, 6], [RUN_DONE, 8]]);
      expect(stopsAt([''], 64), name).toEqual([[RUN_SUFFIX, 0]]);
      expect(stopsAt([',s\n'], 4), name).toEqual([[RUN_ROOM, 0]]);
    }
  });
});

describe('LedgerRows with a run', () => {
  const piece = fc.constantFrom('A', 'z', '7', '-', '=', '+', '@', "'", '\t', '\r', '\n', ',', '"', ' ', 'é', '€', '𝄞', 'TT-', '0000123');
  const idText = fc.oneof(
    { weight: 6, arbitrary: fc.array(fc.constantFrom('A', 'z', '7', 'TT-', '0000123', 'é'), { minLength: 1, maxLength: 5 }).map((p) => p.join('')) },
    { weight: 3, arbitrary: fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join('')) },
    { weight: 1, arbitrary: fc.array(piece, { minLength: 30, maxLength: 60 }).map((p) => p.join('')) },
  );

  it('gives ledgerChunks as UTF-8 for any range of rows, native or reference, shared memory or not (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(idText, { minLength: 1, maxLength: 120 }),
        fc.array(fc.record({ klass: fc.constantFrom('nationwide', 'illinois'), units: fc.constantFrom('1', '2', '0.5'), status: fc.constantFrom('approved', 'rejected', 'deficient') }), {
          minLength: 120,
          maxLength: 120,
        }),
        fc.array(fc.integer({ min: 1, max: 130 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (ids, rows, cuts, shared) => {
          const table = makeTable(plan, ids.map((id, i) => ({ id, class: rows[i]!.klass, units: rows[i]!.units, status: rows[i]!.status })));
          const alloc = allocate(plan, table, tieKeyer(plan.seed));
          let source = ledgerRowsSource(plan, table, alloc, []);
          if (shared) {
            // As the worker gets them (shared-rows.ts): arrays over a SharedArrayBuffer.
            const copy = <T extends Uint8Array | Uint16Array | Uint32Array>(x: T, make: (b: SharedArrayBuffer) => T): T => {
              const y = make(new SharedArrayBuffer(x.byteLength));
              y.set(x);
              return y;
            };
            source = {
              ...source,
              cellOf: copy(source.cellOf, (b) => new Uint32Array(b)),
              extraCent: copy(source.extraCent, (b) => new Uint8Array(b)),
              statusIndex: copy(source.statusIndex as Uint16Array, (b) => new Uint16Array(b)),
            };
          }
          const text = [...ledgerChunks(plan, table, alloc, [])].join('');
          for (const [name, run] of runs) {
            let calls = 0;
            const counted: LedgerRowRun = (...a) => {
              calls++;
              return run(...a);
            };
            const rowsOf = new LedgerRows(source, { run: counted });
            const parts = rowsInRanges(rowsOf, table.count, cuts);
            expect(Buffer.concat(parts).toString('utf8'), name).toBe(text);
            expect(calls, name).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes the rest of a block itself past 32 stops (ids that nearly all need quotes), the same bytes', () => {
    const ids = Array.from({ length: 500 }, (_, i) => (i % 50 === 0 ? `P${i}` : `=${i}`));
    const table = makeTable(plan, ids.map((id, i) => ({ id, class: i % 4 === 0 ? 'illinois' : 'nationwide' })));
    const alloc = allocate(plan, table, tieKeyer(plan.seed));
    const text = [...ledgerChunks(plan, table, alloc, [])].join('');
    for (const [name, run] of runs) {
      let calls = 0;
      const rowsOf = new LedgerRows(ledgerRowsSource(plan, table, alloc, []), {
        run: (...a) => {
          calls++;
          return run(...a);
        },
      });
      expect(Buffer.from(rowsOf.rows(0, 500)).toString('utf8'), name).toBe(text);
      expect(calls, name).toBe(33);
    }
  });

  it('is not used with kept columns, nor with suffixes in a Map', () => {
    const table = makeTable(plan, [{ id: 'A1', class: 'nationwide' }]);
    table.kept.set('note', ['n']);
    const alloc = allocate(plan, table, tieKeyer(plan.seed));
    const never: LedgerRowRun = () => {
      throw new Error('called');
    };
    expect(Buffer.from(new LedgerRows(ledgerRowsSource(plan, table, alloc, ['note']), { run: never }).rows(0, 1)).toString()).toBe([...ledgerChunks(plan, table, alloc, ['note'])].join(''));
    expect(Buffer.from(new LedgerRows(ledgerRowsSource(plan, table, alloc, []), { run: never, denseKeys: 0 }).rows(0, 1)).toString()).toBe([...ledgerChunks(plan, table, alloc, [])].join(''));
  });
});

describe('the loader', () => {
  const dir = tempDir();
  const right = 'exports.ledgerRows = (...a) => globalThis.__payoutLedgerRowsJs(...a);';
  (globalThis as Record<string, unknown>).__payoutLedgerRowsJs = ledgerRowsJs;

  it('uses a writer that writes, stops and throws as ledgerRowsJs does, and no other', () => {
    expect(ledgerRowsRight(ledgerRowsJs)).toBe(true);
    expect(loadNativeLedgerRows(dir.write('right.cjs', right))).toBeTypeOf('function');
    const wrapped = (body: string): string => `exports.ledgerRows = (...a) => { const r = globalThis.__payoutLedgerRowsJs; ${body} };`;
    for (const [name, wrong] of [
      ['none.cjs', 'exports.scan = () => 0;'],
      ['why-off.cjs', wrapped('const w = r(...a); return w === 0 ? 0 : w + 1;')],
      ['no-state.cjs', wrapped('const s = Array.from(a[9]); const w = r(...a); a[9][1] = s[1]; return w;')],
      ['extra-byte.cjs', wrapped('const w = r(...a); if (a[9][1] < a[8].length) a[8][a[9][1]] = 33; return w;')],
      ['no-throw.cjs', wrapped('try { return r(...a); } catch { return 0; }')],
      ['one-short.cjs', wrapped('const to = a[10]; if (to > a[9][0]) a[10] = to - 1; const w = r(...a); return w;')],
      ['throws.cjs', 'exports.ledgerRows = () => { throw new Error("x"); };'],
    ]) {
      expect(loadNativeLedgerRows(dir.write(name!, wrong!)), name).toBeUndefined();
    }
    expect(loadNativeLedgerRows(dir.write('not-a-module.node', 'garbage'))).toBeUndefined();
  });

  /**
   * The contract as the addon's C code writes it, with one part of it wrong when asked: the ways
   * an addon built from changed sources was seen to write other ledgers (a key without the
   * remainder cent or the status, or with 2 statuses fixed; statuses read as bytes whatever the
   * array; `+` not taken for a formula start; a suffix not made written as empty), and more: any one
   * byte not guarded or not quoted (`byte`), a row written when it does not fit (C would write
   * past `out`: here only what fits is written, and the row counted as written).
   */
  type Wrong =
    | 'none'
    | 'no-extra-cent'
    | 'no-status'
    | 'two-statuses'
    | 'status-as-bytes'
    | 'plus-not-guarded'
    | 'no-suffix-stop'
    | 'not-guarded'
    | 'not-quoted'
    | 'overruns-by-2'
    | 'stops-when-exact';
  const GUARDED = [0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d, 0x27];
  const QUOTED = [0x22, 0x2c, 0x0a, 0x0d];
  const writer =
    (wrong: Wrong, byte?: number): LedgerRowRun =>
    (idBytes, idEnds, cellOf, statusIndex, extraCent, nStatuses, pool, suffixAt, out, state, to) => {
      const guarded = new Set(GUARDED);
      if (wrong === 'plus-not-guarded') guarded.delete(0x2b);
      if (wrong === 'not-guarded') guarded.delete(byte!);
      const quoted = new Set(QUOTED);
      if (wrong === 'not-quoted') quoted.delete(byte!);
      const status = wrong === 'status-as-bytes' ? new Uint8Array(statusIndex.buffer, statusIndex.byteOffset, statusIndex.length) : statusIndex;
      const keys = suffixAt.length / 2;
      let row = state[0]!;
      let pos = state[1]!;
      let start = row === 0 ? 0 : idEnds[row - 1]!;
      const stop = (why: number): number => {
        state[0] = row;
        state[1] = pos;
        if (why < 0) throw new RangeError('ledgerRows: out of range');
        return why;
      };
      for (; row < to; row++) {
        const end = idEnds[row]!;
        if (end < start || end > idBytes.length) return stop(-1);
        const cell = cellOf[row]!;
        const s = status[row]!;
        const extra = extraCent[row]!;
        if (cell >= keys || s >= keys || extra > 1) return stop(-1);
        const key = (cell * (wrong === 'two-statuses' ? 2 : nStatuses) + (wrong === 'no-status' ? 0 : s)) * 2 + (wrong === 'no-extra-cent' ? 0 : extra);
        if (key >= keys) return stop(-1);
        const sStart = suffixAt[2 * key]!;
        const sLength = suffixAt[2 * key + 1]!;
        if (sLength === 0 && wrong !== 'no-suffix-stop') return stop(RUN_SUFFIX);
        if (sStart + sLength > pool.length) return stop(-1);
        const id = idBytes.subarray(start, end);
        if (id.length === 0 || guarded.has(id[0]!)) return stop(RUN_ID);
        const room = out.length - pos + (wrong === 'overruns-by-2' ? 2 : 0) - (wrong === 'stops-when-exact' ? 1 : 0);
        if (id.length + sLength > room) return stop(RUN_ROOM);
        if (id.some((b) => quoted.has(b))) return stop(RUN_ID);
        const written = Buffer.concat([id, pool.subarray(sStart, sStart + sLength)]);
        out.set(written.subarray(0, Math.max(0, out.length - pos)), pos);
        pos += written.length;
        start = end;
      }
      return stop(RUN_DONE);
    };

  it('refuses a writer wrong in any one part of the contract (each of them writes another ledger)', () => {
    expect(ledgerRowsRight(writer('none'))).toBe(true);
    for (const wrong of ['no-extra-cent', 'no-status', 'two-statuses', 'status-as-bytes', 'plus-not-guarded', 'no-suffix-stop', 'overruns-by-2', 'stops-when-exact'] as const) {
      expect(ledgerRowsRight(writer(wrong)), wrong).toBe(false);
    }
    // Each byte that makes a guard or quotes, left out on its own. (CR both guards and quotes: left
    // out of the guards only, a CR first still quotes the cell, the same bytes.)
    for (const b of GUARDED.filter((g) => g !== 0x0d)) expect(ledgerRowsRight(writer('not-guarded', b)), `not guarded: 0x${b.toString(16)}`).toBe(false);
    for (const b of QUOTED) expect(ledgerRowsRight(writer('not-quoted', b)), `not quoted: 0x${b.toString(16)}`).toBe(false);
  });
});

describe('allocate with and without the addon', () => {
  const tmp = tempDir();
  // Without the addon both runs would be the JavaScript writer's: nothing compared.
  it.skipIf(native === undefined)('writes the same folder (workers on and off), with ids that need quotes among plain ones', { timeout: 300_000 }, async () => {
    const { generateClaims } = (await import(join(ROOT, 'scripts/generate-claims.js'))) as {
      generateClaims: (o: { rows: number; seed: string; out: string; messy: boolean }) => Promise<unknown>;
    };
    // More rows than LEDGER_WORKER_MIN_ROWS: the ledger worker writes blocks too.
    const file = tmp.path('claims.csv');
    await generateClaims({ rows: 70_000, seed: 'ledger-rows-native', out: tmp.path('plain.csv'), messy: true });
    // Some ids that need a guard, quotes or both (the rows the JavaScript writer writes).
    const lines = readFileSync(tmp.path('plain.csv'), 'utf8').split('\n');
    const odd = ['=', 'a,', '-', "'", 'q"', 'l\n', '+', '@'];
    const changed: string[] = [];
    for (let i = 1; i < lines.length; i += 997) {
      const line = lines[i] as string;
      const comma = line.indexOf(',');
      const id = `${odd[changed.length % odd.length]}${line.slice(0, comma)}`;
      changed.push(id);
      lines[i] = `"${id.replaceAll('"', '""')}"${line.slice(comma)}`;
    }
    writeFileSync(file, lines.join('\n'));
    const planFile = join(ROOT, 'fixtures/tiktok/plan.json');
    const run = async (env: Record<string, string>, out: string): Promise<Buffer> => {
      const r = await runCli(['allocate', '--plan', planFile, file, '--out', tmp.path(out), '-q'], { env });
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(tmp.path(`${out}/ledger.csv`));
    };
    const withAddon = await run({}, 'native');
    for (const [env, out] of [
      [{ PAYOUT_NATIVE: '0' }, 'js'],
      [{ PAYOUT_WORKERS: '0' }, 'native-one-thread'],
      [{ PAYOUT_NATIVE: '0', PAYOUT_WORKERS: '0' }, 'js-one-thread'],
    ] as const) {
      expect((await run(env, out)).equals(withAddon), out).toBe(true);
    }
    // Quoted and guarded ids are there: the stops were taken.
    const ledger = withAddon.toString('utf8');
    for (const id of changed) expect(ledger, id).toContain(`\n${textCell(id)},`);
  });
});
