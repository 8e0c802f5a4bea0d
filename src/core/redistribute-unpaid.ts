/**
 * Why claims of a second round (docs/spec.md §6) were paid nothing, counted by reason, for the
 * terminal's "Not paid" line: the uncashed, those not paid in the first round and those below the
 * minimum are summary.json's counts; the claims paid 0.00 by the cap (no room left under the
 * maximum over both rounds) or by the cents rule (a share under one cent), which summary.json does
 * not tell apart, are counted from the round's cells. The same reasons as the report's table
 * (core/round2-report-model.ts), which counts them from the ledger.
 */
import type { RedistributionCountsJson } from './redistribute-output.js';
import type { RedistributionCell } from './redistribute.js';

export interface RoundTwoUnpaid {
  /** Claims paid 0.00: summary.json's claims less those paid above 0. */
  claims: number;
  /** Did not cash the first payment (outcome `uncashed`). */
  uncashed: number;
  /** Not paid in the first round (outcome `ineligible`). */
  notPaidFirstRound: number;
  /** Below the minimum payment (outcome `below_minimum`). */
  belowMinimum: number;
  /** Outcome `capped` at 0.00: no room under the maximum payment over both rounds. */
  cappedToZero: number;
  /** Outcome `paid` at 0.00: a share under one cent. */
  roundedToZero: number;
}

/** The counts, from summary.json's totals and the round's cells (Redistribution.cells). */
export function roundTwoUnpaid(
  totals: Pick<RedistributionCountsJson, 'claims' | 'paid' | 'uncashed' | 'ineligible' | 'belowMinimum'>,
  cells: readonly Pick<RedistributionCell, 'count' | 'outcome' | 'floor' | 'extraCount'>[],
): RoundTwoUnpaid {
  let cappedToZero = 0;
  let roundedToZero = 0;
  for (const cell of cells) {
    // A cell's rows are paid `floor`, and one cent more for the extraCount rows that got a remainder cent.
    if (cell.floor !== 0n) continue;
    if (cell.outcome === 'capped') cappedToZero += cell.count - cell.extraCount;
    else if (cell.outcome === 'paid') roundedToZero += cell.count - cell.extraCount;
  }
  return {
    claims: totals.claims - totals.paid,
    uncashed: totals.uncashed,
    notPaidFirstRound: totals.ineligible,
    belowMinimum: totals.belowMinimum,
    cappedToZero,
    roundedToZero,
  };
}
