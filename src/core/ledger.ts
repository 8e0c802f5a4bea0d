/**
 * ledger.csv (SPEC section 5): one row per claim in input order,
 * `claim_id,class,units,points,status,outcome,share,amount`, then the `--keep` columns.
 *
 * Everything that is the same for a whole cell (class, units, points, outcome, share, the two
 * possible amounts) is formatted once per cell; per row only the claim id, the status and the
 * kept cells are looked up and joined. This is the hot loop of `allocate` over millions of rows.
 */
import { formatRationalHalfEven } from './decimal.js';
import { formatMoney } from './money.js';
import type { ClaimTable } from './claims.js';
import type { Allocation } from './allocate.js';
import type { Plan } from './plan.js';
import { csvField, textCell } from './csv-cell.js';
import { pointsText } from './summary.js';

export const LEDGER_COLUMNS = ['claim_id', 'class', 'units', 'points', 'status', 'outcome', 'share', 'amount'] as const;

/** The share column: cents → currency units, 6 decimals, half-even; `0.000000` when not paid. */
export function shareText(share: { n: bigint; d: bigint }): string {
  return formatRationalHalfEven({ n: share.n, d: share.d * 100n }, 6);
}

export function ledgerHeader(keep: readonly string[]): string {
  return `${[...LEDGER_COLUMNS, ...keep].map(csvField).join(',')}\n`;
}

/**
 * The ledger's rows as text chunks of about `rowsPerChunk` rows each (the header not included),
 * so the caller can stream them to a file without holding the whole ledger.
 */
export function* ledgerChunks(
  plan: Plan,
  claims: ClaimTable,
  alloc: Allocation,
  keep: readonly string[],
  rowsPerChunk = 16384,
): Generator<string> {
  // Per cell: ",class,units,points," and ",outcome,share," and the two amounts.
  const middle: string[] = [];
  const tail: string[] = [];
  const amount0: string[] = [];
  const amount1: string[] = [];
  for (const cell of alloc.cells) {
    const cls = plan.classes[cell.classIndex]?.id ?? '';
    const units = claims.units[cell.unitsIndex]?.text ?? '';
    middle.push(`,${textCell(cls)},${units},${pointsText(cell.points)},`);
    tail.push(`,${cell.outcome},${shareText(cell.share)},`);
    amount0.push(`${formatMoney(cell.floor)}\n`);
    amount1.push(`${formatMoney(cell.floor + 1n)}\n`);
  }
  const statuses = claims.statuses.map(textCell);
  const keptColumns = keep.map((k) => claims.kept.get(k) ?? []);
  const { ids, statusIndex } = claims;
  const { cellOf, extraCent } = alloc;
  let out = '';
  let inChunk = 0;
  for (let row = 0; row < claims.count; row++) {
    const c = cellOf[row] as number;
    let line = textCell(ids[row] as string) + middle[c] + statuses[statusIndex[row] as number] + tail[c];
    if (keptColumns.length === 0) {
      line += extraCent[row] === 1 ? amount1[c] : amount0[c];
    } else {
      const amount = extraCent[row] === 1 ? amount1[c] : amount0[c];
      line += (amount as string).slice(0, -1);
      for (const col of keptColumns) line += `,${textCell(col[row] ?? '')}`;
      line += '\n';
    }
    out += line;
    if (++inChunk === rowsPerChunk) {
      yield out;
      out = '';
      inChunk = 0;
    }
  }
  if (out) yield out;
}
