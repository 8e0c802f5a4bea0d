/**
 * The files of `payout compare`: the per-claim diff CSV (claim_id,class,amount_a,amount_b,change,
 * one row per claim in input order) and the HTML page. Each is written to a temporary name and
 * renamed only when every asked-for file is complete, so a failed run leaves no half file.
 */
import { basename, dirname } from 'node:path';
import { amountOf, type Allocation } from '../core/allocate.js';
import type { ClaimTable } from '../core/claims.js';
import { textCell } from '../core/csv-cell.js';
import { formatMoney } from '../core/money.js';
import { OutputSet } from './atomic-output.js';

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
  const asked = [targets.outFile, targets.htmlFile].filter((f): f is string => f !== undefined);
  if (asked.length === 0) return [];
  // Refuse to overwrite before any writing; one set per folder, committed together.
  const names = new Map<string, string[]>();
  for (const file of asked) names.set(dirname(file), [...(names.get(dirname(file)) ?? []), basename(file)]);
  const sets = new Map<string, OutputSet>();
  for (const [dir, files] of names) sets.set(dir, await OutputSet.open(dir, files, targets.force));
  try {
    if (targets.outFile !== undefined) {
      const f = sets.get(dirname(targets.outFile))!.create(basename(targets.outFile));
      await writeDiffRows(rows, (text) => f.write(text));
      await f.close();
    }
    if (targets.htmlFile !== undefined) {
      const f = sets.get(dirname(targets.htmlFile))!.create(basename(targets.htmlFile));
      await f.write(await page());
      await f.close();
    }
  } catch (err) {
    for (const set of sets.values()) await set.abort();
    throw err;
  }
  for (const set of sets.values()) await set.commit();
  return asked;
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
