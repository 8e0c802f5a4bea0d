/**
 * Reads a ledger.csv that payout wrote (for verify, explain and redistribute): streamed with
 * csv-parse, formula guards removed (SPEC section 5: a leading `'` added on writing is dropped),
 * every row handed to a callback with its physical line. CRLF line ends, as a spreadsheet saves
 * them, are accepted.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { restoreFormula } from '../core/csv-cell.js';
import { UsageError } from '../cli/errors.js';

export interface LedgerRow {
  /** Physical line on which the row starts (header = line 1). */
  line: number;
  /** Cells by column name, formula guards removed. */
  cells: Record<string, string>;
}

export interface LedgerReadResult {
  columns: string[];
  rows: number;
}

/**
 * Streams `file`, checks that its header has `required` columns, and calls `onRow` for each row.
 * A file that is missing, unreadable or not a CSV is a UsageError naming the file and line.
 */
export async function readLedger(
  file: string,
  required: readonly string[],
  onRow: (row: LedgerRow) => void,
): Promise<LedgerReadResult> {
  const parser = createReadStream(file).pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let columns: string[] | undefined;
  let rows = 0;
  let nextLine = 1;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number; raw?: string } }>) {
      // info.lines is the line on which the record ends; a ledger's quoted cells may hold line breaks.
      const line = nextLine;
      nextLine = rec.info.lines + 1;
      if (columns === undefined) {
        columns = rec.record.map((h) => h.trim());
        const missing = required.filter((r) => !columns?.includes(r));
        if (missing.length > 0) {
          throw new UsageError(`${file}:1: not a payout ledger: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${columns.join(', ')})`);
        }
        continue;
      }
      const cells: Record<string, string> = {};
      for (let i = 0; i < columns.length; i++) cells[columns[i] as string] = restoreFormula(rec.record[i] ?? '');
      rows++;
      onRow({ line, cells });
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as NodeJS.ErrnoException & { lines?: number };
    if (e.code === 'ENOENT') throw new UsageError(`${file}: not found`);
    throw new UsageError(`${file}${e.lines ? `:${e.lines}` : ''}: cannot read the ledger: ${e.message}`);
  }
  if (columns === undefined) throw new UsageError(`${file}: empty, not a payout ledger`);
  return { columns, rows };
}
