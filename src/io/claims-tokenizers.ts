/**
 * The two tokenizers of a claims file, as the streaming driver (claims-reader.ts) runs them: the
 * fast path of csv-fast.ts over the file's chunks for plain records, and csv-parse from the first
 * record that is anything else (docs/performance.md has the design). Both hand each record with
 * the physical line it starts on to a ClaimsCollector.
 */
import { Parser, CsvError, type Options as CsvOptions } from 'csv-parse';
import { FastCsv } from './csv-fast.js';
import { FEED_BYTES, FeedWindows } from './csv-windows.js';
import type { ClaimsCollector } from './claims-collector.js';
import type { ProblemCode } from '../core/problems.js';
import { countOf } from '../core/display-numbers.js';

/** A record longer than this (in characters) is a runaway quote or a wrong delimiter, not a claim. */
export const MAX_RECORD_CHARS = 1 << 20;

/** Thrown by the byte check to end the pipeline when the file is not UTF-8 at all. */
export class StopReading extends Error {}

/**
 * csv-parse hands every record to `push`; taking them here, synchronously, means each record is
 * handled before the parser reads on, so when the parser fails, every record before the failure
 * has been counted (the stream buffer could otherwise still hold some).
 */
class RecordParser extends Parser {
  constructor(
    options: CsvOptions,
    private readonly onRecord: (fields: string[]) => void,
  ) {
    super(options);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    this.onRecord(chunk as string[]);
    return true;
  }
}

function countLineBreaks(fields: string[]): number {
  let n = 0;
  for (let f = 0; f < fields.length; f++) {
    const s = fields[f] as string;
    let i = s.indexOf('\n');
    while (i !== -1) {
      n++;
      i = s.indexOf('\n', i + 1);
    }
  }
  return n;
}

const SYNTAX_MESSAGES: Record<string, { code: ProblemCode; message: string }> = {
  CSV_QUOTE_NOT_CLOSED: {
    code: 'unclosed_quote',
    message: 'unclosed quote: a quoted field that starts in this record is never closed before the end of the file',
  },
  CSV_INVALID_CLOSING_QUOTE: {
    code: 'csv_syntax',
    message:
      'a quote ends a quoted field but is not followed by the delimiter or the end of the line: double a quote inside a quoted field (""), or close a quote left open in this record',
  },
  INVALID_OPENING_QUOTE: {
    code: 'csv_syntax',
    message: 'a quote inside an unquoted field: put the whole field in quotes and double the quote inside ("Robert ""Bobby"" Smith")',
  },
};

/**
 * Bytes read from the file at a time: 896 KiB, so that a chunk with the start of a record carried
 * over (≤ 64 KiB, MAX_FAST_RECORD) stays below the ~1 MB from which Node makes Latin-1 text an
 * external string, whose characters (and its slices') V8 reads more slowly (an email hashed from
 * a slice of one: ~1.5 times the time).
 */
export const CHUNK_BYTES = 896 << 10;
export { FEED_BYTES };


/** Where csv-parse takes over: the bytes from the first record it reads, and that record's line. */
export interface HandOff {
  bytes: Buffer;
  line: number;
  /** Nothing has been read yet: csv-parse starts at the file's first byte (and skips a BOM). */
  atFileStart: boolean;
}

/**
 * The fast path (csv-fast.ts) over the file's chunks, until the end of the file (returns undefined)
 * or a record it leaves to csv-parse (returns where to take over). Records go to the collector.
 */
