/**
 * The allocation (docs/spec.md §3 and §4): plan + claims in, every claim's outcome and cents out.
 *
 * Built for millions of rows: the rows are grouped into cells (equal class, units, eligibility;
 * see points.ts), each pool is solved on its distinct points values (waterfill.ts), floors and
 * remainders are computed once per cell, and a row is touched only to find its cell and, for the
 * one remainder value at which the leftover cents run out, to hash its claim id for the tie-break.
 * Per-row results are typed arrays; everything else is per cell, per pool or per class.
 */
import { RAT_ZERO, RationalSum, ratFloor, type Rational } from './decimal.js';
import { awardRemainderCents, settleCell, unpaidCents, type CellCents, type CentCell, type TieSet } from './cell-cents.js';
import { computeNetFund, type NetFund } from './fund.js';
import type { ClaimTable } from './claims.js';
import type { Cents } from './money.js';
import type { Plan, Rounding } from './plan.js';
import { buildCells, claimPoints, type Cells } from './points.js';
import { roundingMethod } from './rounding/index.js';
import { splitPools, type PoolSplit } from './pools.js';
import { solvePool, type GroupOutcome, type PoolRules } from './waterfill.js';
import { countOf } from './display-numbers.js';

/** A claim's outcome in the ledger (docs/spec.md §3 and §5). */
export type Outcome = GroupOutcome | 'ineligible';

/** The claims of one (class, units, eligibility): same points, same share, same floor. */
export interface AllocationCell extends CentCell<Outcome> {
  classIndex: number;
  /** Index into `claims.units`. */
  unitsIndex: number;
  eligible: boolean;
  /** The pool the class belongs to (index into `Allocation.pools`). */
  pool: number;
  /** Points per claim (not in lowest terms). */
  points: Rational;
}

export interface PoolSummary {
  /** Pools mode: the class whose pool this is; weights mode: null (one pool for all classes). */
  classIndex: number | null;
  /** net × poolPercent / 100 before the pools' cents were split (weights mode: net). */
  exactNet: Rational;
  /** The pool's cents. */
  net: Cents;
  /** Pools mode: whether this pool received a leftover cent when net was split. */
  splitCent: boolean;
  eligibleClaims: number;
  eligiblePoints: Rational;
  /** Claims paid (outcome `paid` or `capped`) and their points. */
  paidClaims: number;
  paidPoints: Rational;
  cappedClaims: number;
  belowMinimumClaims: number;
  /** λ, cents per point (see PoolSolution.level). */
  level: Rational | null;
  /** Per-point rounding: v, cents per point. */
  pointValue: Rational | null;
  paid: Cents;
  residual: Cents;
  /** Leftover cents placed by the remainder rule (K of docs/spec.md §4a; 0 under per-point). */
  centsPlaced: bigint;
  tie: TieSet | null;
}

export interface ClassSummary {
  classIndex: number;
  id: string;
  claims: number;
  eligible: number;
  /** Claims with outcome `paid` or `capped`. */
  paid: number;
  capped: number;
  belowMinimum: number;
  ineligible: number;
  /** Σ points of the eligible claims, and of the paid ones. */
  eligiblePoints: Rational;
  paidPoints: Rational;
  amountPaid: Cents;
  /** Smallest and largest amount among the paid claims (null when none). */
  smallest: Cents | null;
  largest: Cents | null;
}

export interface Allocation extends CellCents<AllocationCell> {
  seed: string;
  rounding: Rounding;
  fund: NetFund;
  pools: PoolSummary[];
  classes: ClassSummary[];
  totalPaid: Cents;
  /** net − totalPaid: pools without claims, money above the caps, claims all below the minimum, per-point rests. */
  residual: Cents;
  /** Σ of the pools' centsPlaced. */
  centsPlaced: bigint;
}

/** The net fund of a plan that has passed parsePlan (which refuses deductions above the fund). */
export function netFundOf(plan: Plan): NetFund {
  const fund = computeNetFund(plan);
  if ('problem' in fund) throw new RangeError(fund.problem.message);
  return fund;
}

