/**
 * The ledger's plain rows written by the native addon (docs/performance.md, "Round nine: ledger
 * rows"): core/ledger.ts LedgerRows writes most rows as a claim id's bytes and a suffix shared by
 * every row of the same cell, status and remainder cent; the addon (src/native/ledger_rows.c, in the
 * same dist/native/payout_sha256.node as the batched SHA-256) writes runs of them in one call per
 * block, a copy of the id and of the suffix per row, and stops at any row LedgerRows must write
 * itself. Without it (no C compiler when payout was installed, an addon built from older sources, or
 * `PAYOUT_NATIVE=0`), LedgerRows writes every row: the same bytes either way, which the tests check
 * on both paths.
 */
import { GUARDED, ID_BYTE, QUOTED, type LedgerRowRun } from '../core/ledger.js';
import type { RowIndexArray } from '../core/claims.js';
import { isInteger, loadCheckedFunction, nativeFunction } from './sha256-batch.js';

/** Why a run stopped (what `LedgerRowRun` returns). */
export const RUN_DONE = 0;
export const RUN_ID = 1;
export const RUN_SUFFIX = 2;
export const RUN_ROOM = 3;

const isStatusArray = (a: unknown): a is RowIndexArray => a instanceof Uint8Array || a instanceof Uint16Array || a instanceof Uint32Array;

/** The contract in plain JavaScript, with the addon's checks: the reference the addon is checked against. */
export const ledgerRowsJs: LedgerRowRun = (idBytes, idEnds, cellOf, statusIndex, extraCent, nStatuses, pool, suffixAt, out, state, to) => {
  const fail = (m: string): never => {
    throw new TypeError(`ledgerRows: ${m}`);
  };
  if (!(idBytes instanceof Uint8Array)) fail('idBytes must be a Uint8Array');
  if (!(idEnds instanceof Uint32Array)) fail('idEnds must be a Uint32Array');
  if (!(cellOf instanceof Uint32Array)) fail('cellOf must be a Uint32Array');
  if (!isStatusArray(statusIndex)) fail('statusIndex must be a Uint8Array, Uint16Array or Uint32Array');
  if (!(extraCent instanceof Uint8Array)) fail('extraCent must be a Uint8Array');
  if (!isInteger(nStatuses)) fail('nStatuses must be an integer');
  if (!(pool instanceof Uint8Array)) fail('pool must be a Uint8Array');
  if (!(suffixAt instanceof Uint32Array)) fail('suffixAt must be a Uint32Array');
  if (!(out instanceof Uint8Array)) fail('out must be a Uint8Array');
  if (!(state instanceof Uint32Array)) fail('state must be a Uint32Array');
  if (!isInteger(to)) fail('to must be an integer');
  const range = (m: string): never => {
    throw new RangeError(`ledgerRows: ${m}`);
  };
  if (state.length < 2) range('state must hold 2 numbers (row, pos)');
  if (suffixAt.length % 2 !== 0) range('suffixAt must hold 2 numbers a key');
  if (to > idEnds.length || to > cellOf.length || to > statusIndex.length || to > extraCent.length) {
    range('to must be within idEnds, cellOf, statusIndex and extraCent');
  }
  if (suffixAt.length / 2 > 0x7fffffff) range('suffixAt must hold fewer than 2^31 keys');
  if ((state[0] as number) > to) range('state[0] (the first row) must not pass to');
  if ((state[1] as number) > out.length) range('state[1] (where to write) must be within out');
  let row = state[0] as number;
  let pos = state[1] as number;
  let start = row === 0 ? 0 : (idEnds[row - 1] as number);
  let why = RUN_DONE;
  let bad: string | undefined;
  for (; row < to; row++) {
    const end = idEnds[row] as number;
    if (end < start || end > idBytes.length) {
      bad = "a claim id's end is before its start or past idBytes";
      break;
    }
    const extra = extraCent[row] as number;
    const cell = cellOf[row] as number;
    const status = statusIndex[row] as number;
    const keys = suffixAt.length / 2;
    const key = (cell * nStatuses + status) * 2 + extra;
    if (cell >= keys || status >= keys || extra > 1 || key >= keys) {
      bad = "a row's key is past suffixAt (or its extraCent is not 0 or 1)";
      break;
    }
    const sStart = suffixAt[2 * key] as number;
    const sLength = suffixAt[2 * key + 1] as number;
    if (sLength === 0) {
      why = RUN_SUFFIX;
      break;
    }
    if (sStart > pool.length || sLength > pool.length - sStart) {
      bad = 'a suffix is past the pool';
      break;
    }
    const n = end - start;
    if (n === 0 || ((ID_BYTE[idBytes[start] as number] as number) & GUARDED) !== 0) {
      why = RUN_ID;
      break;
    }
    if (n + sLength > out.length - pos) {
      why = RUN_ROOM;
      break;
    }
    let quoted = 0;
    for (let i = start; i < end; i++) quoted |= ID_BYTE[idBytes[i] as number] as number;
    if ((quoted & QUOTED) !== 0) {
      why = RUN_ID;
      break;
    }
    out.set(idBytes.subarray(start, end), pos);
    out.set(pool.subarray(sStart, sStart + sLength), pos + n);
    pos += n + sLength;
    start = end;
  }
  state[0] = row;
  state[1] = pos;
  if (bad !== undefined) range(bad);
  return why;
};

