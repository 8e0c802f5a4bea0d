/**
 * `payout verify`, the ledger read back row by row against the ledger the inputs give
 * (docs/spec.md §8): rows missing, extra or listed twice, cells that differ, amounts that are not money.
 * Pure: the command streams the file's rows in; core/verify.ts words the findings.
 */
import { parseMoney, type Cents } from './money.js';


/**
 * A ledger as the inputs give it, for comparison row by row. Cells are compared as text after the
 * ledger reader has removed the formula guards, so `cell` returns the unguarded text. Rows are in
 * input order; a row is found again in the file by its claim id.
 */
export interface ExpectedLedger {
  /** The columns compared, in the ledger's order (any `--keep` columns included). */
  readonly columns: readonly string[];
  /** The column holding the row's key (`claim_id`). */
  readonly idColumn: string;
  /** The money column that is totalled (`amount`). */
  readonly amountColumn: string;
  readonly count: number;
  id(row: number): string;
  /** The text of column `col` (an index into `columns`) in row `row`. */
  cell(row: number, col: number): string;
}

/** One cell that is not what the inputs give. */
export interface RowDifference {
  claimId: string;
  /** The ledger line holding the row. */
  line: number;
  field: string;
  expected: string;
  found: string;
}

export interface LedgerComparison {
  expectedRows: number;
  foundRows: number;
  /** Cells that differ, over all rows, and the rows holding them. */
  differenceCount: number;
  rowsDiffering: number;
  /** Rows whose amount differs. */
  amountsDiffering: number;
  /** The first `maxDiffs` differing cells, in file order. */
  differences: RowDifference[];
  /** Rows the inputs give that the file lacks: how many, and the first `maxDiffs` claim ids (input order). */
  missing: { count: number; claimIds: string[] };
  /** Rows of the file whose claim id the inputs do not have. */
  extra: { count: number; rows: { claimId: string; line: number }[] };
  /** Rows of the file whose claim id came earlier in the file too. */
  duplicates: { count: number; rows: { claimId: string; line: number; firstLine: number }[] };
  /** Whether the rows found come in input order (rows missing or added aside). */
  inOrder: boolean;
  /** Σ of the amount cells of every row of the file, in cents. */
  foundTotal: Cents;
  /** Amount cells that are not money (≥ 0, at most 2 decimals); left out of foundTotal. */
  badAmounts: number;
  /** Every expected row found exactly once with every compared cell equal, and nothing else. */
  rowsMatch: boolean;
  /**
   * How the rows were compared: `rows`, read back cell by cell; `bytes`, the file's bytes are
   * exactly the recomputed ledger's (same SHA-256), so every row is the recomputed one and the
   * file was not parsed.
   */
  comparedBy: 'rows' | 'bytes';
}

/** A comparison before any row is found: nothing differs, nothing found. */
function noDifferences(expectedRows: number, comparedBy: LedgerComparison['comparedBy']): LedgerComparison {
  return {
    expectedRows,
    foundRows: 0,
    differenceCount: 0,
    rowsDiffering: 0,
    amountsDiffering: 0,
    differences: [],
    missing: { count: 0, claimIds: [] },
    extra: { count: 0, rows: [] },
    duplicates: { count: 0, rows: [] },
    inOrder: true,
    foundTotal: 0n,
    badAmounts: 0,
    rowsMatch: false,
    comparedBy,
  };
}

/**
 * Compares the rows of a ledger file, fed one by one with `add`, against the expected ledger.
 *
 * Memory stays per row small for a million rows: one Uint32Array (the line each expected row was
 * found on). A file in input order is matched by walking the expected rows alongside; only when a
 * row is out of step (re-sorted, deleted or added) is a Map from claim id to row built, once.
 */
export class LedgerComparer {
  readonly #expected: ExpectedLedger;
  readonly #maxDiffs: number;
  readonly #foundLine: Uint32Array;
  #byId: Map<string, number> | undefined;
  #cursor = 0;
  #lastRow = -1;
  readonly #amountCol: number;
  /** Where each expected column is in the file's rows (-1: the file lacks it). */
  #at: Int32Array;
  #idAt: number;
  #amountAt: number;
  readonly #result: LedgerComparison;

