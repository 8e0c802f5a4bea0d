/**
 * Points and cells (docs/spec.md §3). A million claims hold only a handful of distinct
 * (class, units, eligibility) combinations; every claim of such a "cell" has the same points, the
 * same share and the same floor, so the allocation works per cell and touches each row only to
 * find its cell.
 */
import { pow10, type Dec, type Rational } from './decimal.js';
import type { ClaimTable } from './claims.js';
import type { Plan } from './plan.js';

/**
 * A claim's points: weights mode `weight(class) × units`, pools mode `units` (the pool already
 * carries the class's percent). Exact; not in lowest terms (the denominator is a power of ten
 * times the weight's denominator, which keeps sums cheap).
 */
export function claimPoints(plan: Pick<Plan, 'mode' | 'classes'>, classIndex: number, units: Dec): Rational {
  const u: Rational = { n: units.n, d: pow10(units.scale) };
  if (plan.mode === 'pools') return u;
  const weight = plan.classes[classIndex]?.weight;
  if (weight === undefined) throw new RangeError(`class ${classIndex} has no weight in a weights-mode plan`);
  return { n: weight.n * u.n, d: weight.d * u.d };
}

/** Whether each distinct status (already trimmed and lower-cased by the reader) is eligible. */
export function eligibleStatusFlags(plan: Pick<Plan, 'eligibleStatuses'>, statuses: readonly string[]): Uint8Array {
  const eligible = new Set(plan.eligibleStatuses.map((s) => s.trim().toLowerCase()));
  return Uint8Array.from(statuses, (s) => (eligible.has(s.trim().toLowerCase()) ? 1 : 0));
}

/** The cells of a claims table, in order of first appearance, and each row's cell. */
export interface Cells {
  /** Row → cell index. */
  cellOf: Uint32Array;
  classIndex: number[];
  unitsIndex: number[];
  eligible: boolean[];
  /** Number of rows in each cell. */
  count: number[];
  /** The plan and the table they were grouped for: cells handed to `allocate` must be this table's, under this plan. */
  readonly builtFor?: { readonly plan: unknown; readonly claims: unknown };
}

/** Key spaces up to this size use a dense lookup array instead of a Map. */
const DENSE_LIMIT = 1 << 22;

/**
 * Groups the rows into cells. Per row: three typed-array reads, one integer key, one lookup.
 */
export function buildCells(plan: Pick<Plan, 'classes' | 'eligibleStatuses'>, claims: ClaimTable): Cells {
  const rows = claims.count;
  const nClasses = plan.classes.length;
  const nUnits = claims.units.length;
  const statusOk = eligibleStatusFlags(plan, claims.statuses);
  const { classIndex: ci, unitsIndex: ui, statusIndex: si } = claims;

  const cells: Cells = { cellOf: new Uint32Array(rows), classIndex: [], unitsIndex: [], eligible: [], count: [], builtFor: { plan, claims } };
  const { cellOf, count } = cells;
  const addCell = (c: number, u: number, e: number): number => {
    cells.classIndex.push(c);
    cells.unitsIndex.push(u);
    cells.eligible.push(e === 1);
    count.push(0);
    return count.length - 1;
  };
  // The reader guarantees these; a wrong index would silently merge two cells, so check anyway.
  const check = (row: number, c: number, u: number): void => {
    if (c >= nClasses) throw new RangeError(`row ${row}: class index ${c} is not a class of the plan`);
    if (u >= nUnits) throw new RangeError(`row ${row}: units index ${u} is not in the units table`);
  };
  const statusFlag = (row: number): number => {
    const f = statusOk[si[row]!];
    if (f === undefined) throw new RangeError(`row ${row}: status index ${si[row]!} is not in the status table`);
    return f;
  };

  // key = (units × classes + class) × 2 + eligible; dense when the key space is small.
  const keySpace = nUnits * nClasses * 2;
  if (keySpace <= Math.max(DENSE_LIMIT, 2 * rows)) {
    const dense = new Int32Array(keySpace).fill(-1);
    for (let row = 0; row < rows; row++) {
      const c = ci[row]!;
      const u = ui[row]!;
      const e = statusFlag(row);
      if (c >= nClasses || u >= nUnits) check(row, c, u);
      const key = (u * nClasses + c) * 2 + e;
      let cell = dense[key]!;
      if (cell < 0) {
        cell = addCell(c, u, e);
        dense[key] = cell;
      }
      cellOf[row] = cell;
      count[cell]!++;
    }
  } else {
    const sparse = new Map<number, number>();
    for (let row = 0; row < rows; row++) {
      const c = ci[row]!;
      const u = ui[row]!;
      const e = statusFlag(row);
      if (c >= nClasses || u >= nUnits) check(row, c, u);
      const key = (u * nClasses + c) * 2 + e;
      let cell = sparse.get(key);
      if (cell === undefined) {
        cell = addCell(c, u, e);
        sparse.set(key, cell);
      }
      cellOf[row] = cell;
      count[cell]!++;
    }
  }
  return cells;
}
