/**
 * The rows of a ledger.csv: each row's claim id and amount, read in ledger order (paid-ledger.ts
 * checks the folder around it). The ids and amounts go to a sink as they are read: a
 * LedgerIdsBuilder and an array on this thread (`readPaidLedger`), or shared memory another thread
 * reads as it fills (paid-ledger-worker.ts).
 */
import { isAscii } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { restoreFormula } from '../../core/csv-cell.js';
import { UsageError } from '../../core/errors.js';
import { parseMoney, type Cents } from '../../core/money.js';
import type { Problem } from '../../core/problems.js';
import { csvReadError, readCsvFile } from '../csv-records.js';
import type { HashThread, ChunkHash } from '../hash-thread.js';
import type { SliceableBuffer } from '../sliceable-buffer.js';
import { csvScan, type CsvScan } from '../csv-scan.js';

/** Slots of the amount cells' text by their bytes (a power of 2). */
const AMOUNT_SLOTS = 1 << 12;

/** Bytes read at a time. */
const LEDGER_CHUNK = 1 << 20;

/** Where a row's claim id goes (LedgerIdsBuilder, or shared memory). */
export interface IdSink {
  /** An id given by its bytes `src[s, e)`, all ASCII. */
  addAscii(src: Uint8Array, s: number, e: number): void;
  addString(id: string): void;
  /** Told at each chunk of the file read (and every few thousand lines read with the CSV reader): a sign of progress. */
  tick?(): void;
}

/** Where the rows go: each row's amount (by the index of its text among the distinct ones), then its id. */
export interface LedgerSink extends IdSink {
  /** A distinct amount text, first seen: its cents (its index is the count of those before it). */
  distinct(cents: Cents): void;
  /** The next row's amount, by its distinct index (its id follows). */
  amount(index: number): void;
  /** The file is read again from its first row (a quote: the full CSV reader); the same rows come again. */
  restart(): void;
}

/** What reading a ledger.csv gave. */
export interface LedgerRead {
  sha256: string;
  /** Rows read (the rows that cannot be read are left out). */
  rows: number;
  /** The rows that cannot be read: their count, and the first 50. */
  badCount: number;
  bad: Problem[];
  /** Per distinct amount (by index): its cents and the rows that have it. */
  totals: { cents: Cents; rows: number }[];
}

/**
 * Reads `ledgerPath`'s rows into `sink` (the fast reader, or the full CSV reader from the start
 * when a cell is quoted). Throws a UsageError for a file that cannot be read or is no ledger; rows
 * whose amount cannot be read are counted in `bad` (the caller refuses the ledger).
 */
export async function readLedgerRows(ledgerPath: string, hashes: HashThread, sink: LedgerSink): Promise<LedgerRead> {
  // Each distinct amount text, its index and the rows that have it: the paid count and total are
  // summed from these at the end (a bigint added per row was a new bigint per row).
  const index = new Map<string, number>();
  const totals: { cents: Cents; rows: number }[] = [];
  const bad: Problem[] = [];
  let badCount = 0;
  let rows = 0;
  /** A row's amount cell: false when it is no amount (its row is then left out, and reported). */
  const onAmount = (text: string, line: number): boolean => {
    let k = index.get(text);
    if (k === undefined) {
      const c = parseMoney(text);
      if (c === undefined) {
        if (badCount++ < 50) bad.push({ code: 'input', severity: 'error', file: ledgerPath, line, field: 'amount', message: `${JSON.stringify(text)} is not an amount` });
        return false;
      }
      k = totals.length;
      totals.push({ cents: c, rows: 0 });
      index.set(text, k);
      sink.distinct(c);
    }
    totals[k]!.rows++;
    rows++;
    sink.amount(k);
    return true;
  };
  const onHeader = (fields: string[]): { id: number; amount: number } => {
    const names = fields.map((h) => h.trim());
    const id = names.indexOf('claim_id');
    const amount = names.indexOf('amount');
    if (id === -1 || amount === -1) throw new UsageError(`${ledgerPath}:1: not a payout ledger: claim_id and amount columns are needed (found: ${names.join(', ')})`);
    return { id, amount };
  };
  let sha256 = await readLedgerFast(ledgerPath, onHeader, onAmount, sink, hashes);
  if (sha256 === undefined) {
    // A quoted cell somewhere: the whole file through the RFC 4180 reader instead.
    sink.restart();
    for (const t of totals) t.rows = 0;
    bad.length = 0;
    badCount = 0;
    rows = 0;
    let col: { id: number; amount: number } | undefined;
    try {
      sha256 = (
        await readCsvFile(ledgerPath, (fields, line) => {
          if ((line & 4095) === 0) sink.tick?.();
          if (col === undefined) col = onHeader(fields);
          else if (onAmount(fields[col.amount] ?? '', line)) sink.addString(restoreFormula(fields[col.id] ?? ''));
        })
      ).sha256;
    } catch (err) {
      throw csvReadError(ledgerPath, 'the ledger', err);
    }
    if (col === undefined) throw new UsageError(`${ledgerPath}: empty, not a payout ledger`);
  }
  return { sha256, rows, badCount, bad, totals };
}

