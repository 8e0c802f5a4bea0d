/**
 * Reads the payment elections of a ledger's paid claims: from the claims file's columns
 * (payment_method, email, phone, routing_number, …; docs/payments.md), or from an elections file
 * joined on claim_id, whose columns take precedence for the claims it lists. The claims file must
 * be the one the ledger was made from: row by row the same claim ids (and, for a first round, the
 * SHA-256 its manifest records). Every problem is collected with its file, line and field.
 */
import { basename } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { ManifestInput } from '../../core/manifest.js';
import type { Problem } from '../../core/problems.js';
import type { PaidClaim } from '../../core/payments/batch.js';
import { ELECTION_COLUMNS, readElection, type ElectionField, type ElectionInput } from '../../core/payments/elections.js';
import { csvReadError, readCsvFile } from '../csv-records.js';
import type { FastCsv } from '../csv-fast.js';
import type { RecordCells } from '../../core/payments/claim-records.js';
import { ElectionBytes, ELECTION_FIELDS } from '../../core/payments/election-bytes.js';
import { readCsvFileFast } from '../csv-records-fast.js';
import type { FileDigest } from '../file-hash.js';
import type { HashThread } from '../hash-thread.js';
import { sniffFirstLines } from '../claims-sniff.js';
import type { ClaimField } from '../../core/claims.js';
import { InvalidUtf8Report } from '../csv-utf8.js';
import type { PaidLedger } from './paid-ledger.js';
import { claimCount, countOf } from '../../core/display-numbers.js';

const FIELDS = Object.keys(ELECTION_COLUMNS) as ElectionField[];
// The reader below builds each claim's ElectionInput field by field in this order.
const ORDER: readonly ElectionField[] = ['method', 'email', 'phone', 'venmoHandle', 'routing', 'account', 'accountType', 'name', 'address', 'address2', 'city', 'state', 'zip'];
if (FIELDS.join() !== ORDER.join() || FIELDS.length !== ELECTION_FIELDS) throw new Error(`elections-reader: ELECTION_COLUMNS is ${FIELDS.join()}, the reader expects ${ORDER.join()}`);

export interface ElectionsRead {
  /** The paid claims with their elections, in ledger order (empty when `onPaid` takes them). */
  claims: PaidClaim[];
  /** Errors and warnings, sorted by file and line. */
  problems: Problem[];
  /** Claims paid by check because their election was missing or invalid. */
  fallbacks: number;
  inputs: { claims: ManifestInput; elections?: ManifestInput };
}

/**
 * Column index of each election field in a header (-1 when absent), and of claim_id. `map`: the
 * claims file's --map (field → header), for the columns it names (claim_id, email, name, address).
 */
function columnsOf(header: string[], map: ColumnMap = {}): { id: number; fields: Record<ElectionField, number> } {
  const names = header.map((h) => h.trim().toLowerCase());
  const column = (name: string): number => names.indexOf((map[name as ClaimField] ?? name).trim().toLowerCase());
  const fields = {} as Record<ElectionField, number>;
  for (const f of FIELDS) fields[f] = column(ELECTION_COLUMNS[f]);
  return { id: column('claim_id'), fields };
}

/** 16 bits of a claim id (of its length and last 6 characters), for the elected ids' filter. */
function idKey(id: string): number {
  const n = id.length;
  let h = n;
  for (let i = n > 6 ? n - 6 : 0; i < n; i++) h = Math.imul(h, 31) + id.charCodeAt(i);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 16)) & 0xffff;
}

/** idKey of the ASCII bytes `b[s … e]` (as of the id they spell). */
function idKeyOfBytes(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  let h = n;
  for (let i = n > 6 ? e - 6 : s; i < e; i++) h = Math.imul(h, 31) + b[i]!;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 16)) & 0xffff;
}

/** The largest amount a record holds as a signed 64-bit integer of cents. */
const MAX_I64 = (1n << 63n) - 1n;

