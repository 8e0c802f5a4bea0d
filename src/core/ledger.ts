/**
 * ledger.csv (docs/spec.md §5): one row per claim in input order,
 * `claim_id,class,units,points,status,outcome,share,amount`, then the `--keep` columns.
 *
 * Everything that is the same for a whole cell (class, units, points, outcome, share, the two
 * possible amounts) is formatted once per cell; per row only the claim id, the status and the
 * kept cells are looked up and joined. This is the hot loop of `allocate` over millions of rows:
 * `LedgerRows` writes any range of rows as UTF-8 straight into a buffer (io/ledger-bytes.ts runs
 * it on two threads for what `allocate` writes and `verify` hashes; `ledgerByteChunks` on one);
 * `ledgerChunks` gives the same rows as plain text, row by row, the simple version the byte
 * writer is held equal to by the tests.
 */
import { formatRationalHalfEven } from './decimal.js';
import { formatMoney } from './money.js';
import type { ClaimIds, ClaimTable, RowIndexArray } from './claims.js';
import type { Allocation } from './allocate.js';
import type { Plan } from './plan.js';
import { csvField, textCell } from './csv-cell.js';
import { pointsText } from './summary.js';

export const LEDGER_COLUMNS = ['claim_id', 'class', 'units', 'points', 'status', 'outcome', 'share', 'amount'] as const;

/** The share column: cents → currency units, 6 decimals, half-even; `0.000000` when not paid. */
export function shareText(share: { n: bigint; d: bigint }): string {
  return formatRationalHalfEven({ n: share.n, d: share.d * 100n }, 6);
}

export function ledgerHeader(keep: readonly string[]): string {
  return `${[...LEDGER_COLUMNS, ...keep].map(csvField).join(',')}\n`;
}

/**
 * The ledger's rows as text chunks of about `rowsPerChunk` rows each (the header not included),
 * so the caller can stream them to a file without holding the whole ledger.
 */
export function* ledgerChunks(
  plan: Plan,
  claims: ClaimTable,
  alloc: Allocation,
  keep: readonly string[],
  rowsPerChunk = 16384,
): Generator<string> {
  // Per cell: ",class,units,points," and ",outcome,share," and the two amounts.
  const middle: string[] = [];
  const tail: string[] = [];
  const amount0: string[] = [];
  const amount1: string[] = [];
  for (const cell of alloc.cells) {
    const cls = plan.classes[cell.classIndex]?.id ?? '';
    const units = claims.units[cell.unitsIndex]?.text ?? '';
    middle.push(`,${textCell(cls)},${units},${pointsText(cell.points)},`);
    tail.push(`,${cell.outcome},${shareText(cell.share)},`);
    amount0.push(`${formatMoney(cell.floor)}\n`);
    amount1.push(`${formatMoney(cell.floor + 1n)}\n`);
  }
  const statuses = claims.statuses.map(textCell);
  const keptColumns = keep.map((k) => claims.kept.get(k) ?? []);
  const { ids, statusIndex } = claims;
  const { cellOf, extraCent } = alloc;
  let out = '';
  let inChunk = 0;
  for (let row = 0; row < claims.count; row++) {
    const c = cellOf[row] as number;
    let line = textCell(ids.get(row)) + middle[c] + statuses[statusIndex[row] as number] + tail[c];
    if (keptColumns.length === 0) {
      line += extraCent[row] === 1 ? amount1[c] : amount0[c];
    } else {
      const amount = extraCent[row] === 1 ? amount1[c] : amount0[c];
      line += (amount as string).slice(0, -1);
      for (const col of keptColumns) line += `,${textCell(col[row] ?? '')}`;
      line += '\n';
    }
    out += line;
    if (++inChunk === rowsPerChunk) {
      yield out;
      out = '';
      inChunk = 0;
    }
  }
  if (out) yield out;
}

const FORMULA_START_CODES = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d, 0x27]); // = + - @ tab CR '

/** A bound on the UTF-8 bytes of `textCell(s)` (each UTF-16 unit ≤ 3 bytes, doubled if a quote, plus `'` and two quotes). */
const maxCellBytes = (s: string): number => s.length * 6 + 3;

/** Rows per block of `ledgerByteChunks` and of the writers that share blocks between threads (~0.9 MiB of TikTok rows). */
export const LEDGER_BLOCK_ROWS = 16384;

