/**
 * "Why did this claimant get this amount": one claim's path through docs/spec.md §3 and §4, from
 * an allocation already made. The rank in a tie set is recomputed on demand by hashing the tie
 * set again: slow for a million ties, but this is for one claim at a time.
 */
import { reduce, type Rational } from './decimal.js';
import type { ClaimTable } from './claims.js';
import type { Cents } from './money.js';
import type { Plan } from './plan.js';
import { amountOf, poolRules, type Allocation, type Outcome, type PoolSummary } from './allocate.js';
import { solvePool, type PointsGroup } from './waterfill.js';

export interface ClaimExplanation {
  row: number;
  claimId: string;
  /** Physical line in the claims file. */
  line: number;
  classId: string;
  unitsText: string;
  status: string;
  eligible: boolean;
  points: Rational;
  outcome: Outcome;
  /** The pool the claim was paid from (weights mode: the one pool). */
  pool: PoolSummary;
  /** Exact share (0 when not paid), the cents before the remainder rule and the remainder. */
  share: Rational;
  floor: Cents;
  remainder: Rational;
  /** Whether the claim received a remainder cent. */
  remainderCent: boolean;
  /** Set when the claim's remainder is the one at which the leftover cents ran out. */
  tie: {
    key: string;
    /** 1-based rank of the claim's key among the tie set (1 = smallest key). */
    rank: number;
    size: number;
    cents: number;
    cutoffKey: string;
  } | null;
  amount: Cents;
  /** Set for a claim removed by the minimum rule (outcome `below_minimum`), else null. */
  minimumStep: MinimumStep | null;
}

/**
 * Where the minimum rule of docs/spec.md §3 removed a claim: "while the claims with the smallest
 * points would get a share below the minimum, remove all claims with that smallest points value".
 */
export interface MinimumStep {
  /** 1-based round: in round k the k-th smallest points value of the pool was the smallest left. */
  step: number;
  /** Rounds that removed a points value (the claim's round is one of them). */
  steps: number;
  /** Claims removed in the claim's round (every claim of the pool with the same points). */
  removedWithIt: number;
  /** The claim's exact share (cents) in its round, with the smaller points values already removed. */
  shareAtStep: Rational;
  /** Per-point rounding: what the claim would have been paid in that round (p × v floored), else null. */
  amountAtStep: Cents | null;
}

/** Recomputes the round of the minimum rule in which the claim of `cellIndex` was removed. */
function minimumStepOf(plan: Plan, alloc: Allocation, cellIndex: number): MinimumStep {
  const cell = alloc.cells[cellIndex]!;
  const pool = alloc.pools[cell.pool]!;
  const members = alloc.cells.filter((c) => c.eligible && c.pool === cell.pool && c.count > 0);
  const cmp = (a: Rational, b: Rational): number => {
    const x = a.n * b.d;
    const y = b.n * a.d;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const distinct = (cells: typeof members): Rational[] => {
    const out: Rational[] = [];
    for (const c of cells) if (!out.some((p) => cmp(p, c.points) === 0)) out.push(c.points);
    return out;
  };
  const smaller = distinct(members.filter((c) => cmp(c.points, cell.points) < 0));
  const removed = distinct(members.filter((c) => c.outcome === 'below_minimum'));
  // The pool as it stood in that round: the claims with smaller points gone, no minimum yet.
  const left = members.filter((c) => cmp(c.points, cell.points) >= 0);
  const groups: PointsGroup[] = left.map((c) => ({ points: c.points, count: BigInt(c.count) }));
  const solution = solvePool(pool.net, groups, { ...poolRules(plan), minimum: null });
  const mine = solution.shares[left.findIndex((c) => cmp(c.points, cell.points) === 0)]!;
  return {
    step: smaller.length + 1,
    steps: removed.length,
    removedWithIt: left.filter((c) => cmp(c.points, cell.points) === 0).reduce((a, c) => a + c.count, 0),
    shareAtStep: reduce(mine.share),
    amountAtStep: mine.perPointAmount,
  };
}

export function explainClaim(
  plan: Plan,
  claims: ClaimTable,
  alloc: Allocation,
  row: number,
  tieKey: (id: string) => string,
): ClaimExplanation {
  if (!(row >= 0 && row < claims.count)) throw new RangeError(`row ${row} is not a claim row`);
  const cellIndex = alloc.cellOf[row]!;
  const cell = alloc.cells[cellIndex]!;
  const pool = alloc.pools[cell.pool]!;
  let tie: ClaimExplanation['tie'] = null;
  if (cell.remainderCent === 'tie' && pool.tie) {
    const key = tieKey(claims.ids.get(row));
    let smaller = 0;
    for (let r = 0; r < claims.count; r++) {
      const other = alloc.cells[alloc.cellOf[r]!]!;
      if (r !== row && other.remainderCent === 'tie' && other.pool === cell.pool) {
        const k = tieKey(claims.ids.get(r));
        if (k < key || (k === key && r < row)) smaller++;
      }
    }
    tie = { key, rank: smaller + 1, size: pool.tie.size, cents: pool.tie.cents, cutoffKey: pool.tie.cutoffKey };
  }
  return {
    row,
    claimId: claims.ids.get(row),
    line: claims.lines[row]!,
    classId: plan.classes[cell.classIndex]!.id,
    unitsText: claims.units[cell.unitsIndex]!.text,
    status: claims.statuses[claims.statusIndex[row]!]!,
    eligible: cell.eligible,
    points: reduce(cell.points),
    outcome: cell.outcome,
    pool,
    share: reduce(cell.share),
    floor: cell.floor,
    remainder: reduce(cell.remainder),
    remainderCent: alloc.extraCent[row] === 1,
    tie,
    amount: amountOf(alloc, row),
    minimumStep: cell.outcome === 'below_minimum' ? minimumStepOf(plan, alloc, cellIndex) : null,
  };
}