export function poolRules(plan: Plan): PoolRules {
  return {
    cap: plan.maximumPayment,
    minimum: plan.minimumPayment,
    perPointDecimals: roundingMethod(plan.rounding).pointValueDecimals(plan.rounding),
  };
}

export interface AllocateOptions {
  /**
   * Per row of `claims`, the first 32 bits of `tieKey(claims.ids[row])` (its first 8 hex digits
   * as a number), when computed ahead, e.g. on another thread while the file was read. The tie
   * set is then ranked by these; full keys are still computed for the rows at the cut-off, and a
   * prefix that disagrees with its key is an error. Rows whose status the plan does not pay are in
   * no tie set, and their entries are never read (the reader leaves them 0).
   */
  tieKeyPrefixes?: Uint32Array | undefined;
  /**
   * The table's cells (`buildCells`) for this plan's classes and eligible statuses, when made
   * already: the claims reader makes them for its statistics (ReadClaimsOptions.cells), and a
   * million rows take ~15–20 ms to group again. Taken as they are (the allocation's `cellOf` is
   * theirs), once checked to be those `buildCells` made for this very plan and table.
   */
  cells?: Cells | undefined;
}

/**
 * Allocates the net fund of `plan` over `claims`. `tieKey(id)` is the tie-break key of docs/spec.md §4a,
 * lowercase hex SHA-256 of `seed + ":" + id` (the CLI passes `tieKeyer(plan.seed)`); it is applied
 * to class ids for the pools' split and to claim ids for the tie set.
 */
export function allocate(plan: Plan, claims: ClaimTable, tieKey: (id: string) => string, options: AllocateOptions = {}): Allocation {
  const prefixes = options.tieKeyPrefixes;
  if (prefixes !== undefined && prefixes.length !== claims.count) {
    throw new RangeError(`tieKeyPrefixes: ${countOf(prefixes.length, 'prefix', 'prefixes')} for ${countOf(claims.count, 'row')}`);
  }
  const fund = netFundOf(plan);
  const given = options.cells;
  // Cells of another table of the same size, or of this one under another plan, would change amounts.
  if (given !== undefined && (given.builtFor?.plan !== plan || given.builtFor?.claims !== claims)) {
    throw new RangeError('cells: made for another table or plan than the one allocated');
  }
  const table = given ?? buildCells(plan, claims);
  if (table.cellOf.length !== claims.count) throw new RangeError(`cells: ${countOf(table.cellOf.length, 'row')} for ${countOf(claims.count, 'row')}`);
  const nCells = table.count.length;
  const splits: PoolSplit[] = splitPools(plan, fund.net, tieKey);
  const poolOfClass = (c: number): number => (plan.mode === 'pools' ? c : 0);
  const rules = poolRules(plan);
  const rounding = roundingMethod(plan.rounding);

  const cells: AllocationCell[] = [];
  const poolCells: number[][] = splits.map(() => []);
  for (let c = 0; c < nCells; c++) {
    const classIndex = table.classIndex[c]!;
    const unitsValue = claims.units[table.unitsIndex[c]!]!.value;
    const pool = poolOfClass(classIndex);
    const eligible = table.eligible[c]!;
    if (eligible) poolCells[pool]!.push(c);
    cells.push({
      classIndex,
      unitsIndex: table.unitsIndex[c]!,
      eligible,
      pool,
      points: claimPoints(plan, classIndex, unitsValue),
      ...unpaidCents<Outcome>(table.count[c]!, 'ineligible'),
    });
  }

  const mode = new Uint8Array(nCells);
  const pools: PoolSummary[] = splits.map((split, p) => {
    const members = poolCells[p]!;
    const solution = solvePool(
      split.net,
      members.map((c) => ({ points: cells[c]!.points, count: BigInt(cells[c]!.count) })),
      rules,
    );
    let floors = 0n;
    let eligibleClaims = 0;
    members.forEach((c, i) => {
      const cell = cells[c]!;
      const s = solution.shares[i]!;
      floors += settleCell(cell, s, s.perPointAmount ?? ratFloor(s.share), rounding);
      eligibleClaims += cell.count;
    });
    const { centsPlaced, tie } = rounding.placeCents(members, cells, solution.exactTotal, floors, mode);
    const paid = floors + centsPlaced;
    const cappedClaims = Number(solution.cappedClaims);
    const belowMinimumClaims = Number(solution.belowMinimumClaims);
    return {
      classIndex: split.classIndex,
      exactNet: split.exact,
      net: split.net,
      splitCent: split.extraCent,
      eligibleClaims,
      eligiblePoints: solution.eligiblePoints,
      paidClaims: eligibleClaims - belowMinimumClaims,
      paidPoints: solution.paidPoints,
      cappedClaims,
      belowMinimumClaims,
      level: solution.level,
      pointValue: solution.pointValue,
      paid,
      residual: split.net - paid,
      centsPlaced,
      // the cut-off key is filled in by the row pass that settles the tie set
      tie: tie && { ...tie, cutoffKey: '' },
    };
  });

  const { extraCent, cutoffKeys } = awardRemainderCents(
    claims.count,
    table.cellOf,
    cells,
    mode,
    Uint32Array.from(cells, (c) => c.pool),
    pools.map((p) => p.tie),
    (row) => tieKey(claims.ids.get(row)),
    prefixes && ((row) => prefixes[row]!),
  );
  pools.forEach((p, i) => {
    if (p.tie) p.tie.cutoffKey = cutoffKeys[i]!;
  });

  const totalPaid = pools.reduce((a, p) => a + p.paid, 0n);
  return {
    seed: plan.seed,
    rounding: plan.rounding,
    fund,
    cellOf: table.cellOf,
    extraCent,
    cells,
    pools,
    classes: summariseClasses(plan, cells),
    totalPaid,
    residual: fund.net - totalPaid,
    centsPlaced: pools.reduce((a, p) => a + p.centsPlaced, 0n),
  };
}

