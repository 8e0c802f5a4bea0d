/**
 * A fast RFC 4180 record splitter for the CSV files payout writes itself (a first round's
 * ledger.csv, already checked against its manifest's hash): text is fed in chunks, records come
 * out with the physical line they start on. A line without a quote, which is nearly every line of
 * a ledger, is split with one `split(',')`; only a record holding a quote goes through the
 * character loop, and it may span lines. CRLF line ends are accepted; blank lines are skipped.
 *
 * csv-parse with `info: true` spends most of its time on bookkeeping this does not need; on a
 * million-row ledger this is several times faster.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from '../core/errors.js';
import type { FileDigest } from './file-hash.js';
import { Utf8LineChecker, type InvalidUtf8 } from './csv-utf8.js';

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export class CsvRecords {
  private pending = '';
  /** Physical line of the first character of `pending`. */
  private line = 1;
  /** The delimiter's UTF-16 code (44, a comma, unless a claims file names another). */
  private readonly delimiterCode: number;

  /** `delimiter`: one character other than a quote or a line break (claims-options.ts checks it). */
  constructor(
    private readonly onRecord: (fields: string[], line: number) => void,
    private readonly delimiter = ',',
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** Feeds the next piece of text (chunks may end anywhere, even inside a quoted field). */
  push(text: string): void {
    const s = this.pending === '' ? text : this.pending + text;
    this.pending = s.slice(this.scan(s, false));
  }

  /** Call after the last chunk: the text after the last line break is the last record. */
  end(): void {
    const s = this.pending;
    this.pending = '';
    if (s !== '') this.scan(s, true);
  }

  /** Emits every complete record of `s`; returns where the incomplete rest begins. */
  private scan(s: string, final: boolean): number {
    const n = s.length;
    let p = 0;
    while (p < n) {
      let e = s.indexOf('\n', p);
      if (e === -1) {
        if (!final) return p;
        e = n;
      }
      let end = e;
      if (end > p && s.charCodeAt(end - 1) === 13) end--;
      // The quote test is per line: tracking the next quote across the chunk with
      // indexOf('"', p) made V8 ten times slower on chunks read from a stream.
      const line = s.slice(p, end);
      if (line.indexOf('"') === -1) {
        if (line !== '') this.onRecord(line.split(this.delimiter), this.line);
        this.line++;
        p = e + 1;
        continue;
      }
      const r = this.quoted(s, p, final);
      if (r === -1) return p; // the record continues in the next chunk
      p = r;
    }
    return n;
  }

  /**
   * Parses the record that starts at `p` and holds a quote. Returns the index after its line
   * break, or -1 when the text ends before the record does (and more may come).
   */
  private quoted(s: string, p: number, final: boolean): number {
    const n = s.length;
    const fields: string[] = [];
    let field = '';
    let i = p;
    let breaks = 0;
    for (;;) {
      // At the start of a field.
      if (i < n && s.charCodeAt(i) === 34) {
        i++;
        for (;;) {
          const q = s.indexOf('"', i);
          if (q === -1) {
            if (!final) return -1;
            throw new CsvSyntaxError('unclosed quote: a quoted field that starts in this record is never closed', this.line);
          }
          const part = s.slice(i, q);
          for (let k = part.indexOf('\n'); k !== -1; k = part.indexOf('\n', k + 1)) breaks++;
          field += part;
          if (q + 1 < n && s.charCodeAt(q + 1) === 34) {
            field += '"';
            i = q + 2;
            continue;
          }
          if (q + 1 >= n && !final) return -1; // a doubled quote may follow in the next chunk
          i = q + 1;
          break;
        }
      } else {
        let j = i;
        while (j < n) {
          const c = s.charCodeAt(j);
          if (c === this.delimiterCode || c === 10 || c === 34) break;
          // A CR ends the field only as part of a CRLF line end, or as the last character of the
          // text (the end of the file, or wait for more); anywhere else it is a character of the
          // cell, as on a line without quotes.
          if (c === 13 && (j + 1 >= n || s.charCodeAt(j + 1) === 10)) break;
          j++;
        }
        if (j < n && s.charCodeAt(j) === 34) throw new CsvSyntaxError('a quote inside an unquoted field', this.line);
        field += s.slice(i, j);
        i = j;
      }
      // After a field: a comma, a line break (CRLF or LF) or the end of the text. A CR here comes
      // after a closing quote (an unquoted field keeps a CR that is not part of a CRLF).
      if (i < n && s.charCodeAt(i) === 13) {
        if (i + 1 >= n) {
          if (!final) return -1;
          i++; // a CR at the end of the file ends the line, as on a line without quotes
        } else if (s.charCodeAt(i + 1) === 10) i++;
        else throw new CsvSyntaxError(this.afterQuote(), this.line);
      }
      if (i >= n) {
        if (!final) return -1;
        fields.push(field);
        this.onRecord(fields, this.line);
        this.line += 1 + breaks;
        return n;
      }
      const c = s.charCodeAt(i);
      if (c === this.delimiterCode) {
        fields.push(field);
        field = '';
        i++;
        continue;
      }
      if (c === 10) {
        fields.push(field);
        this.onRecord(fields, this.line);
        this.line += 1 + breaks;
        return i + 1;
      }
      throw new CsvSyntaxError(this.afterQuote(), this.line);
    }
  }

  private afterQuote(): string {
    const d = this.delimiter === ',' ? 'a comma' : this.delimiter === '\t' ? 'a tab' : `"${this.delimiter}"`;
    return `a closing quote must be followed by ${d} or the end of the line`;
  }
}

