/**
 * Reads a claims CSV (docs/spec.md §2) into the compact ClaimTable, collecting every problem with
 * the physical line on which its record starts.
 *
 * This file is the streaming driver: `readClaims` streams the file through a UTF-8 check and a
 * tokenizer (claims-tokenizers.ts: the fast path of csv-fast.ts for plain records, csv-parse from
 * the first record that is anything else, or for the whole file with PAYOUT_CSV=csv-parse) into a
 * ClaimsCollector (claims-collector.ts), which checks each record and builds the table, and runs
 * the worker threads beside it (tie-break keys, duplicate claimants, the file's SHA-256);
 * docs/performance.md has the design. Nothing keeps whole rows: per row the table keeps an id, a
 * line and three small indices; the duplicate checks keep one map entry per claim.
 */
import { open, stat } from 'node:fs/promises';
import { createHash, type Hash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Parser } from 'csv-parse';
import type { Plan } from '../core/plan.js';
import { UsageError } from '../core/errors.js';
import { Utf8LineChecker, hasUtf16Bom } from './csv-utf8.js';
import { fastPathSupports, type FastCsv } from './csv-fast.js';
import { WORKER_MIN_BYTES } from './early-workers.js';
import { readAhead } from './read-ahead.js';
import { TieKeyPrefixes } from './tie-keys.js';
import { DuplicateChecks } from './dedupe-batch.js';
import { ClaimsCollector } from './claims-collector.js';
import { readingDelimiter, sniffFirstLines, wrongDelimiter } from './claims-sniff.js';
import { CHUNK_BYTES, StopReading, csvParseRecords, readFast, reportCsvError } from './claims-tokenizers.js';
import type { CsvTokenizer, ReadClaimsOptions, ReadClaimsResult } from './claims-types.js';

// What other modules import from here, wherever it lives now.
export { CLAIM_FIELDS, type ClaimField } from '../core/claims.js';
export { UNITS_MAX_DECIMALS } from '../core/claim-cells.js';
export { DEFAULT_MAX_STORED_PROBLEMS } from './claims-problems.js';
export { MAX_RECORD_CHARS } from './claims-tokenizers.js';
export { ClaimsCollector } from './claims-collector.js';
export { summarizeClaims, type ClassSummary, type StatusSummary } from './claims-stats.js';
export type { ClaimsStats, CsvTokenizer, ReadClaimsOptions, ReadClaimsResult } from './claims-types.js';
export { normaliseForMatch, hashNormalised } from './csv-dedupe.js';

/** Which tokenizer reads the file: the option, else `PAYOUT_CSV=csv-parse` in the environment, else the fast path. */
function tokenizerOf(options: ReadClaimsOptions): CsvTokenizer {
  if (options.csv !== undefined) return options.csv;
  return process.env.PAYOUT_CSV === 'csv-parse' ? 'csv-parse' : 'fast';
}

/** The file's length, when it is a regular file (not a pipe); errors are left to the reading. */
async function fileSize(file: string): Promise<number | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Files from this size (~2.2M TikTok-shaped claims) have their duplicate-claimant checks spilled
 * to partitions on disk (dedupe-spill.ts): in memory their tables take ~29 bytes a claim. Below
 * it the tables in memory are faster (1M claims: ~5% less CPU for allocate); at 5M the two took
 * the same CPU and the spilled checks ~55 MiB less memory (docs/performance.md, round five).
 */
export const SPILL_MIN_BYTES = 256 << 20;

/** The spill threshold of `options.duplicateSpillBytes`, else `PAYOUT_CLAIMANT_SPILL_BYTES` (for tests), else SPILL_MIN_BYTES. */
function spillMinBytes(options: ReadClaimsOptions): number {
  if (options.duplicateSpillBytes !== undefined) return options.duplicateSpillBytes;
  const env = process.env.PAYOUT_CLAIMANT_SPILL_BYTES;
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : SPILL_MIN_BYTES;
}

/**
 * Reads and checks a claims file against the plan. Every problem is collected (the first
 * maxStoredProblems of each severity are kept); a syntax error the CSV parser cannot get past
 * ends the reading, keeping everything found before it. A file that cannot be opened is a
 * UsageError (exit 2).
 */
