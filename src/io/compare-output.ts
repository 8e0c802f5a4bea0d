/**
 * The files of `payout compare`: the per-claim diff CSV (claim_id,class,amount_a,amount_b,change,
 * one row per claim in input order) and the HTML page, all or none (io/output-files.ts).
 */
import type { Allocation } from '../core/allocate.js';
import { amountOf } from '../core/cell-cents.js';
import type { ClaimTable } from '../core/claims.js';
import { textCell } from '../core/csv-cell.js';
import { formatMoney } from '../core/money.js';
import { writeOutputFiles, type OutputTarget } from './output-files.js';

export const DIFF_COLUMNS = ['claim_id', 'class', 'amount_a', 'amount_b', 'change'] as const;

export interface CompareTargets {
  outFile?: string | undefined;
  htmlFile?: string | undefined;
  force: boolean;
}

export interface CompareRows {
  table: ClaimTable;
  /** Class ids by the table's class index. */
  classIds: readonly string[];
  allocA: Allocation;
  allocB: Allocation;
}

/** Writes the asked-for files, all or none; returns their paths. `page` renders the HTML when asked. */
export async function writeCompareFiles(targets: CompareTargets, rows: CompareRows, page: () => Promise<string>): Promise<string[]> {
  const files: OutputTarget[] = [];
  if (targets.outFile !== undefined) files.push({ path: targets.outFile, write: (f) => writeDiffRows(rows, (text) => f.write(text)) });
  if (targets.htmlFile !== undefined) files.push({ path: targets.htmlFile, write: async (f) => f.write(await page()) });
  return files.length === 0 ? [] : writeOutputFiles(files, targets.force);
}

/** The diff CSV's text: the header, then one LF-terminated row per claim. */
export async function writeDiffRows(rows: CompareRows, write: (text: string) => Promise<void>): Promise<void> {
  const { table, classIds, allocA, allocB } = rows;
  const classCells = classIds.map(textCell);
  await write(`${DIFF_COLUMNS.join(',')}\n`);
  let chunk = '';
  for (let row = 0; row < table.count; row++) {
    const a = amountOf(allocA, row);
    const b = amountOf(allocB, row);
    chunk += `${textCell(table.ids.get(row))},${classCells[table.classIndex[row] ?? 0] ?? ''},${formatMoney(a)},${formatMoney(b)},${formatMoney(b - a)}\n`;
    if (chunk.length >= 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk !== '') await write(chunk);
}
