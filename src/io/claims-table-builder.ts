/**
 * The ClaimTable as the rows come in: per row an id, a line and three small indices (class,
 * units, status), plus the `--keep` cells; typed arrays grown by doubling, or sized once from a
 * guess of the row count.
 */
import { ClaimIds, type ClaimTable, type UnitsValue } from '../core/claims.js';

/** Grows a typed array by doubling. */
function grow<T extends Uint32Array | Uint16Array>(a: T, make: (n: number) => T): T {
  const b = make(a.length * 2);
  b.set(a);
  return b;
}

/**
 * The first `n` values: a view when the array is about full (no copy of a million values), a
 * copy when most of it is unused room.
 */
function fitted<T extends Uint32Array | Uint16Array>(a: T, n: number): T {
  return (n >= a.length - (a.length >> 3) ? a.subarray(0, n) : a.slice(0, n)) as T;
}

export class ClaimTableBuilder {
  /** Rows so far. */
  count = 0;
  readonly ids = new ClaimIds();
  private lines = new Uint32Array(1024);
  private classIndex = new Uint16Array(1024);
  private unitsIndex = new Uint32Array(1024);
  private statusIndex = new Uint16Array(1024);
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
    const resize = <T extends Uint32Array | Uint16Array>(a: T, make: (k: number) => T): T => {
      const b = make(n);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.lines = resize(this.lines, (k) => new Uint32Array(k));
    this.classIndex = resize(this.classIndex, (k) => new Uint16Array(k));
    this.unitsIndex = resize(this.unitsIndex, (k) => new Uint32Array(k));
    this.statusIndex = resize(this.statusIndex, (k) => new Uint16Array(k));
    this.ids.reserve(n);
    return true;
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
      this.classIndex = grow(this.classIndex, (k) => new Uint16Array(k));
      this.unitsIndex = grow(this.unitsIndex, (k) => new Uint32Array(k));
      this.statusIndex = grow(this.statusIndex, (k) => new Uint16Array(k));
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