/**
 * What the ledger's rows are made of, in plain data (strings, bigints, typed arrays) so that it
 * can be posted to another thread (io/ledger-bytes.ts): per cell, the row's text between the
 * claim id and the status (`,class,units,points,`), after it (`,outcome,share,`) and the cell's
 * amount in cents before the remainder cent; per row, the claim id, status, cell and cent.
 */
export interface LedgerRowsSource {
  middle: string[];
  tail: string[];
  floors: bigint[];
  /** The statuses as ledger cells (textCell). */
  statuses: string[];
  ids: ClaimIds;
  statusIndex: RowIndexArray;
  cellOf: Uint32Array;
  extraCent: Uint8Array;
  /** The `--keep` columns, one string per row. */
  kept: string[][];
}

export function ledgerRowsSource(plan: Plan, claims: ClaimTable, alloc: Allocation, keep: readonly string[]): LedgerRowsSource {
  const middle: string[] = [];
  const tail: string[] = [];
  const floors: bigint[] = [];
  for (const cell of alloc.cells) {
    const cls = plan.classes[cell.classIndex]?.id ?? '';
    const units = claims.units[cell.unitsIndex]?.text ?? '';
    middle.push(`,${textCell(cls)},${units},${pointsText(cell.points)},`);
    tail.push(`,${cell.outcome},${shareText(cell.share)},`);
    floors.push(cell.floor);
  }
  return {
    middle,
    tail,
    floors,
    statuses: claims.statuses.map(textCell),
    ids: claims.ids,
    statusIndex: claims.statusIndex,
    cellOf: alloc.cellOf,
    extraCent: alloc.extraCent,
    kept: keep.map((k) => claims.kept.get(k) ?? []),
  };
}

/**
 * Per byte of a claim id: QUOTED when it makes the cell quoted (quote, comma, LF, CR), GUARDED when,
 * as the first byte, it makes the cell guarded (a formula start: = + - @ tab CR '). An id whose
 * bytes have neither is its own cell.
 */
export const QUOTED = 1;
export const GUARDED = 2;
export const ID_BYTE = ((): Uint8Array => {
  const t = new Uint8Array(256);
  for (const c of [0x22, 0x2c, 0x0a, 0x0d]) t[c] = (t[c] as number) | QUOTED;
  for (const c of FORMULA_START_CODES) t[c] = (t[c] as number) | GUARDED;
  return t;
})();

/** Up to this many (cell, status, remainder cent) keys the suffixes are found in an array, past it in a Map. */
const DENSE_KEYS = 1 << 20;

/**
 * A writer of runs of plain rows (the native addon's, io/ledger-rows-native.ts, which holds the
 * contract and its JavaScript reference): rows [state[0], to) at out[state[1], …), each the claim
 * id's bytes as they are and the suffix of its key k = (cellOf·nStatuses + status)·2 + extraCent,
 * pool[suffixAt[2k], +suffixAt[2k+1]) (length 0: not made yet), until a row it cannot write: an id
 * whose cell needs a guard or quotes, a suffix not made, no room in out. Returns 0 when all are
 * written, else why it stopped (1, 2, 3), with state = [that row, the end of what was written].
 */
export type LedgerRowRun = (
  idBytes: Uint8Array,
  idEnds: Uint32Array,
  cellOf: Uint32Array,
  statusIndex: RowIndexArray,
  extraCent: Uint8Array,
  nStatuses: number,
  pool: Uint8Array,
  suffixAt: Uint32Array,
  out: Uint8Array,
  state: Uint32Array,
  to: number,
) => number;

export interface LedgerRowsOptions {
  /** Up to how many keys the suffixes are kept in an array (default 2^20; tests lower it to reach the Map). */
  denseKeys?: number;
  /** Writes runs of plain rows (io/ledger-rows-native.ts); not used with kept columns or past `denseKeys`. */
  run?: LedgerRowRun | undefined;
}

/** Stops of `run` in one block past which the rest of the block is written here (ids that nearly all need quotes). */
const MAX_STOPS = 32;

