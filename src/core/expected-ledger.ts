/**
 * The ledger an allocation gives (docs/spec.md §5), cell by cell, for `payout verify` to compare a
 * ledger.csv with — without writing or holding the ledger's text. As in ledger.ts, every cell that
 * is the same for a whole allocation cell (class, units, points, outcome, share, the two possible
 * amounts) is formatted once; per row only the claim id, the status and the extra cent are looked up.
 * Cells are the text as read back (formula guards removed), so a ledger is compared by content.
 */
import type { Allocation } from './allocate.js';
import type { ClaimTable } from './claims.js';
import { LEDGER_COLUMNS, shareText } from './ledger.js';
import { formatMoney } from './money.js';
import type { Plan } from './plan.js';
import { pointsText } from './summary.js';
import type { ExpectedLedger } from './verify.js';

/** The allocation's ledger: the columns of docs/spec.md §5, then the `keep` columns from the claims. */
export function allocationLedger(plan: Plan, claims: ClaimTable, alloc: Allocation, keep: readonly string[]): ExpectedLedger {
  // Per allocation cell: class, units, points, outcome, share, amount without and with the extra cent.
  const perCell = alloc.cells.map((cell) => [
    plan.classes[cell.classIndex]?.id ?? '',
    claims.units[cell.unitsIndex]?.text ?? '',
    pointsText(cell.points),
    cell.outcome,
    shareText(cell.share),
    formatMoney(cell.floor),
    formatMoney(cell.floor + 1n),
  ]);
  const keptColumns = keep.map((k) => claims.kept.get(k) ?? []);
  const { ids, statusIndex, statuses } = claims;
  const { cellOf, extraCent } = alloc;
  const base = LEDGER_COLUMNS.length;
  return {
    columns: [...LEDGER_COLUMNS, ...keep],
    idColumn: 'claim_id',
    amountColumn: 'amount',
    count: claims.count,
    id: (row) => ids.get(row),
    cell(row, col) {
      switch (col) {
        case 0:
          return ids.get(row);
        case 4:
          return statuses[statusIndex[row]!]!;
        case 7:
          return perCell[cellOf[row]!]![extraCent[row] === 1 ? 6 : 5]!;
        default: {
          if (col >= base) return keptColumns[col - base]?.[row] ?? '';
          // 1 class, 2 units, 3 points, 5 outcome, 6 share
          return perCell[cellOf[row]!]![col < 4 ? col - 1 : col - 2]!;
        }
      }
    },
  };
}