export async function readFast(
  chunks: AsyncIterator<Buffer>,
  collector: ClaimsCollector,
  delimiter: string,
  utf8Failed: () => boolean,
  fileBytes: number | undefined,
  hooks: {
    sized?: (rows: number) => void;
    /** The tokenizer, for the records' byte ranges while they are handed on. */
    started?: (fast: FastCsv) => void;
    /** After each pass over `work[from, to)`: the records in it have been handed on. */
    fed?: (work: Buffer, from: number, to: number) => void;
    /** A chunk of the file, once copied into the work buffer: this function is done with it. */
    copied?: (chunk: Buffer) => void;
    /** After the last pass over a chunk's bytes (the passes are windows of FEED_BYTES). */
    chunkFed?: () => void;
  } = {},
): Promise<HandOff | undefined> {
  let records = 0;
  const fast = new FastCsv(
    delimiter,
    (fields, line) => {
      records++;
      collector.record(fields, line);
    },
    () => collector.columnPlan(),
  );
  hooks.started?.(fast);
  let consumed = 0;
  let sized = false;
  // Bytes not yet handed on: the start of a record cut by the last window.
  const w = new FeedWindows(CHUNK_BYTES * 2);
  let bomChecked = false;
  let bomSkipped = false;
  const handOff = (): HandOff => {
    const atFileStart = fast.line === 1;
    const from = atFileStart && bomSkipped ? 0 : w.start;
    return { bytes: Buffer.from(w.buf.subarray(from, w.end)), line: fast.line, atFileStart };
  };
  for (;;) {
    const { value: chunk, done } = await chunks.next();
    // Invalid UTF-8 (found by the byte check as each chunk came in) is left to csv-parse, from the
    // first record not handed on: the whole chunk goes with it.
    if (utf8Failed()) {
      if (!done) w.append(chunk, 0, chunk.length);
      return handOff();
    }
    // The chunk in windows of FEED_BYTES (at the end of the file, one pass with no new bytes).
    for (let taken = 0; done || taken < chunk.length; ) {
      if (!done) {
        const to = Math.min(chunk.length, taken + FEED_BYTES);
        w.append(chunk, taken, to);
        taken = to;
        if (taken === chunk.length) hooks.copied?.(chunk);
      }
      if (!bomChecked) {
        if (w.end < 3 && !done) continue;
        bomChecked = true;
        if (w.startsWithBom()) {
          w.start = 3;
          bomSkipped = true;
        }
      }
      const from = w.start;
      w.start = fast.feed(w.buf, w.text(), from, w.end, done === true);
      hooks.fed?.(w.buf, from, w.start);
      if (fast.handOff) {
        hooks.chunkFed?.();
        // csv-parse reads on from the record left to it: the chunk's windows not fed yet go with it.
        if (!done && taken < chunk.length) {
          w.append(chunk, taken, chunk.length);
          hooks.copied?.(chunk);
        }
        return handOff();
      }
      if (done) {
        hooks.chunkFed?.();
        return undefined;
      }
      consumed += w.start - from;
    }
    hooks.chunkFed?.();
    if (!sized && fileBytes !== undefined && records > 1 && consumed > 0) {
      // The rows the whole file holds if the rest is like the first chunk (the header aside).
      sized = true;
      const rows = (fileBytes / consumed) * (records - 1) * 1.02;
      collector.expectRows(rows);
      hooks.sized?.(rows);
    }
  }
}

/**
 * csv-parse over the rest of the file, from the first byte of the record the fast path left to it
 * (or of the file): each record goes to the collector with the line it starts on. `line()` is the
 * line of the record being read, for a syntax error.
 */
export function csvParseRecords(delimiter: string, rest: HandOff, collector: ClaimsCollector): { parser: Parser; line: () => number } {
  let nextLine = rest.line;
  const parser = new RecordParser(
    {
      bom: rest.atFileStart,
      delimiter,
      // Report a wrong field count per row ourselves and keep going.
      relax_column_count: true,
      // Empty lines come through as [""] and are skipped by the collector: every physical line
      // then passes through here, so line numbers are counted from the records themselves
      // rather than from csv-parse's `info.lines`, which counts a CRLF inside quotes twice.
      skip_empty_lines: false,
      // LF and CRLF both end a record, also when a file mixes them.
      record_delimiter: ['\r\n', '\n'],
      max_record_size: MAX_RECORD_CHARS,
    },
    (fields) => {
      const line = nextLine;
      nextLine += 1 + countLineBreaks(fields);
      collector.record(fields, line);
    },
  );
  parser.resume();
  return { parser, line: () => nextLine };
}

/**
 * A csv-parse error as the problem that ends the reading, on `line` (the record being read);
 * false when `err` is no CSV error. `parser`: the one that failed, if any.
 */
export function reportCsvError(err: unknown, collector: ClaimsCollector, line: number, parser: Parser | undefined): boolean {
  if (!(err instanceof CsvError)) return false;
  const known = SYNTAX_MESSAGES[err.code];
  const column = typeof err.column === 'number' ? err.column : undefined;
  if (err.code === 'CSV_MAX_RECORD_SIZE') {
    const quoting = (parser as unknown as { state?: { quoting?: boolean } } | undefined)?.state?.quoting === true;
    collector.syntaxError(
      quoting ? 'unclosed_quote' : 'csv_syntax',
      line,
      quoting
        ? `unclosed quote: a quoted field that starts in this record is still open after ${countOf(MAX_RECORD_CHARS, 'character')}`
        : `a record longer than ${countOf(MAX_RECORD_CHARS, 'character')} (is --delimiter right?)`,
      column,
    );
  } else if (known) {
    collector.syntaxError(known.code, line, known.message, column);
  } else {
    collector.syntaxError('csv_syntax', line, `CSV syntax error: ${err.message}`, column);
  }
  return true;
}
