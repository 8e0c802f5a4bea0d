/**
 * The ClaimTable as the rows come in: per row an id, a line and three small indices (class,
 * units, status), plus the `--keep` cells; typed arrays grown by doubling, or sized once from a
 * guess of the row count. The indices take one byte a row until an index past 255 comes, then
 * two, then four (`widened`).
 */
import { ClaimIds, type ClaimTable, type RowIndexArray, type UnitsValue } from '../core/claims.js';

/** Grows a typed array by doubling. */
function grow<T extends RowIndexArray>(a: T, make: (n: number) => T): T {
  const b = make(a.length * 2);
  b.set(a);
  return b;
}

/** An array of the same length as `a` and the same first `count` values, of the width the index `value` needs. */
function widened(a: RowIndexArray, count: number, value: number): RowIndexArray {
  const b = value <= 0xffff ? new Uint16Array(a.length) : new Uint32Array(a.length);
  b.set(a.subarray(0, count));
  return b;
}

/** The largest index an array holds. */
const limitOf = (a: RowIndexArray): number => (a.BYTES_PER_ELEMENT === 1 ? 0xff : a.BYTES_PER_ELEMENT === 2 ? 0xffff : 0xffffffff);

/** A zeroed array of the type of `a`, of length `n`. */
const sameType = (a: RowIndexArray, n: number): RowIndexArray =>
  a instanceof Uint8Array ? new Uint8Array(n) : a instanceof Uint16Array ? new Uint16Array(n) : new Uint32Array(n);

/**
 * The first `n` values: a view when the array is about full (no copy of a million values), a
 * copy when most of it is unused room.
 */
function fitted<T extends RowIndexArray>(a: T, n: number): T {
  return (n >= a.length - (a.length >> 3) ? a.subarray(0, n) : a.slice(0, n)) as T;
}

export class ClaimTableBuilder {
  /** Rows so far. */
  count = 0;
  /** In shared memory from the start: the ledger's workers read them without a copy (shared-rows.ts). */
  readonly ids = new ClaimIds(1024, 12, { shared: true });
  private lines = new Uint32Array(1024);
  private classIndex: RowIndexArray = new Uint8Array(1024);
  private unitsIndex: RowIndexArray = new Uint8Array(1024);
  private statusIndex: RowIndexArray = new Uint8Array(1024);
  /** The largest index each of the three holds now. */
  private classLimit = 0xff;
  private unitsLimit = 0xff;
  private statusLimit = 0xff;
  /** The `--keep` columns: name and index in the record; their cells, one list per column. */
  private keepCols: ReadonlyArray<readonly [name: string, index: number]> = [];
  private kept: string[][] = [];

  /** The columns to carry (known once the header is read). */
  keep(columns: ReadonlyArray<readonly [name: string, index: number]>): void {
    this.keepCols = columns;
    this.kept = columns.map(() => []);
  }

  /** Room for `n` rows in all; false when there is room already. */
  reserve(n: number): boolean {
    if (n <= this.lines.length) return false;
    const resize = <T extends RowIndexArray>(a: T, make: (k: number) => T): T => {
      const b = make(n);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.lines = resize(this.lines, (k) => new Uint32Array(k));
    this.classIndex = resize(this.classIndex, (k) => sameType(this.classIndex, k));
    this.unitsIndex = resize(this.unitsIndex, (k) => sameType(this.unitsIndex, k));
    this.statusIndex = resize(this.statusIndex, (k) => sameType(this.statusIndex, k));
    this.ids.reserve(n);
    return true;
  }

  /** The status index of row `row` (into the statuses given to `build`). */
  statusOf(row: number): number {
    return this.statusIndex[row] as number;
  }

  /** The line of row `row`. */
  lineOf(row: number): number {
    return this.lines[row] as number;
  }

  /** Appends a row; `fields` is the record, for the `--keep` cells. Returns its index. */
  push(id: string, line: number, classIndex: number, unitsIndex: number, statusIndex: number, fields: readonly string[]): number {
    const n = this.count;
    if (n === this.lines.length) {
      this.lines = grow(this.lines, (k) => new Uint32Array(k));
      this.classIndex = grow(this.classIndex, (k) => sameType(this.classIndex, k));
      this.unitsIndex = grow(this.unitsIndex, (k) => sameType(this.unitsIndex, k));
      this.statusIndex = grow(this.statusIndex, (k) => sameType(this.statusIndex, k));
    }
    if (classIndex > this.classLimit) {
      this.classIndex = widened(this.classIndex, n, classIndex);
      this.classLimit = limitOf(this.classIndex);
    }
    if (unitsIndex > this.unitsLimit) {
      this.unitsIndex = widened(this.unitsIndex, n, unitsIndex);
      this.unitsLimit = limitOf(this.unitsIndex);
    }
    if (statusIndex > this.statusLimit) {
      this.statusIndex = widened(this.statusIndex, n, statusIndex);
      this.statusLimit = limitOf(this.statusIndex);
    }
    this.ids.push(id);
    this.lines[n] = line;
    this.classIndex[n] = classIndex;
    this.unitsIndex[n] = unitsIndex;
    this.statusIndex[n] = statusIndex;
    for (let k = 0; k < this.keepCols.length; k++) {
      (this.kept[k] as string[]).push(fields[(this.keepCols[k] as readonly [string, number])[1]] as string);
    }
    this.count = n + 1;
    return n;
  }

  /** The table, with the distinct units and statuses the indices point into. */
  build(units: UnitsValue[], statuses: string[]): ClaimTable {
    const n = this.count;
    const kept = new Map<string, string[]>();
    this.keepCols.forEach(([name], k) => kept.set(name, this.kept[k] as string[]));
    return {
      count: n,
      ids: this.ids,
      lines: fitted(this.lines, n),
      classIndex: fitted(this.classIndex, n),
      unitsIndex: fitted(this.unitsIndex, n),
      units,
      statusIndex: fitted(this.statusIndex, n),
      statuses,
      kept,
    };
  }
}