/**
 * The ledger's claim_id and amount cells line by line, without splitting the other cells: payout
 * writes its ledger without quotes unless a text cell needs them. The bytes are read in chunks, each
 * once as Latin-1 text to find the commas and line ends (all ASCII). The amount becomes a string (a
 * substring of that text when ASCII, else decoded as UTF-8, as the text of the whole file would
 * be), given to `onAmount`; when it keeps the row, the id's bytes go to `ids` (decoded and
 * restored, restoreFormula, when not ASCII or when they start with an apostrophe). Returns the
 * file's SHA-256, or undefined at the first quote (the caller then reads the file with the full CSV
 * reader). Exported for its tests (test/payments/paid-ledger.test.ts).
 *
 * With the native addon's structural index (`scan`, csv-scan.ts: the offsets of every comma, quote,
 * CR and LF of a chunk, found 64 bytes at a time), each line's cells are found by walking those
 * offsets: no `indexOf` per cell and per line, and no Latin-1 text of the chunk (a cell's text is
 * made only for an amount not met before, a header, an id that is not plain ASCII). Without it,
 * (or given `null`), the chunk's Latin-1 text is searched. The same calls either way (docs/payments.md, "Performance").
 */
export async function readLedgerFast(
  file: string,
  onHeader: (fields: string[]) => { id: number; amount: number },
  onAmount: (amount: string, line: number) => boolean,
  ids: IdSink,
  hashes: HashThread,
  scan: CsvScan | null = csvScan() ?? null,
): Promise<string | undefined> {
  let col: { id: number; amount: number } | undefined;
  let line = 0;
  let buf = Buffer.allocUnsafe(LEDGER_CHUNK * 2) as SliceableBuffer;
  let text = '';
  /** Finds cell `k` of the line [from, to) of `text` (into cellStart, cellEnd); false for a line with fewer cells. */
  let cellStart = 0;
  let cellEnd = 0;
  const cell = (k: number, from: number, to: number): boolean => {
    let start = from;
    for (let i = 0; i < k; i++) {
      start = text.indexOf(',', start) + 1;
      if (start === 0 || start > to) return false;
    }
    const end = text.indexOf(',', start);
    cellStart = start;
    cellEnd = end === -1 || end > to ? to : end;
    return true;
  };
  /** Whether the bytes read so far from the current position on are all ASCII (then so is every cell). */
  let ascii = true;
  /** Bytes [s, e) as Latin-1 text: a substring of the chunk's text, or made from the bytes when it has none (the indexed path). */
  const latin1 = (s: number, e: number): string => (text !== '' ? text.substring(s, e) : buf.latin1Slice(s, e));
  /** Bytes [s, e) as text: their Latin-1 text when ASCII, else decoded as UTF-8. */
  const decode = (s: number, e: number): string => {
    if (!ascii) {
      for (let i = s; i < e; i++) if (buf[i]! >= 0x80) return buf.utf8Slice(s, e);
    }
    return latin1(s, e);
  };
  // The amount cells' text by their bytes: a ledger has few distinct amounts, and a substring per
  // row was a million strings to make, hash for onAmount's lookup, and collect. A cell whose slot
  // holds another text (or a cell that is not ASCII, or longer than a substring V8 copies) is
  // decoded as before.
  const known: string[] = new Array<string>(AMOUNT_SLOTS).fill('');
  const amountText = (s: number, e: number): string => {
    const n = e - s;
    if (n > 12 || (!ascii && !isAscii(buf.subarray(s, e)))) return decode(s, e);
    let h = n;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const slot = (h ^ (h >>> 15)) & (AMOUNT_SLOTS - 1);
    const k = known[slot]!;
    if (k.length === n) {
      let i = 0;
      while (i < n && k.charCodeAt(i) === buf[s + i]) i++;
      if (i === n) return k;
    }
    return (known[slot] = latin1(s, e));
  };
  /**
   * A line's row (its header, or its amount and id): the cells found, [idStart, idEnd) and
   * [amountStart, amountEnd) (-1: none). The header's claim_id and amount are two columns, neither
   * negative (readLedgerRows refuses a header without them).
   */
  const row = (p: number, e: number, idStart: number, idEnd: number, amountStart: number, amountEnd: number): void => {
    if (col === undefined) col = onHeader(decode(p, e).split(','));
    else if (onAmount(amountStart >= 0 ? amountText(amountStart, amountEnd) : '', line)) {
      // The id's bytes as they are, unless they are not ASCII or may be a formula's defused text.
      if (idStart < 0) ids.addAscii(buf, 0, 0);
      else if (ascii && (idStart === idEnd || buf[idStart] !== 0x27)) ids.addAscii(buf, idStart, idEnd);
      else ids.addString(restoreFormula(decode(idStart, idEnd)));
    }
  };
  const offsets = scan !== null ? new Int32Array(1 << 16) : undefined;
  const cannotRead = (err: unknown): UsageError => {
    const e = err as NodeJS.ErrnoException;
    return new UsageError(e.code === 'ENOENT' ? `${file}: not found` : `${file}: cannot read (${e.code ?? e.message})`);
  };
  let handle: FileHandle;
  let hash: ChunkHash;
  try {
    handle = await open(file, 'r');
    hash = hashes.hash((await handle.stat()).size);
  } catch (err) {
    throw cannotRead(err);
  }
  let finished = false;
  try {
    let start = 0;
    let end = 0;
    let first = true;
    let quote = -1;
    for (;;) {
      if (start > 0) {
        buf.copyWithin(0, start, end);
        end -= start;
        start = 0;
      }
      if (buf.length - end < LEDGER_CHUNK) {
        const bigger = Buffer.allocUnsafe(buf.length * 2) as SliceableBuffer;
        buf.copy(bigger, 0, 0, end);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, end, LEDGER_CHUNK, null);
      ids.tick?.();
      const done = bytesRead === 0;
      if (!done) {
        hash.update(buf.subarray(end, end + bytesRead));
        end += bytesRead;
      }
      if (first) {
        if (end < 3 && !done) continue;
        first = false;
        if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      }
      ascii = isAscii(buf.subarray(start, end));
      let p = start;
      if (offsets !== undefined) {
        // The indexed path: the offsets of [from, end) in offsets[j, n).
        text = '';
        let from = start;
        let n = 0;
        let j = 0;
        lines: for (;;) {
          const idCol = col === undefined ? -1 : col.id;
          const amountCol = col === undefined ? -1 : col.amount;
          let c = 0;
          let cs = p;
          let idStart = -1;
          let idEnd = -1;
          let amountStart = -1;
          let amountEnd = -1;
          let e: number;
          for (;;) {
            if (j === n) {
              n = from < end ? scan!(buf, from, end, 0x2c, offsets) : 0;
              j = 0;
              if (n > 0) from = offsets[n - 1]! + 1;
            }
            if (j === n) {
              if (!done || p === end) break lines;
              e = end; // the last line, without a line break
              break;
            }
            const o = offsets[j++]!;
            const ch = buf[o]!;
            if (ch === 0x0a) {
              e = o;
              break;
            }
            if (ch === 0x22) return undefined; // a quote: the caller reads the file with the CSV reader
            if (ch === 0x0d) continue; // a CR inside a line is a cell's byte; one before the LF is dropped below
            if (c === idCol) {
              idStart = cs;
              idEnd = o;
            } else if (c === amountCol) {
              amountStart = cs;
              amountEnd = o;
            }
            c++;
            cs = o + 1;
          }
          line++;
          const next = e + 1;
          if (e > p && buf[e - 1] === 13) e--;
          if (c === idCol) {
            idStart = cs;
            idEnd = Math.max(cs, e);
          } else if (c === amountCol) {
            amountStart = cs;
            amountEnd = Math.max(cs, e);
          }
          if (e > p) row(p, e, idStart, idEnd, amountStart, amountEnd);
          p = next;
          if (p >= end) break;
        }
      } else {
        text = buf.latin1Slice(0, end);
        quote = text.indexOf('"', start);
        for (;;) {
          let e = text.indexOf('\n', p);
          if (e === -1) {
            if (!done || p === end) break;
            e = end; // the last line, without a line break
          }
          line++;
          const next = e + 1;
          if (e > p && text.charCodeAt(e - 1) === 13) e--;
          // The first quote after the chunk's start is on no line before this one.
          if (quote !== -1 && quote < e) return undefined;
          if (e > p) {
            const hasAmount = col !== undefined && cell(col.amount, p, e);
            const amountStart = hasAmount ? cellStart : -1;
            const amountEnd = cellEnd;
            const hasId = col !== undefined && cell(col.id, p, e);
            row(p, e, hasId ? cellStart : -1, cellEnd, amountStart, amountEnd);
          }
          p = next;
          if (p >= end) break;
        }
      }
      start = Math.min(p, end);
      if (done) break;
    }
    finished = true;
  } catch (err) {
    throw err instanceof UsageError ? err : cannotRead(err);
  } finally {
    if (!finished) hash.drop();
    await handle.close();
  }
  if (col === undefined) throw new UsageError(`${file}: empty, not a payout ledger`);
  return hash.digest();
}