/** ASCII whitespace, what `trim()` removes from ASCII text. */
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** Where paid claims read from bytes go (io/payments/pay-builder.ts): false when one is not taken. */
export interface ClaimBytesSink {
  addBytes(row: number, cents: bigint, src: Uint8Array, s: number, e: number, election: RecordCells): boolean;
}

/** A claims file's --map: a field's column under another name. */
export type ColumnMap = Partial<Record<ClaimField, string>>;

/**
 * Field k's cell: from the elections file's row `ec` when it lists the claim and has the column,
 * else from the claims file's row.
 */
function cellOf(k: number, cells: string[], fromClaims: number[], ec: string[] | undefined, fromElections: number[]): string {
  if (ec !== undefined) {
    const ei = fromElections[k]!;
    if (ei !== -1) return ec[ei] ?? '';
  }
  const ci = fromClaims[k]!;
  return ci !== -1 ? (cells[ci] ?? '') : '';
}

/**
 * Reads a CSV file record by record; bytes that are not UTF-8 are reported as for a claims file
 * (`invalid`: one file-level error, a few example lines) and their records are handed on marked.
 */
async function read(
  file: string,
  what: string,
  invalid: InvalidUtf8Report,
  onRecord: (fields: string[], line: number, notUtf8: boolean) => void,
  delimiter = ',',
): Promise<FileDigest> {
  try {
    return await readCsvFile(file, (fields, line) => onRecord(fields, line, invalid.holds(line, line + lineBreaks(fields))), { delimiter, onInvalidUtf8: invalid.add });
  } catch (err) {
    throw csvReadError(file, `the ${what}`, err);
  }
}

