/**
 * The list of uncashed checks and failed electronic payments (docs/spec.md §6): a CSV with a
 * `claim_id` column (header matched case-insensitively after trimming; other columns, such as a
 * check number or an amount from the payment vendor, are carried by nobody and ignored). A
 * byte-order mark and CRLF line ends are accepted; blank lines are skipped. Every problem is
 * collected with its physical line, never just the first.
 */
import { readFile } from 'node:fs/promises';
import { regularFile } from './regular-file.js';
import { CsvError, parse } from 'csv-parse/sync';
import type { Problem } from '../core/problems.js';
import type { UncashedEntry } from '../core/first-round.js';
import { UsageError } from '../core/errors.js';
import { hasUtf16Bom, InvalidUtf8Report, Utf8LineChecker } from './csv-utf8.js';
import { sha256Hex } from './hash.js';
import { countOf } from '../core/display-numbers.js';

export interface UncashedRead {
  file: string;
  sha256: string;
  /** Data rows (blank lines not counted). */
  rows: number;
  entries: UncashedEntry[];
  problems: Problem[];
}

function lineBreaks(fields: readonly string[]): number {
  let n = 0;
  for (const s of fields) {
    for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  }
  return n;
}

/** Reads FILE; a missing or unreadable file is a UsageError (exit 2), anything in it a Problem. */
export async function readUncashed(file: string): Promise<UncashedRead> {
  let bytes: Buffer;
  await regularFile(file, (f) => new UsageError(`${f}: uncashed list not found`));
  try {
    bytes = await readFile(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(e.code === 'ENOENT' ? `${file}: uncashed list not found` : `${file}: cannot read the uncashed list (${e.code ?? e.message})`);
  }
  const sha256 = sha256Hex(bytes);
  const problems: Problem[] = [];
  const at = (line: number, code: Problem['code'], message: string, field?: string): Problem => ({
    code,
    severity: 'error',
    file,
    line,
    ...(field !== undefined ? { field } : {}),
    message,
  });
  if (hasUtf16Bom(bytes)) {
    return { file, sha256, rows: 0, entries: [], problems: [at(1, 'invalid_utf8', 'the file is UTF-16, not UTF-8: re-export the file as CSV UTF-8')] };
  }
  // Bytes that are not UTF-8: one file-level error and a few example lines, as for a claims file;
  // the rows on those lines are left out (their claim ids would hold U+FFFD).
  const invalid = new InvalidUtf8Report(file);
  const utf8 = new Utf8LineChecker(invalid.add);
  utf8.push(bytes);
  utf8.end();

  const entries: UncashedEntry[] = [];
  let idColumn = -1;
  let header = true;
  let nextLine = 1;
  let rows = 0;
  let stop = false;
  const onRecord = (fields: string[], raw: string): void => {
    const line = nextLine;
    nextLine += 1 + lineBreaks(fields);
    if (stop) return;
    if (!header && invalid.holds(line, nextLine - 1)) {
      rows++;
      return;
    }
    if (header) {
      header = false;
      const names = fields.map((h) => h.trim().toLowerCase());
      const found = names.flatMap((h, i) => (h === 'claim_id' ? [i] : []));
      if (found.length === 0) {
        problems.push(at(1, 'missing_column', `no claim_id column (found: ${fields.map((h) => h.trim()).join(', ') || 'nothing'})`));
        stop = true;
      } else if (found.length > 1) {
        problems.push(at(1, 'duplicate_column', `claim_id is the header of ${countOf(found.length, 'column')} (${found.map((i) => i + 1).join(', ')})`));
        stop = true;
      } else idColumn = found[0]!;
      return;
    }
    if (/^[\r\n]*$/.test(raw)) return; // a blank line (a quoted "" is an empty claim_id, not a blank line)
    rows++;
    const id = (fields[idColumn] ?? '').trim();
    if (id === '') {
      problems.push(at(line, 'empty_claim_id', 'empty claim_id', 'claim_id'));
      return;
    }
    entries.push({ line, claimId: id });
  };
  try {
    parse(bytes, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      record_delimiter: ['\r\n', '\n'],
      raw: true,
      on_record: (r: unknown) => {
        const { record, raw } = r as { record: string[]; raw: string };
        onRecord(record, raw);
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const message =
      err.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'unclosed quote: a quoted field that starts here is never closed'
        : `CSV syntax error: ${err.message}`;
    problems.push(at(nextLine, err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'unclosed_quote' : 'csv_syntax', message));
  }
  if (header) problems.push(at(1, 'empty_file', 'the file is empty: expected a header with a claim_id column'));
  problems.push(...invalid.problems());
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { file, sha256, rows, entries, problems };
}