function summariseClasses(plan: Plan, cells: readonly AllocationCell[]): ClassSummary[] {
  const sums = plan.classes.map(() => ({ eligible: new RationalSum(), paid: new RationalSum() }));
  const out: ClassSummary[] = plan.classes.map((c, i) => ({
    classIndex: i,
    id: c.id,
    claims: 0,
    eligible: 0,
    paid: 0,
    capped: 0,
    belowMinimum: 0,
    ineligible: 0,
    eligiblePoints: RAT_ZERO,
    paidPoints: RAT_ZERO,
    amountPaid: 0n,
    smallest: null,
    largest: null,
  }));
  const consider = (s: ClassSummary, amount: Cents): void => {
    if (s.smallest === null || amount < s.smallest) s.smallest = amount;
    if (s.largest === null || amount > s.largest) s.largest = amount;
  };
  for (const cell of cells) {
    const s = out[cell.classIndex]!;
    const sum = sums[cell.classIndex]!;
    const count = BigInt(cell.count);
    s.claims += cell.count;
    if (cell.eligible) {
      s.eligible += cell.count;
      sum.eligible.add(cell.points, count);
    }
    switch (cell.outcome) {
      case 'ineligible':
        s.ineligible += cell.count;
        break;
      case 'below_minimum':
        s.belowMinimum += cell.count;
        break;
      case 'paid':
      case 'capped': {
        if (cell.outcome === 'capped') s.capped += cell.count;
        s.paid += cell.count;
        sum.paid.add(cell.points, count);
        s.amountPaid += cell.floor * count + BigInt(cell.extraCount);
        // With remainder cents a cell pays floor to some rows and floor + 1 to others.
        if (cell.extraCount < cell.count) consider(s, cell.floor);
        if (cell.extraCount > 0) consider(s, cell.floor + 1n);
        break;
      }
    }
  }
  out.forEach((s, i) => {
    s.eligiblePoints = sums[i]!.eligible.value();
    s.paidPoints = sums[i]!.paid.value();
  });
  return out;
}
