/**
 * Rows grouped into cells, and their cents: the structure both engines share, the first round
 * (allocate.ts) and the second (redistribute.ts).
 *
 * Every row of a cell has the same exact share, so the same floor; the rounding method marks which
 * cells' rows all get a leftover cent and which cells form the tie set, and one pass over the rows
 * then sets each row's remainder cent, settling the tie set by key (docs/spec.md §4a). A row's amount is
 * its cell's floor plus that cent.
 */
import { pickSmallestKeys, REMAINDER_ALL, REMAINDER_TIE } from './cents.js';
import { RAT_ZERO, type Rational } from './decimal.js';
import type { Cents } from './money.js';
import type { RoundingMethod, RoundingSpec } from './rounding/method.js';

/** How a cell's rows fare under the remainder rule: no cent, all a cent, or decided by key. */
export type RemainderCent = 'none' | 'all' | 'tie';

/** The cents of one cell: what every row of it is paid. */
export interface CentCell<O extends string = string> {
  /** Number of rows. */
  count: number;
  outcome: O;
  /** Exact share per row in cents (docs/spec.md §3); 0 when not paid. Not in lowest terms. */
  share: Rational;
  /**
   * Cents every row of the cell is paid before the remainder rule: floor(share) for largest
   * remainder; for per-point the whole amount. A row's amount is `floor + extraCent[row]`.
   */
  floor: Cents;
  /** share − floor under largest remainder (0 for capped and unpaid rows, and under per-point). */
  remainder: Rational;
  remainderCent: RemainderCent;
  /** Rows of the cell that received a remainder cent. */
  extraCount: number;
}

/** A cell's cents before its share is known: `count` rows, paid nothing. */
export function unpaidCents<O extends string>(count: number, outcome: O): CentCell<O> {
  return { count, outcome, share: RAT_ZERO, floor: 0n, remainder: RAT_ZERO, remainderCent: 'none', extraCount: 0 };
}

/**
 * Gives a cell its solved share and outcome, its floor (`floor`, or the share floored) and its
 * remainder under `rounding`; returns the cents its rows are paid before the remainder rule.
 */
export function settleCell<O extends string>(
  cell: CentCell<O>,
  solved: { outcome: O; share: Rational },
  floor: Cents,
  rounding: RoundingMethod<RoundingSpec>,
): Cents {
  cell.outcome = solved.outcome;
  cell.share = solved.share;
  cell.floor = floor;
  cell.remainder = rounding.remainder(solved.share, floor, solved.outcome === 'paid');
  return floor * BigInt(cell.count);
}

/** Rows grouped into cells, with the rows that received a remainder cent. */
export interface CellCents<C extends CentCell = CentCell> {
  /** Row → index into `cells`. */
  cellOf: Uint32Array;
  /** Row → 1 when the row received a remainder cent. */
  extraCent: Uint8Array;
  cells: C[];
}

/** A row's amount in cents. */
export function amountOf(r: CellCents, row: number): Cents {
  const cell = r.cells[r.cellOf[row]!];
  if (cell === undefined) throw new RangeError(`row ${row} has no cell`);
  return cell.floor + (r.extraCent[row] === 1 ? 1n : 0n);
}

/** The boundary of the remainder rule, when it falls inside a set of equal remainders. */
export interface TieSet {
  /** The remainder shared by the tie set. */
  remainder: Rational;
  /** Rows with that remainder. */
  size: number;
  /** Leftover cents that went to the tie set (0 < cents < size), to the smallest keys. */
  cents: number;
  /** The largest key that received a cent: a tie-set row got one iff its key ≤ this. */
  cutoffKey: string;
}

/**
 * The per-row pass after the rounding method has marked `mode` per cell: a cent to every row of
 * an `all` cell, and each group's tie set settled by key. Groups are what the leftover cents were
 * placed within (the first round's pools; the second round is one group): `groupOfCell[c]` is
 * cell c's, and `ties[g]` group g's tie set (null: none). `keyOf(row)` is the row's tie-break key;
 * `prefixOf(row)`, when given, its first 32 bits computed ahead (see pickSmallestKeys). Returns
 * each row's remainder cent and each group's cut-off key (null without a tie set).
 */
export function awardRemainderCents(
  rows: number,
  cellOf: Uint32Array,
  cells: CentCell[],
  mode: Uint8Array,
  groupOfCell: Uint32Array,
  ties: readonly ({ size: number; cents: number } | null)[],
  keyOf: (row: number) => string,
  prefixOf?: (row: number) => number,
): { extraCent: Uint8Array; cutoffKeys: (string | null)[] } {
  const extraCent = new Uint8Array(rows);
  const cutoffKeys = ties.map((): string | null => null);
  if (!mode.some((m) => m !== 0)) return { extraCent, cutoffKeys };
  const tieRows = ties.map((t) => new Uint32Array(t?.size ?? 0));
  const filled = new Uint32Array(ties.length);
  for (let row = 0; row < rows; row++) {
    const cell = cellOf[row]!;
    const m = mode[cell]!;
    if (m === REMAINDER_ALL) extraCent[row] = 1;
    else if (m === REMAINDER_TIE) {
      const g = groupOfCell[cell]!;
      tieRows[g]![filled[g]!++] = row;
    }
  }
  ties.forEach((tie, g) => {
    if (tie === null) return;
    if (filled[g] !== tie.size) throw new RangeError('internal: tie set size mismatch');
    // docs/spec.md §4a: among equal remainders, the smaller key first.
    cutoffKeys[g] = pickSmallestKeys(
      tieRows[g]!,
      tie.cents,
      keyOf,
      (row) => {
        extraCent[row] = 1;
        cells[cellOf[row]!]!.extraCount++;
      },
      prefixOf,
    );
  });
  return { extraCent, cutoffKeys };
}
