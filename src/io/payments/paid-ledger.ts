/**
 * The ledger a payment run pays from: the folder of `payout allocate` (round 1) or of `payout
 * redistribute` (round 2). Its ledger.csv and summary.json must be the files its manifest hashed
 * (a ledger edited after the run is not paid from, as for redistribute), and the ledger's amounts
 * must add up to the summary's totals.amount (a bucket plan's summary: its totalPaid; the ledger's
 * amount column is then each claim's total over the buckets). Only claim_id, outcome and amount
 * are read.
 */
import { isAscii } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { restoreFormula } from '../../core/csv-cell.js';
import { DataError, UsageError } from '../../core/errors.js';
import type { Manifest, ManifestInput } from '../../core/manifest.js';
import { formatMoneyHuman, parseMoney, type Cents } from '../../core/money.js';
import type { Problem } from '../../core/problems.js';
import { csvReadError, readCsvFile } from '../csv-records.js';
import { hashFile } from '../file-hash.js';
import { HashThread, type ChunkHash } from '../hash-thread.js';
import { LedgerIdsBuilder, type LedgerIds } from './ledger-ids.js';
import { sha256Hex } from '../hash.js';
import { readJsonFile } from '../json-file.js';
import { assertFinishedRun } from '../run-state.js';
import { countOf } from '../../core/display-numbers.js';

export interface PaidLedger {
  dir: string;
  round: 1 | 2;
  manifest: Manifest;
  ledgerPath: string;
  /** Every ledger row's claim id, in order (the claims file's order). */
  ids: LedgerIds;
  /** Every row's amount in cents. */
  amounts: Cents[];
  paid: { count: number; amount: Cents };
  /** The manifest's record of the three files read, for the pay manifest. */
  inputs: Record<string, ManifestInput>;
}

/** Slots of the amount cells' text by their bytes (a power of 2). */
const AMOUNT_SLOTS = 1 << 12;

/** Bytes read at a time. */
const LEDGER_CHUNK = 1 << 20;

interface SliceableBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Through the one JSON reader (io/json-file.ts): bounded, regular files only, no key twice. */
async function readJson(path: string, what: string, kind: 'manifest' | 'summary'): Promise<{ value: unknown; sha256: string }> {
  const { value, bytes } = await readJsonFile(path, { kind, refused: `${path}: not valid JSON`, missing: (f) => new UsageError(`${f}: not found (${what})`) });
  return { value, sha256: sha256Hex(bytes) };
}