/**
 * The ledger's rows as UTF-8 bytes, any range of rows at a time (`rows`): byte for byte
 * `ledgerChunks` encoded as UTF-8. Per row, the claim id's bytes are copied when its cell needs
 * no guard or quotes (no quote, comma or line break, no formula start: looked up per byte in one
 * table), and the rest of the row — the same for every row of a cell with the same status and
 * remainder cent — is one byte string, encoded when first met (found again by its key in an
 * array, or a Map when there are too many keys) and copied. Anything else goes through `textCell`
 * and TextEncoder. Given a `run` (options), the plain rows are written by it, the others here.
 */
export class LedgerRows {
  private readonly encoder = new TextEncoder();
  /** Per (cell, status, remainder cent) key: everything after the claim id, with the line end when nothing is kept. */
  private readonly dense: (Uint8Array | undefined)[] | undefined;
  private readonly sparse = new Map<number, Uint8Array>();
  private readonly nStatuses: number;
  /** Bytes per row so far: the first guess at a block's size. */
  private bytesPerRow = 64;
  private readonly run: LedgerRowRun | undefined;
  /** For `run`: the suffixes made so far, one after the other, and per key where its suffix is in the pool (start, length). */
  private pool = new Uint8Array(0);
  private poolLength = 0;
  private readonly suffixAt: Uint32Array;
  private readonly state = new Uint32Array(2);

  constructor(
    private readonly src: LedgerRowsSource,
    options: LedgerRowsOptions = {},
  ) {
    this.nStatuses = Math.max(1, src.statuses.length);
    const keys = src.middle.length * this.nStatuses * 2;
    this.dense = keys <= (options.denseKeys ?? DENSE_KEYS) ? new Array<Uint8Array | undefined>(keys).fill(undefined) : undefined;
    this.run = this.dense !== undefined && src.kept.length === 0 ? options.run : undefined;
    this.suffixAt = new Uint32Array(this.run !== undefined ? keys * 2 : 0);
  }

  /** The suffix of key `(c * nStatuses + s) * 2 + extra`, encoded when first asked for. */
  private suffixOf(key: number): Uint8Array {
    let bytes = this.dense !== undefined ? this.dense[key] : this.sparse.get(key);
    if (bytes === undefined) {
      const extra = key % 2;
      const s = ((key - extra) / 2) % this.nStatuses;
      const c = ((key - extra) / 2 - s) / this.nStatuses;
      const { middle, tail, floors, statuses, kept } = this.src;
      const floor = floors[c];
      if (floor === undefined) throw new RangeError(`internal: no cell ${c}`);
      const amount = formatMoney(floor + (extra === 1 ? 1n : 0n));
      bytes = this.encoder.encode(`${middle[c] ?? ''}${statuses[s] ?? ''}${tail[c] ?? ''}${amount}${kept.length > 0 ? '' : '\n'}`);
      if (this.dense !== undefined) this.dense[key] = bytes;
      else this.sparse.set(key, bytes);
      if (this.run !== undefined) this.addToPool(key, bytes);
    }
    return bytes;
  }

  private addToPool(key: number, bytes: Uint8Array): void {
    if (this.poolLength + bytes.length > this.pool.length) {
      const bigger = new Uint8Array(Math.max(4096, this.pool.length * 2, this.poolLength + bytes.length));
      bigger.set(this.pool.subarray(0, this.poolLength));
      this.pool = bigger;
    }
    this.pool.set(bytes, this.poolLength);
    this.suffixAt[2 * key] = this.poolLength;
    this.suffixAt[2 * key + 1] = bytes.length;
    this.poolLength += bytes.length;
  }

  /** Table rows [from, to), in a buffer of their own. */
  rows(from: number, to: number): Uint8Array {
    const out = new Uint8Array(Math.max(256, Math.ceil((to - from) * this.bytesPerRow * 1.125)));
    const bytes = this.run !== undefined ? this.runRows(this.run, out, from, to) : this.write(out, 0, from, to);
    if (to > from) this.bytesPerRow = bytes.length / (to - from);
    return bytes;
  }

  /** Rows [from, to) at out[0, …) by `run`, each row it stops at written here; the bytes written. */
  private runRows(run: LedgerRowRun, out: Uint8Array, from: number, to: number): Uint8Array {
    const { ids, statusIndex, cellOf, extraCent } = this.src;
    const { bytes: idBytes, ends } = ids.view();
    const state = this.state;
    state[0] = from;
    state[1] = 0;
    for (let stops = 0; ; stops++) {
      if (run(idBytes, ends, cellOf, statusIndex, extraCent, this.nStatuses, this.pool, this.suffixAt, out, state, to) === 0) {
        return out.subarray(0, state[1]);
      }
      // An id that needs a guard or quotes, a suffix not made yet (made now), a full buffer (grown).
      const row = state[0] as number;
      const written = this.write(out, state[1] as number, row, stops < MAX_STOPS ? row + 1 : to);
      if (stops >= MAX_STOPS) return written;
      if (written.buffer !== out.buffer) out = new Uint8Array(written.buffer);
      state[0] = row + 1;
      state[1] = written.length;
    }
  }

