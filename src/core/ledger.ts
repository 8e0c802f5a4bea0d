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
 * The ledger's rows as UTF-8 bytes, any range of rows at a time (`rows`): byte for byte
 * `ledgerChunks` encoded as UTF-8. Per row, the claim id's bytes are copied when its cell needs
 * no guard or quotes (no quote, comma or line break, no formula start), and the rest of the row —
 * the same for every row of a cell with the same status and remainder cent — is one byte string,
 * encoded when first met and copied with `Uint8Array#set`. Anything else goes through `textCell`
 * and TextEncoder.
 */
export class LedgerRows {
  private readonly encoder = new TextEncoder();
  /** Per (cell, status, remainder cent): everything after the claim id, with the line end when nothing is kept. */
  private readonly suffixes = new Map<number, Uint8Array>();
  private readonly nStatuses: number;
  /** Bytes per row so far: the first guess at a block's size. */
  private bytesPerRow = 64;

  constructor(private readonly src: LedgerRowsSource) {
    this.nStatuses = Math.max(1, src.statuses.length);
  }

  private suffixOf(c: number, s: number, extra: number): Uint8Array {
    const key = (c * this.nStatuses + s) * 2 + extra;
    let bytes = this.suffixes.get(key);
    if (bytes === undefined) {
      const { middle, tail, floors, statuses, kept } = this.src;
      const floor = floors[c];
      if (floor === undefined) throw new RangeError(`internal: no cell ${c}`);
      const amount = formatMoney(floor + (extra === 1 ? 1n : 0n));
      bytes = this.encoder.encode(`${middle[c] ?? ''}${statuses[s] ?? ''}${tail[c] ?? ''}${amount}${kept.length > 0 ? '' : '\n'}`);
      this.suffixes.set(key, bytes);
    }
    return bytes;
  }

  /** Table rows [from, to), in a buffer of their own. */
  rows(from: number, to: number): Uint8Array {
    const { ids, statusIndex, cellOf, extraCent, kept } = this.src;
    const encoder = this.encoder;
    const hasKept = kept.length > 0;
    const idBytes = ids.bytes;
    let out = new Uint8Array(Math.max(256, Math.ceil((to - from) * this.bytesPerRow * 1.125)));
    let pos = 0;
    for (let row = from; row < to; row++) {
      const idStart = ids.start(row);
      const idEnd = ids.end(row);
      const suffix = this.suffixOf(cellOf[row] as number, statusIndex[row] as number, extraCent[row] as number);
      // An id's cell is at most its bytes doubled (quotes) plus a guard and two quotes.
      let need = (idEnd - idStart) * 2 + 3 + suffix.length + 1;
      if (hasKept) for (const col of kept) need += 1 + maxCellBytes(col[row] ?? '');
      if (pos + need > out.length) {
        const bigger = new Uint8Array(Math.max(out.length * 2, pos + need));
        bigger.set(out.subarray(0, pos));
        out = bigger;
      }
      pos = writeIdCell(out, pos, idBytes, idStart, idEnd) ?? writeTextCell(out, pos, ids.get(row), encoder);
      out.set(suffix, pos);
      pos += suffix.length;
      if (hasKept) {
        for (const col of kept) {
          out[pos++] = 0x2c;
          pos = writeTextCell(out, pos, col[row] ?? '', encoder);
        }
        out[pos++] = 0x0a;
      }
    }
    if (to > from) this.bytesPerRow = pos / (to - from);
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

/**
 * Copies a claim id's UTF-8 bytes [start, end) to `pos` when its cell is the id as it is (no
 * formula start, no quote, comma or line break: `textCell` would leave it alone) and returns the
 * new end; undefined when the cell needs a guard or quotes (then `writeTextCell` writes it).
 */
function writeIdCell(out: Uint8Array, pos: number, bytes: Uint8Array, start: number, end: number): number | undefined {
  if (end === start || FORMULA_START_CODES.has(bytes[start] as number)) return undefined;
  for (let i = start; i < end; i++) {
    const c = bytes[i] as number;
    if (c === 0x22 || c === 0x2c || c === 0x0a || c === 0x0d) return undefined;
    out[pos++] = c;
  }
  return pos;
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