/** Reads and checks DIR; a folder that cannot be read is a UsageError, files that do not match their manifest a DataError. */
export async function readPaidLedger(dir: string, options: { hashes?: HashThread } = {}): Promise<PaidLedger> {
  const manifestPath = join(dir, 'manifest.json');
  await assertFinishedRun(dir);
  const { value, sha256: manifestSha } = await readJson(manifestPath, 'is it the --out folder of payout allocate or redistribute?', 'manifest');
  if (!isObject(value) || !Array.isArray(value.outputs)) throw new UsageError(`${manifestPath}: not a payout manifest`);
  const manifest = value as unknown as Manifest;
  await assertFinishedRun(dir, (value.outputs as unknown[]).map((o) => String(isObject(o) ? o.file : '')));
  const round = manifest.command === 'allocate' ? 1 : manifest.command === 'redistribute' ? 2 : undefined;
  if (round === undefined) {
    throw new UsageError(`${dir} holds the output of payout ${String(manifest.command)}: pay from the folder of payout allocate or payout redistribute`);
  }
  const problems: Problem[] = [];
  const digests: Record<string, string> = {};
  const checkHash = (name: string, sha256: string): void => {
    const recorded = manifest.outputs.find((o) => o.file === name);
    digests[name] = sha256;
    if (recorded === undefined) problems.push({ code: 'input', severity: 'error', file: manifestPath, message: `the manifest does not list ${name}` });
    else if (recorded.sha256 !== sha256) {
      problems.push({
        code: 'input',
        severity: 'error',
        message: `${join(dir, name)} does not match its manifest: sha256 ${sha256} now, ${recorded.sha256} in ${manifestPath} (was it edited after the run? payout verify shows what changed)`,
      });
    }
  };
  const refuse = (): void => {
    if (problems.length > 0) throw new DataError(`${dir}: the ledger's files are not the ones its manifest records; nothing is paid from them`, problems);
  };
  checkHash('summary.json', (await hashFile(join(dir, 'summary.json'))).sha256);
  refuse();

  const summaryPath = join(dir, 'summary.json');
  const { value: summary } = await readJson(summaryPath, 'the summary', 'summary');
  // A bucket plan's summary (`"mode": "buckets"`) has the total paid at the top, as totalPaid.
  const buckets = isObject(summary) && summary.mode === 'buckets';
  const amountKey = buckets ? 'totalPaid' : 'totals.amount';
  const totals = buckets ? { amount: (summary as Record<string, unknown>).totalPaid } : isObject(summary) && isObject(summary.totals) ? summary.totals : undefined;
  const summaryAmount = typeof totals?.amount === 'string' ? parseMoney(totals.amount) : undefined;
  if (summaryAmount === undefined) throw new UsageError(`${summaryPath}: not a payout summary (${amountKey} is needed)`);

  const ledgerPath = join(dir, 'ledger.csv');
  let idsBuilder = new LedgerIdsBuilder();
  const amounts: Cents[] = [];
  // Each distinct amount text, its cents and the rows that have it: the paid count and total are
  // summed from these at the end (a bigint added per row was a new bigint per row).
  const cents = new Map<string, { cents: Cents; rows: number }>();
  const bad: Problem[] = [];
  /** A row's amount cell: false when it is no amount (its row is then left out, and reported). */
  const onAmount = (text: string, line: number): boolean => {
    let known = cents.get(text);
    if (known === undefined) {
      const c = parseMoney(text);
      if (c === undefined) {
        bad.push({ code: 'input', severity: 'error', file: ledgerPath, line, field: 'amount', message: `${JSON.stringify(text)} is not an amount` });
        return false;
      }
      known = { cents: c, rows: 0 };
      cents.set(text, known);
    }
    amounts.push(known.cents);
    known.rows++;
    return true;
  };
  const onHeader = (fields: string[]): { id: number; amount: number } => {
    const names = fields.map((h) => h.trim());
    const id = names.indexOf('claim_id');
    const amount = names.indexOf('amount');
    if (id === -1 || amount === -1) throw new UsageError(`${ledgerPath}:1: not a payout ledger: claim_id and amount columns are needed (found: ${names.join(', ')})`);
    return { id, amount };
  };
  let sha256 = await readLedgerFast(ledgerPath, onHeader, onAmount, idsBuilder, options.hashes ?? new HashThread({ worker: false }));
  if (sha256 === undefined) {
    // A quoted cell somewhere: the whole file through the RFC 4180 reader instead.
    idsBuilder = new LedgerIdsBuilder();
    amounts.length = 0;
    bad.length = 0;
    cents.clear();
    let col: { id: number; amount: number } | undefined;
    try {
      sha256 = (
        await readCsvFile(ledgerPath, (fields, line) => {
          if (col === undefined) col = onHeader(fields);
          else if (onAmount(fields[col.amount] ?? '', line)) idsBuilder.addString(restoreFormula(fields[col.id] ?? ''));
        })
      ).sha256;
    } catch (err) {
      throw csvReadError(ledgerPath, 'the ledger', err);
    }
    if (col === undefined) throw new UsageError(`${ledgerPath}: empty, not a payout ledger`);
  }
  const ids = idsBuilder.finish();
  checkHash('ledger.csv', sha256);
  refuse();
  if (bad.length > 0) throw new DataError(`${ledgerPath}: ${countOf(bad.length, 'row')} cannot be read`, bad.slice(0, 50));
  let paidCount = 0;
  let paidAmount = 0n;
  for (const { cents: c, rows } of cents.values()) {
    if (c > 0n) {
      paidCount += rows;
      paidAmount += c * BigInt(rows);
    }
  }
  if (paidAmount !== summaryAmount) {
    throw new DataError(`${ledgerPath}: the amounts add up to ${formatMoneyHuman(paidAmount)}, but ${summaryPath} says ${amountKey} is ${formatMoneyHuman(summaryAmount)}`);
  }
  const folder = basename(dir.replace(/[\\/]+$/, '')) || '.';
  return {
    dir,
    round,
    manifest,
    ledgerPath,
    ids,
    amounts,
    paid: { count: paidCount, amount: paidAmount },
    inputs: {
      ledger: { file: `${folder}/ledger.csv`, sha256: digests['ledger.csv']!, rows: ids.length },
      summary: { file: `${folder}/summary.json`, sha256: digests['summary.json']! },
      manifest: { file: `${folder}/manifest.json`, sha256: manifestSha },
    },
  };
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
 */
export async function readLedgerFast(
  file: string,
  onHeader: (fields: string[]) => { id: number; amount: number },
  onAmount: (amount: string, line: number) => boolean,
  ids: LedgerIdsBuilder,
  hashes: HashThread,
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
  /** Bytes [s, e) as text: their Latin-1 text when ASCII (a substring), else decoded as UTF-8. */
  const decode = (s: number, e: number): string => {
    if (!ascii) {
      for (let i = s; i < e; i++) if (text.charCodeAt(i) >= 0x80) return buf.utf8Slice(s, e);
    }
    return text.substring(s, e);
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
    return (known[slot] = text.substring(s, e));
  };
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
      text = buf.latin1Slice(0, end);
      ascii = isAscii(buf.subarray(start, end));
      quote = text.indexOf('"', start);
      let p = start;
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
          if (col === undefined) col = onHeader(decode(p, e).split(','));
          else {
            if (onAmount(cell(col.amount, p, e) ? amountText(cellStart, cellEnd) : '', line)) {
              // The id's bytes as they are, unless they are not ASCII or may be a formula's defused text.
              if (!cell(col.id, p, e)) ids.addAscii(buf, 0, 0);
              else if (ascii && text.charCodeAt(cellStart) !== 0x27) ids.addAscii(buf, cellStart, cellEnd);
              else ids.addString(restoreFormula(decode(cellStart, cellEnd)));
            }
          }
        }
        p = next;
        if (p >= end) break;
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