  constructor(expected: ExpectedLedger, maxDiffs: number) {
    this.#expected = expected;
    this.#maxDiffs = maxDiffs;
    this.#foundLine = new Uint32Array(expected.count);
    this.#amountCol = expected.columns.indexOf(expected.amountColumn);
    this.#at = Int32Array.from(expected.columns, (_, i) => i);
    this.#idAt = expected.columns.indexOf(expected.idColumn);
    this.#amountAt = this.#amountCol;
    this.#result = noDifferences(expected.count, 'rows');
  }

  #rowOf(id: string): number | undefined {
    const e = this.#expected;
    if (this.#cursor < e.count && e.id(this.#cursor) === id) return this.#cursor;
    if (this.#byId === undefined) {
      this.#byId = new Map();
      for (let row = 0; row < e.count; row++) this.#byId.set(e.id(row), row);
    }
    return this.#byId.get(id);
  }

  /** The file's header (trimmed): rows given to {@link add} have their cells in this order. By default, the expected columns. */
  columns(found: readonly string[]): void {
    const e = this.#expected;
    this.#at = Int32Array.from(e.columns, (c) => found.indexOf(c));
    this.#idAt = found.indexOf(e.idColumn);
    this.#amountAt = found.indexOf(e.amountColumn);
  }

  /** One row of the file: its line and its cells in the order given to {@link columns} (formula guards removed). */
  add(line: number, fields: readonly string[]): void {
    const e = this.#expected;
    const r = this.#result;
    const max = this.#maxDiffs;
    r.foundRows++;
    const amountText = fields[this.#amountAt] ?? '';
    const cents = parseMoney(amountText);
    if (cents === undefined) r.badAmounts++;
    else r.foundTotal += cents;

    const id = fields[this.#idAt] ?? '';
    const row = this.#rowOf(id);
    if (row === undefined) {
      r.extra.count++;
      if (r.extra.rows.length < max) r.extra.rows.push({ claimId: id, line });
      return;
    }
    const firstLine = this.#foundLine[row]!;
    if (firstLine !== 0) {
      r.duplicates.count++;
      if (r.duplicates.rows.length < max) r.duplicates.rows.push({ claimId: id, line, firstLine });
      return;
    }
    this.#foundLine[row] = line;
    this.#cursor = row + 1;
    if (row < this.#lastRow) r.inOrder = false;
    this.#lastRow = row;

    let differs = false;
    const columns = e.columns;
    const at = this.#at;
    for (let col = 0; col < columns.length; col++) {
      const expected = e.cell(row, col);
      const found = fields[at[col]!] ?? '';
      if (found === expected) continue;
      differs = true;
      r.differenceCount++;
      if (col === this.#amountCol) r.amountsDiffering++;
      if (r.differences.length < max) r.differences.push({ claimId: id, line, field: columns[col]!, expected, found });
    }
    if (differs) r.rowsDiffering++;
  }

  /**
   * The comparison of a file whose bytes are exactly the recomputed ledger's: every expected row
   * is found once, in order, cell for cell; the total is the sum of the expected amounts.
   */
  static identical(expected: ExpectedLedger): LedgerComparison {
    const amountCol = expected.columns.indexOf(expected.amountColumn);
    const centsOf = new Map<string, Cents | undefined>();
    let total = 0n;
    let badAmounts = 0;
    for (let row = 0; row < expected.count; row++) {
      const text = expected.cell(row, amountCol);
      let cents = centsOf.get(text);
      if (cents === undefined && !centsOf.has(text)) centsOf.set(text, (cents = parseMoney(text)));
      if (cents === undefined) badAmounts++;
      else total += cents;
    }
    return { ...noDifferences(expected.count, 'bytes'), foundRows: expected.count, foundTotal: total, badAmounts, rowsMatch: badAmounts === 0 };
  }

  /** The comparison, once every row of the file has been added. */
  finish(): LedgerComparison {
    const r = this.#result;
    const e = this.#expected;
    for (let row = 0; row < e.count; row++) {
      if (this.#foundLine[row] !== 0) continue;
      r.missing.count++;
      if (r.missing.claimIds.length < this.#maxDiffs) r.missing.claimIds.push(e.id(row));
    }
    r.rowsMatch = r.differenceCount === 0 && r.missing.count === 0 && r.extra.count === 0 && r.duplicates.count === 0 && r.badAmounts === 0;
    return r;
  }
}