/**
 * Ids and suffixes as a run takes them: the ids' UTF-8 one after another and where each ends, the
 * suffixes' in one pool and, per key, where its suffix starts and its length (0: not made).
 */
export function packRunInputs(ids: readonly string[], suffixes: readonly string[]): { idBytes: Uint8Array; idEnds: Uint32Array; pool: Uint8Array; suffixAt: Uint32Array } {
  const enc = new TextEncoder();
  const idBytes = enc.encode(ids.join(''));
  let end = 0;
  const idEnds = Uint32Array.from(ids, (id) => (end += enc.encode(id).length));
  const pool = enc.encode(suffixes.join(''));
  const suffixAt = new Uint32Array(2 * suffixes.length);
  let at = 0;
  suffixes.forEach((s, k) => {
    const len = enc.encode(s).length;
    suffixAt[2 * k] = at;
    suffixAt[2 * k + 1] = len;
    at += len;
  });
  return { idBytes, idEnds, pool, suffixAt };
}

/**
 * Whether `run` writes as `ledgerRowsJs` does on a few known tables and throws where it does: an
 * addon that lacks the function or writes wrong is not used. The table is made so that a writer
 * wrong in any one part of the contract writes other bytes or stops elsewhere: every key (3 cells,
 * 3 statuses, 2 remainder cents) has its own suffix, so a key computed without the status, the
 * remainder cent or with a fixed number of statuses picks another; plain ids use keys of each
 * status and remainder cent; one key a row uses is not made; ids start with each byte that needs a
 * guard (= + - @ tab CR ') or quotes ("), and hold a comma, CR, LF or quote inside or last (each
 * at a row whose key is made, so that its quoting is what the row tests); ids of several bytes a
 * character; statuses of each array type (a writer that reads a Uint16Array or Uint32Array as
 * bytes gets other statuses); a buffer that fills up (one byte short of a row, and a row that
 * fits exactly); a start inside the table.
 * About 1.5 ms on a thread's first call (about 0.5 ms warm), once per thread.
 */
