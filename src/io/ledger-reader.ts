/**
 * Reads a ledger.csv that payout wrote (for verify, explain and report): streamed through
 * CsvRecords (RFC 4180, LF or CRLF line ends, as a spreadsheet re-saves them), formula guards
 * removed (docs/spec.md §5: a leading `'` added on writing is dropped), every row handed on with
 * its physical line. The bytes are hashed as they are read (the digest of what was parsed).
 */
import { restoreFormula } from '../core/csv-cell.js';
import { UsageError } from '../core/errors.js';
import { readCsvFile } from './csv-records.js';
import type { FileDigest } from './file-hash.js';

export interface LedgerRow {
  /** Physical line on which the row starts (header = line 1). */
  line: number;
  /** Cells by column name, formula guards removed. */
  cells: Record<string, string>;
}

export interface LedgerReadResult {
  /** The header's column names, trimmed. */
  columns: string[];
  rows: number;
  /** SHA-256, length and CR of the file's bytes, as read. */
  digest: FileDigest;
}

/** Handles the rows of a ledger: its cells in the header's order (formula guards removed) and its line. */
export type LedgerRowHandler = (fields: string[], line: number) => void;

/**
 * Streams `file`, checks that its header has the `required` columns, calls `start` with the
 * header's columns and then the handler it returns for each row (an array per row, no object).
 * A file that is missing, unreadable or not a CSV is a UsageError naming the file and line.
 */
export async function readLedgerFields(
  file: string,
  required: readonly string[],
  start: (columns: string[]) => LedgerRowHandler,
): Promise<LedgerReadResult> {
  let columns: string[] | undefined;
  let onRow: LedgerRowHandler | undefined;
  let rows = 0;
  const onRecord = (fields: string[], line: number): void => {
    // A line holding only "" is an empty record, as a blank line is (csv-parse reads it so too).
    if (fields.length === 1 && fields[0] === '') return;
    if (onRow !== undefined) {
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        if (f.charCodeAt(0) === 39) fields[i] = restoreFormula(f); // '
      }
      rows++;
      onRow(fields, line);
      return;
    }
    columns = fields.map((h) => h.trim());
    checkLedgerHeader(file, columns, line);
    const missing = required.filter((r) => !columns!.includes(r));
    if (missing.length > 0) {
      throw new UsageError(`${file}:${line}: not a payout ledger: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${columns.join(', ')})`);
    }
    onRow = start(columns);
  };
  const digest = await readCsvFile(file, onRecord);
  if (columns === undefined) throw new UsageError(`${file}: empty, not a payout ledger`);
  return { columns, rows, digest };
}

/**
 * A header payout did not write: a column without a name (a spreadsheet's trailing commas), or
 * two columns of one name (which one holds the amounts?). A UsageError naming the file and line.
 */
export function checkLedgerHeader(file: string, columns: readonly string[], line = 1): void {
  const empty = columns.indexOf('');
  if (empty >= 0) throw new UsageError(`${file}:${line}: not a payout ledger: column ${empty + 1} of the header has no name`);
  const twice = columns.findIndex((c, i) => columns.indexOf(c) !== i);
  if (twice >= 0) {
    const name = columns[twice]!;
    throw new UsageError(`${file}:${line}: not a payout ledger: columns ${columns.indexOf(name) + 1} and ${twice + 1} are both named "${name}"`);
  }
}

/** As {@link readLedgerFields}, each row as an object of cells by column name (for a few rows' use). */
export async function readLedger(file: string, required: readonly string[], onRow: (row: LedgerRow) => void): Promise<LedgerReadResult> {
  return readLedgerFields(file, required, (columns) => (fields, line) => {
    const cells: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) cells[columns[i]!] = fields[i] ?? '';
    onRow({ line, cells });
  });
}
