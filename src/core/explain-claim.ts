/**
 * "Why did this claimant get this amount": one claim's path through SPEC sections 3 and 4, from
 * an allocation already made. The rank in a tie set is recomputed on demand by hashing the tie
 * set again: slow for a million ties, but this is for one claim at a time.
 */
import { reduce, type Rational } from './decimal.js';
import type { ClaimTable } from './claims.js';
import type { Cents } from './money.js';
import type { Plan } from './plan.js';
import { amountOf, type Allocation, type Outcome, type PoolSummary } from './allocate.js';

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
    const key = tieKey(claims.ids[row]!);
    let smaller = 0;
    for (let r = 0; r < claims.count; r++) {
      const other = alloc.cells[alloc.cellOf[r]!]!;
      if (r !== row && other.remainderCent === 'tie' && other.pool === cell.pool) {
        const k = tieKey(claims.ids[r]!);
        if (k < key || (k === key && r < row)) smaller++;
      }
    }
    tie = { key, rank: smaller + 1, size: pool.tie.size, cents: pool.tie.cents, cutoffKey: pool.tie.cutoffKey };
  }
  return {
    row,
    claimId: claims.ids[row]!,
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
  };
}