  /** Writes rows [from, to) at out[pos, …), in a bigger buffer when out is full; the bytes from out's start to the end of the rows. */
  private write(out: Uint8Array, pos: number, from: number, to: number): Uint8Array {
    const { ids, statusIndex, cellOf, extraCent, kept } = this.src;
    const { bytes: idBytes, ends } = ids.view();
    const encoder = this.encoder;
    const hasKept = kept.length > 0;
    const nStatuses = this.nStatuses;
    const dense = this.dense;
    let idStart = from === 0 ? 0 : (ends[from - 1] as number);
    for (let row = from; row < to; row++) {
      const idEnd = ends[row] as number;
      const key = ((cellOf[row] as number) * nStatuses + (statusIndex[row] as number)) * 2 + (extraCent[row] as number);
      const suffix = (dense !== undefined ? dense[key] : undefined) ?? this.suffixOf(key);
      const m = suffix.length;
      // An id's cell is at most its bytes doubled (quotes) plus a guard and two quotes.
      let need = (idEnd - idStart) * 2 + 3 + m + 1;
      if (hasKept) for (const col of kept) need += 1 + maxCellBytes(col[row] ?? '');
      if (pos + need > out.length) {
        const bigger = new Uint8Array(Math.max(out.length * 2, pos + need));
        bigger.set(out.subarray(0, pos));
        out = bigger;
      }
      // The id as it is, unless a byte says it needs a guard or quotes.
      let at = pos;
      if (idEnd > idStart && ((ID_BYTE[idBytes[idStart] as number] as number) & GUARDED) === 0) {
        for (let i = idStart; i < idEnd; i++) {
          const c = idBytes[i] as number;
          if (((ID_BYTE[c] as number) & QUOTED) !== 0) {
            at = -1;
            break;
          }
          out[at++] = c;
        }
      } else at = -1;
      pos = at >= 0 ? at : writeTextCell(out, pos, ids.get(row), encoder);
      out.set(suffix, pos);
      pos += m;
      if (hasKept) {
        for (const col of kept) {
          out[pos++] = 0x2c;
          pos = writeTextCell(out, pos, col[row] ?? '', encoder);
        }
        out[pos++] = 0x0a;
      }
      idStart = idEnd;
    }
    return out.subarray(0, pos);
  }
}

/**
 * The ledger's rows as UTF-8 bytes, `rowsPerChunk` rows a chunk (the header not included), all on
 * this thread: the reference `ledgerBlocks` (io/ledger-bytes.ts, what `allocate` writes and
 * `verify` hashes, on two threads) is held equal to. Each chunk is a buffer of its own.
 */
export function* ledgerByteChunks(
  plan: Plan,
  claims: ClaimTable,
  alloc: Allocation,
  keep: readonly string[],
  rowsPerChunk = LEDGER_BLOCK_ROWS,
): Generator<Uint8Array> {
  const rows = new LedgerRows(ledgerRowsSource(plan, claims, alloc, keep));
  for (let from = 0; from < claims.count; from += rowsPerChunk) yield rows.rows(from, Math.min(claims.count, from + rowsPerChunk));
}

/** Writes `textCell(text)` as UTF-8 at `pos` (room checked by the caller); returns the new end. */
function writeTextCell(out: Uint8Array, pos: number, text: string, encoder: TextEncoder): number {
  const n = text.length;
  if (n > 0 && n <= 64 && !FORMULA_START_CODES.has(text.charCodeAt(0))) {
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      // Not plain ASCII, or a character that makes the cell quoted: the general path.
      if (c >= 0x80 || c === 0x22 || c === 0x2c || c === 0x0a || c === 0x0d) break;
      out[pos + i] = c;
    }
    if (i === n) return pos + n;
  }
  return pos + encoder.encodeInto(textCell(text), out.subarray(pos)).written;
}
