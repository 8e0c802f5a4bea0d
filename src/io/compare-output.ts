/**
 * The files of `payout compare`: the per-claim diff CSV (claim_id,class,amount_a,amount_b,change,
 * one row per claim in input order; two bucket plans: claim_id,buckets,…; a bucket plan and a plan
 * of classes: claim_id,class_a,buckets_b,… or claim_id,buckets_a,class_b,…) and the HTML page, all
 * or none (io/output-files.ts).
 */
import type { Allocation } from '../core/allocate.js';
import { amountOf } from '../core/cell-cents.js';
import type { ClaimTable } from '../core/claims.js';
import { textCell } from '../core/csv-cell.js';
import { formatMoney, type Cents } from '../core/money.js';
import { writeOutputFiles, type OutputTarget } from './output-files.js';

export const DIFF_COLUMNS = ['claim_id', 'class', 'amount_a', 'amount_b', 'change'] as const;
/** Two bucket plans: the second column names the buckets a claim is paid from under A or B. */
export const BUCKET_DIFF_COLUMNS = ['claim_id', 'buckets', 'amount_a', 'amount_b', 'change'] as const;

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

/** The diff rows of any two plans, row by row: what the CSV writes. */
export interface DiffRows {
  columns: readonly string[];
  count: number;
  claimId(row: number): string;
  group(row: number): string;
  /** A second group column (a bucket plan against a plan of classes: the claim's group under B). */
  group2?(row: number): string;
  amountA(row: number): Cents;
  amountB(row: number): Cents;
}

/** A classes comparison's rows as DiffRows. */
export function classDiffRows(rows: CompareRows): DiffRows {
  const { table, classIds, allocA, allocB } = rows;
  return {
    columns: DIFF_COLUMNS,
    count: table.count,
    claimId: (row) => table.ids.get(row),
    group: (row) => classIds[table.classIndex[row] ?? 0] ?? '',
    amountA: (row) => amountOf(allocA, row),
    amountB: (row) => amountOf(allocB, row),
  };
}

/** Writes the asked-for files, all or none; returns their paths. `page` renders the HTML when asked. */
export async function writeCompareFiles(targets: CompareTargets, rows: CompareRows | DiffRows, page: () => Promise<string>): Promise<string[]> {
  const files: OutputTarget[] = [];
  if (targets.outFile !== undefined) files.push({ path: targets.outFile, write: (f) => writeDiffRows(rows, (text) => f.write(text)) });
  if (targets.htmlFile !== undefined) files.push({ path: targets.htmlFile, write: async (f) => f.write(await page()) });
  return files.length === 0 ? [] : writeOutputFiles(files, targets.force);
}

/** The diff CSV's text: the header, then one LF-terminated row per claim. */
export async function writeDiffRows(given: CompareRows | DiffRows, write: (text: string) => Promise<void>): Promise<void> {
  const rows = 'columns' in given ? given : classDiffRows(given);
  const groupCells = new Map<string, string>();
  const groupCell = (g: string): string => {
    let cell = groupCells.get(g);
    if (cell === undefined) groupCells.set(g, (cell = textCell(g)));
    return cell;
  };
  await write(`${rows.columns.join(',')}\n`);
  let chunk = '';
  for (let row = 0; row < rows.count; row++) {
    const a = rows.amountA(row);
    const b = rows.amountB(row);
    const second = rows.group2 === undefined ? '' : `${groupCell(rows.group2(row))},`;
    chunk += `${textCell(rows.claimId(row))},${groupCell(rows.group(row))},${second}${formatMoney(a)},${formatMoney(b)},${formatMoney(b - a)}\n`;
    if (chunk.length >= 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk !== '') await write(chunk);
}