/**
 * Streams a CSV file through CsvRecords (a UTF-8 byte-order mark skipped), hashing its bytes on
 * the way: the SHA-256, length and whether a CR is in it. Every CSV file payout reads record by
 * record (ledgers, TINs, bucket claims) is read here, comma-separated unless `delimiter` names
 * another (a bucket plan's claims file read with --delimiter or a `sep=` line). What an error means
 * depends on the file, so a syntax error is thrown as a CsvSyntaxError (with its line), a
 * file-system error as it came, and an error thrown by `onRecord` passes through: the caller words
 * them (see csvReadError).
 * `onInvalidUtf8`: told of each line holding bytes that are not UTF-8 (csv-utf8.ts), before the
 * records of that line, and of a UTF-16 byte-order mark at the start (`utf16`; a reader may throw
 * from it to stop); otherwise such bytes become U+FFFD unnoticed.
 */
export async function readCsvFile(
  file: string,
  onRecord: (fields: string[], line: number) => void,
  options: { delimiter?: string; onInvalidUtf8?: (bad: InvalidUtf8) => void } = {},
): Promise<FileDigest> {
  const records = new CsvRecords(onRecord, options.delimiter);
  const hash = createHash('sha256');
  // Each chunk's bytes are checked before its records are split: a record's bad lines are known when it comes out.
  const utf8 = options.onInvalidUtf8 !== undefined ? new Utf8LineChecker(options.onInvalidUtf8) : undefined;
  let bytes = 0;
  let hasCR = false;
  const onBytes = (chunk: Buffer): void => {
    hash.update(chunk);
    utf8?.push(chunk);
    bytes += chunk.length;
    if (!hasCR && chunk.includes(0x0d)) hasCR = true;
  };
  for await (const text of utf8Text(file, { onBytes })) records.push(text);
  utf8?.end();
  records.end();
  return { sha256: hash.digest('hex'), bytes, hasCR };
}

/**
 * A failed readCsvFile of `file`, which holds `what` ("the ledger"), as a UsageError naming the
 * file: its syntax (with the line) or the file system. A UsageError of the caller's own is
 * returned as it is.
 */
export function csvReadError(file: string, what: string, err: unknown): UsageError {
  if (err instanceof UsageError) return err;
  if (err instanceof CsvSyntaxError) return new UsageError(`${file}:${err.line}: cannot read ${what}: ${err.message}`);
  const e = err as NodeJS.ErrnoException;
  return new UsageError(e.code === 'ENOENT' ? `${file}: not found` : `${file}: cannot read ${what} (${e.code ?? e.message})`);
}

/**
 * A file's text chunk by chunk, decoded as UTF-8 (a character cut by a chunk's end is kept for
 * the next), a leading byte-order mark dropped. `onBytes` sees each chunk's bytes first; `end`
 * stops after that byte offset (inclusive), as createReadStream does.
 */
export async function* utf8Text(file: string, options: { end?: number; onBytes?: (chunk: Buffer) => void } = {}): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  const stream = createReadStream(file, { highWaterMark: 1 << 20, ...(options.end !== undefined ? { end: options.end } : {}) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    options.onBytes?.(chunk);
    let text = decoder.write(chunk);
    if (first && text !== '') {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    yield text;
  }
  yield decoder.end();
}