/** Line breaks inside a record's quoted fields: the physical lines it spans after its first. */
function lineBreaks(fields: readonly string[]): number {
  let n = 0;
  for (const s of fields) for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Reads the elections of the ledger's paid claims. `onPaid`, when given, takes each paid claim as
 * it is read (so a million are never held at once); otherwise they are returned. The claims file
 * is read with the fast tokenizer (csv-records-fast.ts) and, when a record needs the general
 * reader, once more with it from the start (`onRestart` is told first).
 */
export async function readElections(o: {
  claimsFile: string;
  electionsFile?: string;
  /** The ledger's rows (of a ledger still being read on another thread: each row there once it is asked for). */
  ledger: Pick<PaidLedger, 'dir' | 'manifest' | 'ledgerPath' | 'ids' | 'amounts'>;
  onPaid?: (c: PaidClaim) => void;
  /** The claims file is being read again from its start (every claim given to onPaid so far is to be forgotten). */
  onRestart?: () => void;
  /** How the claims file is read (as allocate read it): its delimiter (a first line `sep=X` names one too) and --map. */
  delimiter?: string;
  map?: ColumnMap;
  /** Where the claims file is hashed (on a worker thread when it is large); by default on this thread. */
  hashes?: HashThread;
  /**
   * Takes the paid claims that can be read from their bytes (every cell ASCII, an election without
   * a fault, not in the elections file), packed as records without a PaidClaim; the others still go
   * to `onPaid`, in order.
   */
  records?: ClaimBytesSink;
}): Promise<ElectionsRead> {
  const problems: Problem[] = [];
  const err = (file: string, line: number, message: string, field?: string): void =>
    void problems.push({ code: 'input', severity: 'error', file, line, ...(field !== undefined ? { field } : {}), message });

  // The elections file, by claim id.
  const elected = new Map<string, { line: number; cells: string[]; used: boolean }>();
  // Marks the keys (idKey) of the elected ids: a claim whose key is unmarked is not looked up (an
  // elections file lists a few claims of many; a lookup by a new string hashes it first).
  const mayBeElected = new Uint8Array(1 << 16);
  let eCols: ReturnType<typeof columnsOf> | undefined;
  let electionsInput: ManifestInput | undefined;
  if (o.electionsFile !== undefined) {
    const file = o.electionsFile;
    let rows = 0;
    const invalid = new InvalidUtf8Report(file);
    const digest = await read(file, 'elections file', invalid, (cells, line, notUtf8) => {
      if (eCols === undefined) {
        eCols = columnsOf(cells);
        // A UsageError (exit 2), as for the claims file: csvReadError words any other error as one it could not read.
        if (eCols.id === -1) throw new UsageError(`${file}:${line}: no claim_id column (found: ${cells.join(', ')}): the elections are joined on claim_id`);
        return;
      }
      rows++;
      if (notUtf8) return; // reported once for the file (below), the row left out
      const id = (cells[eCols.id] ?? '').trim();
      if (id === '') return err(file, line, 'empty claim_id', 'claim_id');
      const first = elected.get(id);
      if (first !== undefined) return err(file, line, `claim ${id} is already elected on line ${first.line}`, 'claim_id');
      elected.set(id, { line, cells, used: false });
      mayBeElected[idKey(id)] = 1;
    });
    if (eCols === undefined) throw new UsageError(`${file}: empty, expected a header with a claim_id column`);
    problems.push(...invalid.problems());
    electionsInput = { file: basename(file), sha256: digest.sha256, rows };
  }

  const { ledger } = o;
  const claims: PaidClaim[] = [];
  const file = o.claimsFile;
  // Per field: its column in the elections file (-1: absent).
  const fromElections = FIELDS.map((f) => (eCols !== undefined ? eCols.fields[f] : -1));
  let cCols: ReturnType<typeof columnsOf> | undefined;
  let r = 0;
  let mismatch = 0;
  let fromClaims: number[] = [];
  let fallbacks = 0;
  // A spreadsheet's first line `sep=X` names the delimiter (unless another is given) and is no header.
  const first = await sniffFirstLines(file);
  let delimiter = o.delimiter ?? ',';
  if (first?.sep !== undefined && delimiter === ',') delimiter = first.sep;
  const sepLine = first?.sep !== undefined ? 1 : undefined;
  const map = o.map ?? {};
  let claimsInvalid = new InvalidUtf8Report(file);
  const input: ElectionInput = { method: '', email: '', phone: '', venmoHandle: '', routing: '', account: '', accountType: '', name: '', address: '', address2: '', city: '', state: '', zip: '' };
  const place = { file, line: 0, claimId: '' };
  const onRecord = (cells: string[], line: number, notUtf8 = false): void => {
    if (cCols === undefined) {
      if (line === sepLine) return;
      cCols = columnsOf(cells, map);
      if (cCols.id === -1) {
        throw new UsageError(
          map.claim_id !== undefined
            ? `${file}:${line}: no column "${map.claim_id}" (--map claim_id=${map.claim_id}) in the header`
            : `${file}:${line}: no claim_id column: is it the claims file? (a column by another name: --map claim_id=<header>; another delimiter: --delimiter)`,
        );
      }
      fromClaims = FIELDS.map((f) => cCols!.fields[f]);
      return;
    }
    const row = r++;
    if (notUtf8) {
      // Reported once for the file (below); the row is left out, its election marked as seen.
      const e = elected.get(ledger.ids.at(row) ?? '');
      if (e !== undefined) e.used = true;
      return;
    }
    const id = (cells[cCols.id] ?? '').trim();
    if (!ledger.ids.is(row, id)) {
      if (mismatch++ < 10) {
        err(file, line, `claim ${id} where the ledger's row ${row + 1} is ${ledger.ids.at(row) ?? '(past its end)'}: the claims file is not the one ${ledger.ledgerPath} was made from`, 'claim_id');
      }
      return;
    }
    // Without an elections file (the common run) no claim is looked up: no hash of its id.
    const e = elected.size > 0 && mayBeElected[idKey(id)] === 1 ? elected.get(id) : undefined;
    if (e !== undefined) e.used = true;
    const amount = ledger.amounts[row]!;
    if (amount <= 0n) return; // zero amounts get no payment, and need no election
    // Field k's cell: from the elections file when it lists the claim and has the column, else
    // from the claims file. One object for every claim, its fields set in place (readElection
    // keeps none of it; an object per claim, and keyed stores into {}, were hot spots). No closure
    // per claim: `cellOf` is a module function (a closure made per row was a hot spot).
    const ec = e?.cells;
    input.method = cellOf(0, cells, fromClaims, ec, fromElections);
    input.email = cellOf(1, cells, fromClaims, ec, fromElections);
    input.phone = cellOf(2, cells, fromClaims, ec, fromElections);
    input.venmoHandle = cellOf(3, cells, fromClaims, ec, fromElections);
    input.routing = cellOf(4, cells, fromClaims, ec, fromElections);
    input.account = cellOf(5, cells, fromClaims, ec, fromElections);
    input.accountType = cellOf(6, cells, fromClaims, ec, fromElections);
    input.name = cellOf(7, cells, fromClaims, ec, fromElections);
    input.address = cellOf(8, cells, fromClaims, ec, fromElections);
    input.address2 = cellOf(9, cells, fromClaims, ec, fromElections);
    input.city = cellOf(10, cells, fromClaims, ec, fromElections);
    input.state = cellOf(11, cells, fromClaims, ec, fromElections);
    input.zip = cellOf(12, cells, fromClaims, ec, fromElections);
    // Where its problems are, set in place too (readElection copies it into each problem).
    if (e !== undefined && o.electionsFile !== undefined) {
      place.file = o.electionsFile;
      place.line = e.line;
    } else {
      place.file = file;
      place.line = line;
    }
    place.claimId = id;
    const result = readElection(input, place);
    if (result.problems.length > 0) for (const p of result.problems) problems.push(p);
    if (result.election !== undefined && result.problems.length > 0) fallbacks++;
    if (result.election !== undefined) {
      const paid: PaidClaim = result.mailing ? { claimId: id, amount, row, election: result.election, mailing: result.mailing } : { claimId: id, amount, row, election: result.election };
      if (o.onPaid) o.onPaid(paid);
      else claims.push(paid);
    }
  };
  // The common claim read from its bytes (o.records): the fields' positions, untrimmed, by election field.
  const electionBytes = new ElectionBytes();
  const at = new Int32Array(2 * ELECTION_FIELDS);
  const records = o.records;
  /**
   * A record of the claims file taken from its bytes, as onRecord would take it when it finds no
   * problem, or the one fault of a claim paid by check instead (ElectionBytes.fallback: a warning
   * made as readElection makes it): no string is made but the warning's. False (nothing done) for
   * anything else: onRecord reads it.
   */
  const fromBytes = (record: FastCsv, count: number): boolean => {
    if (records === undefined || cCols === undefined) return false;
    const idColumn = cCols.id;
    if (idColumn >= count || record.fieldDoubled(idColumn) === 1) return false;
    const src = record.buffer;
    let s = record.fieldStart(idColumn);
    let e = record.fieldEnd(idColumn);
    while (s < e && isSpace(src[s]!)) s++;
    while (e > s && isSpace(src[e - 1]!)) e--;
    const row = r;
    if (s === e || !ledger.ids.isBytes(row, src, s, e)) return false;
    // A claim the elections file lists is read as strings (its cells come from both files).
    if (elected.size > 0 && mayBeElected[idKeyOfBytes(src, s, e)] === 1 && elected.has(ledger.ids.at(row)!)) return false;
    const amount = ledger.amounts[row]!;
    if (amount <= 0n) {
      r++;
      return true;
    }
    if (amount > MAX_I64) return false; // sent as its digits: left to onRecord
    for (let k = 0; k < ELECTION_FIELDS; k++) {
      const c = fromClaims[k]!;
      if (c === -1 || c >= count) {
        at[2 * k] = 0;
        at[2 * k + 1] = 0;
      } else {
        if (record.fieldDoubled(c) === 1) return false;
        at[2 * k] = record.fieldStart(c);
        at[2 * k + 1] = record.fieldEnd(c);
      }
    }
    if (!electionBytes.read(src, at) || !records.addBytes(row, amount, src, s, e, electionBytes)) return false;
    if (electionBytes.fallback !== 0) {
      // Paid by check to its mailing address, with readElection's warning (its one fault).
      problems.push(electionBytes.warning({ file, line: record.line, claimId: ledger.ids.at(row)! }));
      fallbacks++;
    }
    r++;
    return true;
  };
  // Only the claim id and the election columns of the claims file become strings.
  const wanted = (header: string[]): Uint8Array | undefined => {
    if (sepLine !== undefined && cCols === undefined) return undefined; // the sep line: the header comes next
    const { id, fields } = columnsOf(header, map);
    const read = new Uint8Array(header.length);
    for (const k of [id, ...Object.values(fields)]) if (k >= 0) read[k] = 1;
    return read;
  };
  const before = problems.length;
  let digest: FileDigest | undefined;
  try {
    // Only the claim id outlives its row (in problems): the election's cells are made into the
    // files' rows (joined: copies) before the next record, so they may be slices of the chunk.
    const own = (header: string[]): Uint8Array => {
      const keep = new Uint8Array(header.length);
      const { id } = columnsOf(header, map);
      if (id >= 0) keep[id] = 1;
      return keep;
    };
    // Bytes that are not UTF-8 are left to the general reader, which reports them.
    digest = await readCsvFileFast(file, delimiter, onRecord, wanted, own, {
      utf8: true,
      ...(o.hashes !== undefined ? { hashes: o.hashes } : {}),
      ...(records !== undefined ? { bytes: fromBytes } : {}),
    });
  } catch (error) {
    throw csvReadError(file, 'the claims file', error);
  }
  if (digest === undefined) {
    // A record the fast tokenizer leaves to the general reader: the whole file again with it.
    claims.length = 0;
    problems.length = before;
    cCols = undefined;
    r = 0;
    mismatch = 0;
    fallbacks = 0;
    for (const e of elected.values()) e.used = false;
    o.onRestart?.();
    claimsInvalid = new InvalidUtf8Report(file);
    digest = await read(file, 'claims file', claimsInvalid, onRecord, delimiter);
  }
  if (cCols === undefined) throw new UsageError(`${file}: empty, not a claims file`);
  problems.push(...claimsInvalid.problems());
  if (r !== ledger.ids.length) {
    problems.push({ code: 'input', severity: 'error', file, message: `${claimCount(r)}, the ledger ${countOf(ledger.ids.length, 'row')}: the claims file is not the one ${ledger.ledgerPath} was made from` });
  }
  const recorded = ledger.manifest.claims?.sha256;
  if (recorded !== undefined && recorded !== digest.sha256) {
    throw new UsageError(`${file}: sha256 ${digest.sha256}, but ${ledger.dir}/manifest.json records ${recorded}: not the claims file the ledger was made from`);
  }
  if (o.electionsFile !== undefined) {
    for (const [id, { line, used }] of elected) {
      if (!used) problems.push({ code: 'input', severity: 'warning', file: o.electionsFile, line, field: 'claim_id', message: `claim ${id} is not in the ledger; its election is not used` });
    }
  }
  problems.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : (a.file ?? '') < (b.file ?? '') ? -1 : 1));
  return {
    claims,
    problems,
    fallbacks,
    inputs: { claims: { file: basename(file), sha256: digest.sha256, rows: r }, ...(electionsInput ? { elections: electionsInput } : {}) },
  };
}