export async function readClaims(file: string, plan: Plan, options: ReadClaimsOptions = {}): Promise<ReadClaimsResult> {
  // A first line `sep=X` names the delimiter (unless --delimiter names another than the default).
  const first = await sniffFirstLines(file);
  const delimiter = readingDelimiter(first, options.delimiter);
  const collector = new ClaimsCollector(file, plan, { ...options, delimiter }, first?.sep !== undefined ? 1 : undefined);
  const wrong = wrongDelimiter(first, delimiter);
  if (wrong !== undefined) {
    // One column with a ; (tab, |) between its names: the rows cannot be read; say why, once.
    collector.syntaxError('missing_column', wrong.line, wrong.message);
    return collector.finish({ bytes: 0 });
  }
  let bytes = 0;
  const hash: Hash | undefined = options.sha256 ? createHash('sha256') : undefined;
  let utf8Failed = false;
  const utf8 = new Utf8LineChecker(({ line, byte }) => {
    utf8Failed = true;
    collector.invalidUtf8(line, byte);
  });

  // A worker thread for the tie-break keys pays off on large files only (start-up ~40 ms).
  const size = await fileSize(file);
  const worker = size !== undefined && size >= WORKER_MIN_BYTES && process.env.PAYOUT_WORKERS !== '0';
  const tieKeys = options.tieKeySeed !== undefined ? new TieKeyPrefixes(options.tieKeySeed, { worker }) : undefined;
  let rowsHandedOver = 0;
  // Large files: the duplicate-claimant checks are batched and done on a worker (dedupe-batch.ts).
  // Batched only pays off on a worker thread: without one (PAYOUT_WORKERS=0, no compiled worker)
  // the checks stay row by row, unless the option asks for batches (tests).
  let dedupe =
    options.duplicateChecks === 'batched' || (options.duplicateChecks === undefined && worker)
      ? await DuplicateChecks.start(worker, size !== undefined && size >= spillMinBytes(options))
      : undefined;
  if (dedupe && !dedupe.onWorker && options.duplicateChecks !== 'batched') {
    dedupe.close();
    dedupe = undefined;
  }
  // The file's SHA-256 goes with the duplicate checks' worker when there is one: the fast path
  // moves each chunk there once copied; after csv-parse took over, copies go.
  const hashOnWorker = hash !== undefined && dedupe?.onWorker === true;
  /** The fast tokenizer while it hands records on (their cells' byte ranges), else undefined. */
  let tokenizer: FastCsv | undefined;
  if (dedupe) {
    let c: ClaimsCollector['duplicateColumns'] | undefined;
    /** The columns whose ranges the checks want: email, name, address, claim id (-1: not checked). */
    let fields: Int32Array | undefined;
    collector.deferDuplicateChecks((line, claimId, row) => {
      // Rows come after the header, so the columns are known.
      c ??= collector.duplicateColumns;
      const t = tokenizer;
      if (t !== undefined) {
        fields ??= Int32Array.of(c.checksEmail ? c.email : -1, c.checksNameAddress ? c.name : -1, c.checksNameAddress ? c.address : -1, c.claimId);
        dedupe.addFastRow(line, t, fields);
      } else {
        const cell = (col: number, on: boolean): string => (on ? (row[col] as string) : '');
        dedupe.addStrings(line, claimId, cell(c.email, c.checksEmail), cell(c.name, c.checksNameAddress), cell(c.address, c.checksNameAddress));
      }
    });
  }
  const helpWhileWaiting = tieKeys ? (): boolean => tieKeys.helpOnce() : undefined;
  /** Rows added since the last call go to the workers: ids for the tie keys, csv-parse's rows to the duplicate checks. */
  const handOverRows = (): void => {
    const ids = collector.tableIds;
    if (tieKeys && ids.length > rowsHandedOver) {
      // Rows of a status the plan does not pay are in no tie set: their keys are not hashed.
      tieKeys.add(ids, rowsHandedOver, ids.length, collector.unpaidRows(rowsHandedOver, ids.length));
      rowsHandedOver = ids.length;
    }
    if (dedupe) {
      const c = collector.duplicateColumns;
      dedupe.sendStrings(c.checksEmail, c.checksNameAddress);
    }
  };

  /**
   * Buffers the fast path is done with (`copied`) and the worker gave back, to read chunks into
   * again: on the fast path the file is read into a few buffers, not ~120 fresh ones a 100 MB.
   */
  const freeChunks: Buffer[] = [];
  /** The file's bytes, CHUNK_BYTES at a time (the last chunk may be shorter). */
  async function* fileChunks(): AsyncGenerator<Buffer, void, undefined> {
    const handle = await open(file, 'r');
    try {
      // The next chunk is read while this one is parsed (read-ahead.ts). A pipe may give less than
      // asked for: the chunk is what one read gives, as a stream's is.
      const buffer = (): Buffer => freeChunks.pop() ?? (hashOnWorker ? dedupe?.takeFileBuffer(CHUNK_BYTES) : undefined) ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
      yield* readAhead((buf) => handle.read(buf, 0, CHUNK_BYTES, null).then((r) => r.bytesRead), buffer);
    } finally {
      await handle.close();
    }
  }

  /** The file's chunks, each checked (UTF-16, UTF-8), counted and hashed before a tokenizer sees it. */
  async function* checkedChunks(): AsyncGenerator<Buffer, void, undefined> {
    for await (const chunk of fileChunks()) {
      handOverRows();
      // While the duplicate-check worker is behind, this thread takes tie-break batches off the other core.
      if (dedupe?.onWorker) await dedupe.caughtUp(helpWhileWaiting);
      if (bytes === 0 && hasUtf16Bom(chunk)) {
        collector.syntaxError('invalid_utf8', 1, 'the file is UTF-16, not UTF-8: re-export the file as CSV UTF-8');
        throw new StopReading();
      }
      bytes += chunk.length;
      if (!hashOnWorker) hash?.update(chunk);
      utf8.push(chunk);
      const wait = options.throttle?.();
      if (wait) await wait;
      options.onProgress?.(bytes, collector.rowCount);
      yield chunk;
    }
    utf8.end();
  }

  const chunks = checkedChunks();
  /** csv-parse, once it reads: the parser and the line of the record it is on. */
  let csv: { parser: Parser; line: () => number } | undefined;
  try {
    const fast = tokenizerOf(options) === 'fast' && fastPathSupports(delimiter);
    const rest = fast
      ? await readFast(chunks, collector, delimiter, () => utf8Failed, size, {
          sized: (rows) => {
            tieKeys?.reserve(rows);
            const c = collector.duplicateColumns;
            dedupe?.reserve(rows, c.checksEmail, c.checksNameAddress);
          },
          started: (fast) => {
            tokenizer = fast;
          },
          copied: (chunk) => {
            if (hashOnWorker) dedupe?.hashFile(chunk, true);
            // Read into again (the hash and the byte check are done with it; a short last chunk is not).
            else if (chunk.length === CHUNK_BYTES && freeChunks.length < 2) freeChunks.push(chunk);
          },
          fed: (work, from, to) => {
            if (dedupe && to > from) dedupe.stageBytes(work.subarray(from, to), from);
          },
          chunkFed: () => {
            if (dedupe) {
              // One batch a chunk, whatever the windows it was read in.
              const c = collector.duplicateColumns;
              dedupe.sendStaged(c.checksEmail, c.checksNameAddress);
            }
          },
        })
      : { bytes: Buffer.alloc(0), line: 1, atFileStart: true };
    tokenizer = undefined;
    if (rest !== undefined) {
      // csv-parse reads the rest, from the first byte of the record the fast path left to it.
      csv = csvParseRecords(delimiter, rest, collector);
      const first = rest.bytes;
      await pipeline(async function* () {
        if (first.length > 0) yield first;
        for (;;) {
          const next = await chunks.next();
          if (next.done) return;
          if (hashOnWorker) dedupe?.hashFile(next.value, false);
          yield next.value;
        }
      }, csv.parser);
    }
  } catch (err) {
    tieKeys?.close();
    // The duplicate checks go on: the rows read before a syntax error are checked and reported,
    // as without a worker (the batches sent so far are answered; `finish` below waits for them).
    if (err instanceof StopReading) {
      // Reported already.
    } else if (reportCsvError(err, collector, csv?.line() ?? 1, csv?.parser)) {
      // Reported now.
    } else {
      dedupe?.close();
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') throw new UsageError(`${file}: claims file not found`);
      if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
        throw new UsageError(`${file}: cannot read the claims file (${e.code})`);
      }
      throw err;
    }
  }
  const meta: { bytes: number; sha256?: string } = { bytes };
  const sha256 = hash !== undefined && !collector.isStopped;
  if (sha256 && !hashOnWorker) meta.sha256 = hash.digest('hex');
  if (sha256 && hashOnWorker) dedupe?.requestFileSha256();
  handOverRows();
  // The tie keys (wanted only when there are no errors: then the claims are allocated) and the
  // duplicate checks finish together; this thread helps with the tie keys (TieKeyPrefixes.result).
  const prefixes = tieKeys && collector.errorCount === 0 ? tieKeys.result(collector.tableIds.length) : undefined;
  if (tieKeys && prefixes === undefined) tieKeys.close();
  if (dedupe) {
    // While the worker answers its last batches (~40 ms at 1M), this thread finds the look-alike
    // ids (~50–65 ms at 1M) instead of waiting; their warnings still come after the duplicates'.
    const finishing = dedupe.finish();
    collector.findLookAlikes();
    collector.addDuplicateHits(await finishing);
  }
  if (sha256 && hashOnWorker && dedupe) meta.sha256 = dedupe.fileSha256;
  const result = collector.finish(meta);
  if (prefixes) result.tieKeyPrefixes = await prefixes;
  return result;
}
