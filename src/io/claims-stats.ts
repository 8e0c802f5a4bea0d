/**
 * What a read claims table holds, per class and per status (`payout validate` prints it). Points
 * and eligibility are core/points.ts's, the same the allocation uses.
 */
import type { ClaimTable } from '../core/claims.js';
import type { Plan } from '../core/plan.js';
import { RationalSum, decToRational, exactDecimal } from '../core/decimal.js';
import { buildCells, claimPoints, eligibleStatusFlags, type Cells } from '../core/points.js';

export interface ClassSummary {
  id: string;
  /** Claim rows of this class that have no errors. */
  claims: number;
  /** Of those, the claims whose status is eligible. */
  eligible: number;
  /** Σ units of the eligible claims (exact decimal text). */
  units: string;
  /** Σ points of the eligible claims: weight × units in weights mode, units in pools mode. */
  points: string;
}

export interface StatusSummary {
  status: string;
  claims: number;
  eligible: boolean;
}

/**
 * Per class: claims, eligible claims, their units and points, exact; per status: claims. Claims
 * with errors are not in the table and not counted. `cells`: the rows' cells it counted them by
 * (core/points.ts `buildCells`, the allocation's: AllocateOptions.cells).
 */
export function summarizeClaims(table: ClaimTable, plan: Plan): { classes: ClassSummary[]; statuses: StatusSummary[]; cells: Cells } {
  const k = plan.classes.length;
  const claims = new Array<number>(k).fill(0);
  const eligible = new Array<number>(k).fill(0);
  const units = Array.from({ length: k }, () => new RationalSum());
  const points = Array.from({ length: k }, () => new RationalSum());
  // A cell is a (class, units, eligibility) combination: a handful for a million claims.
  const cells = buildCells(plan, table);
  for (let cell = 0; cell < cells.count.length; cell++) {
    const c = cells.classIndex[cell] as number;
    const count = cells.count[cell] as number;
    claims[c] = (claims[c] as number) + count;
    if (!cells.eligible[cell]) continue;
    eligible[c] = (eligible[c] as number) + count;
    const value = (table.units[cells.unitsIndex[cell] as number] as ClaimTable['units'][number]).value;
    (units[c] as RationalSum).add(decToRational(value), BigInt(count));
    (points[c] as RationalSum).add(claimPoints(plan, c, value), BigInt(count));
  }
  const classes = plan.classes.map(
    (cls, c): ClassSummary => ({
      id: cls.id,
      claims: claims[c] as number,
      eligible: eligible[c] as number,
      // Units and weights are decimals, so their sums and products are exact decimals.
      units: exactDecimal((units[c] as RationalSum).value()) as string,
      points: exactDecimal((points[c] as RationalSum).value()) as string,
    }),
  );

  const statusEligible = eligibleStatusFlags(plan, table.statuses);
  const statusCount = new Array<number>(table.statuses.length).fill(0);
  for (let i = 0; i < table.count; i++) {
    const s = table.statusIndex[i] as number;
    statusCount[s] = (statusCount[s] as number) + 1;
  }
  // Eligible statuses first, in the plan's order, then the others alphabetically: the same report
  // whatever the order of the rows.
  const rank = (s: StatusSummary): number => (s.eligible ? plan.eligibleStatuses.indexOf(s.status) : plan.eligibleStatuses.length);
  const statuses = table.statuses
    .map((status, s): StatusSummary => ({ status, claims: statusCount[s] as number, eligible: statusEligible[s] === 1 }))
    .filter((s) => s.claims > 0)
    .sort((a, b) => rank(a) - rank(b) || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0));
  return { classes, statuses, cells };
}