export function ledgerRowsRight(run: LedgerRowRun): boolean {
  try {
    const ids = ['TT-1', 'Zoë', '=x', 'a,b', 'é€𝄞', '', 'tail\r', '-1', '@', "'q", '\tq', 'ok"', 'C12345678901234567890', 'x\n',
      '+1', '"q', '\rq', 'P-9', 'z', 'TT-2', 'B', 'Ü2', 'l\nf'];
    const n = ids.length;
    const nStatuses = 3;
    const cellOf = Uint32Array.from({ length: n }, (_, i) => i % 3);
    const statuses = Array.from({ length: n }, (_, i) => (i + Math.floor(i / 3)) % nStatuses);
    const extraCent = Uint8Array.from({ length: n }, (_, i) => (i >> 1) & 1);
    // Key (cell·3 + status)·2 + cent: its own suffix, naming them (some of several bytes a character).
    const keys = 3 * nStatuses * 2;
    const suffixes = Array.from({ length: keys }, (_, k) => `,c${Math.floor(k / (2 * nStatuses))},s${Math.floor(k / 2) % nStatuses},${k % 2}${k % 5 === 0 ? 'é' : ''}\n`);
    const { idBytes, idEnds, pool, suffixAt } = packRunInputs(ids, suffixes);
    // Row 4's key (cell 1, status 2, no cent more: also row 13's) not made.
    suffixAt[2 * (((cellOf[4] as number) * nStatuses + (statuses[4] as number)) * 2 + (extraCent[4] as number)) + 1] = 0;
    const statusArrays = [Uint8Array.from(statuses), Uint16Array.from(statuses), Uint32Array.from(statuses)];
    {
      for (const [first, room, to, type] of [
        [0, 1024, n, 0],
        [0, 1024, n, 1],
        [0, 1024, n, 2],
        [1, 1024, n, 1],
        [0, 70, n, 2],
        [0, 73, n, 0],
        [0, 74, n, 1],
        [12, 1024, n, 0],
        [13, 1024, n, 1],
        [n, 1024, n, 2],
        [0, 1024, 1, 1],
      ] as const) {
        const statusIndex = statusArrays[type] as RowIndexArray;
        const got = new Uint8Array(room);
        const want = new Uint8Array(room);
        const gotState = Uint32Array.of(first, 3);
        const wantState = Uint32Array.of(first, 3);
        // Every stop, each run on from the row after the stop, as LedgerRows does.
        for (let guard = 0; guard < 2 * n; guard++) {
          const w = ledgerRowsJs(idBytes, idEnds, cellOf, statusIndex, extraCent, nStatuses, pool, suffixAt, want, wantState, to);
          const g = run(idBytes, idEnds, cellOf, statusIndex, extraCent, nStatuses, pool, suffixAt, got, gotState, to);
          if (g !== w || gotState[0] !== wantState[0] || gotState[1] !== wantState[1] || !Buffer.from(got.buffer).equals(Buffer.from(want.buffer))) return false;
          if (w === RUN_DONE || w === RUN_ROOM) break;
          wantState[0] = gotState[0] = (wantState[0] as number) + 1;
        }
      }
    }
    // A bad key throws (an extraCent of 2), as the reference does.
    const bad = Uint8Array.of(2);
    const throws = (f: LedgerRowRun): boolean => {
      try {
        f(idBytes, idEnds, cellOf, Uint8Array.of(0), bad, nStatuses, pool, suffixAt, new Uint8Array(64), Uint32Array.of(0, 0), 1);
        return false;
      } catch (e) {
        return e instanceof RangeError;
      }
    };
    return throws(ledgerRowsJs) && throws(run);
  } catch {
    return false;
  }
}

/** The addon's `ledgerRows` at `path`, when it loads and `ledgerRowsRight`. */
export function loadNativeLedgerRows(path: string): LedgerRowRun | undefined {
  return loadCheckedFunction<LedgerRowRun>(path, 'ledgerRows', ledgerRowsRight);
}

/**
 * The addon's `ledgerRows` when it is built, writes right, and `PAYOUT_NATIVE=0` is not set; else
 * undefined (LedgerRows writes every row). Loaded once per thread; the environment is read at each call.
 */
export const ledgerRowRun: () => LedgerRowRun | undefined = nativeFunction(loadNativeLedgerRows);
