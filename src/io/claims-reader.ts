/**
 * Reads a claims CSV (SPEC section 2) into the compact ClaimTable, collecting every problem with
 * the physical line on which its record starts.
 *
 * Two parts: `ClaimsCollector`, which takes one record at a time as `(fields, line)` and does all
 * the checking and interning (any tokenizer can feed it), and `readClaims`, which streams the file
 * through a UTF-8 check and a tokenizer into it: the fast path of csv-fast.ts for plain records,
 * csv-parse from the first record that is anything else (or for the whole file with
 * PAYOUT_CSV=csv-parse); docs/performance.md has the design. Nothing keeps whole rows: per row the table keeps
 * an id, a line and three small indices; the duplicate checks keep one map entry per claim.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createHash, type Hash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Parser, CsvError, type Options as CsvOptions } from 'csv-parse';
import { CLAIM_FIELDS, ClaimIds, type ClaimField, type ClaimTable, type UnitsValue } from '../core/claims.js';
import type { Plan } from '../core/plan.js';
import type { Problem, ProblemCode } from '../core/problems.js';
import { exactDecimal, formatDec, parseDec, pow10, type Dec } from '../core/decimal.js';
import { UsageError } from '../core/errors.js';
import { Utf8LineChecker, hasUtf16Bom } from './csv-utf8.js';
import { ClaimantIndex, ExactLineIndex, claimantShown, hash32 } from './csv-dedupe.js';
import { FastCsv, fastPathSupports, type ColumnPlan } from './csv-fast.js';
import { WORKER_MIN_BYTES } from './early-workers.js';
import { TieKeyPrefixes } from './tie-keys.js';
import { DuplicateChecks, type DuplicateHit } from './dedupe-batch.js';

export { CLAIM_FIELDS, type ClaimField };
const REQUIRED: ReadonlySet<ClaimField> = new Set(['claim_id', 'class']);

/** At most this many problems of each severity are kept as objects; all of them are counted. */
export const DEFAULT_MAX_STORED_PROBLEMS = 10_000;
/** A record longer than this (in characters) is a runaway quote or a wrong delimiter, not a claim. */
export const MAX_RECORD_CHARS = 1 << 20;
/** Units have at most this many decimal places (SPEC section 2). */
export const UNITS_MAX_DECIMALS = 6;

export interface ReadClaimsOptions {
  /** Field → header, from `--map claim_id=ClaimNumber`; matched case-insensitively after trimming. */
  map?: Partial<Record<ClaimField, string>>;
  /** One character; default `,`. */
  delimiter?: string;
  /** Columns to carry into the ledger (`--keep`); each must be in the header. */
  keep?: string[];
  /** Cap on stored problem objects per severity (default 10,000); counting never stops. */
  maxStoredProblems?: number;
  /** Called for every problem as it is found (also beyond the cap), with the row's claim id if known. */
  onProblem?: (problem: Problem, claimId: string | undefined) => void;
  /** Also compute the SHA-256 of the file's bytes (for a manifest) in the same pass. */
  sha256?: boolean;
  /**
   * Called before each chunk of the file is parsed; a returned promise pauses the reading until
   * it settles. Lets an `onProblem` writer apply backpressure (a million bad rows must not pile
   * up in its buffer).
   */
  throttle?: () => Promise<unknown> | undefined;
  /** Called as each chunk is read: bytes read so far and rows handled so far (for a progress bar). */
  onProgress?: (bytes: number, rows: number) => void;
  /**
   * Which tokenizer reads the file: `fast` (the default: csv-fast.ts, with csv-parse taking over at
   * the first record that is not plain) or `csv-parse` for all of it. The environment variable
   * `PAYOUT_CSV=csv-parse` changes the default; both give the same records, lines and problems.
   */
  csv?: CsvTokenizer;
  /**
   * The plan's seed, when the claims will be allocated by largest remainder: the tie-break key
   * prefixes of the table's rows (SPEC 4a) are then computed on a worker thread while the file is
   * read, and returned as `tieKeyPrefixes` (see tie-keys.ts).
   */
  tieKeySeed?: string;
  /**
   * Where the duplicate-claimant checks (email; name and address) are done: `inline`, row by row,
   * or `batched` (dedupe-batch.ts: on a worker thread when there is one, else on this thread).
   * Default: batched on a worker thread for files of 8 MiB and more, else inline. Both give the
   * same problems and stats; with `batched`, `onProblem` sees those warnings at the end.
   */
  duplicateChecks?: 'inline' | 'batched';
}

export type CsvTokenizer = 'fast' | 'csv-parse';

export interface ClassSummary {
  id: string;
  /** Claim rows of this class that have no errors. */
  claims: number;
  /** Of those, the claims whose status is eligible. */
  eligible: number;
  /** Σ units of the eligible claims (exact decimal text). */
  units: string;
  /** Σ points of the eligible claims: weight × units in weights mode, units in pools mode. */
  points: string;
}

export interface StatusSummary {
  status: string;
  claims: number;
  eligible: boolean;
}

export interface ClaimsStats {
  /** The file as the user named it. */
  file: string;
  bytes: number;
  /** Lowercase hex SHA-256 of the bytes, when asked for. */
  sha256?: string;
  /** The header as written (trimmed), or empty when there is none. */
  headers: string[];
  /** Physical line of the header. */
  headerLine: number;
  /** The header used for each field, or null when the column is absent. */
  columns: Record<ClaimField, string | null>;
  /** Claim rows read (blank rows and the header not counted), with or without errors. */
  rows: number;
  /** Rows left out of the table because of an error. */
  invalidRows: number;
  blankRows: number;
  errors: number;
  warnings: number;
  /** Errors and warnings counted per code (all of them, not only the stored ones). */
  errorsByCode: Partial<Record<ProblemCode, number>>;
  warningsByCode: Partial<Record<ProblemCode, number>>;
  /** Set when a syntax error stopped the reading: the line of the record where it stopped. */
  stoppedAtLine?: number;
  classes: ClassSummary[];
  statuses: StatusSummary[];
}

export interface ReadClaimsResult {
  table: ClaimTable;
  /** The stored problems (see maxStoredProblems), ordered by line. */
  problems: Problem[];
  stats: ClaimsStats;
  /**
   * With `tieKeySeed` and no errors: per table row, the first 48 bits of its tie-break key
   * SHA-256(seed + ":" + claim_id), for `allocate`'s `tieKeyPrefixes`.
   */
  tieKeyPrefixes?: Float64Array;
}

/** A header cell as payout compares it. */
const headerKey = (h: string): string => h.trim().toLowerCase();

export { normaliseForMatch, hashNormalised } from './csv-dedupe.js';

/** `idHash` of a claim id recorded while the ids come in increasing order (ClaimsCollector.idsIncreasing). */
const IN_ORDER = -2;

/** Every cell is blank after trim(). Most records start with a visible ASCII character: no trim then. */
function isBlankRecord(fields: string[]): boolean {
  for (let f = 0; f < fields.length; f++) {
    const cell = fields[f] as string;
    if (cell.length === 0) continue;
    const c = cell.charCodeAt(0);
    if ((c > 0x20 && c < 0x7f) || cell.trim() !== '') return false;
  }
  return true;
}


function quoteList(items: readonly string[], max = 12): string {
  const shown = items.slice(0, max).map((h) => (h === '' ? '(empty)' : h));
  return shown.join(', ') + (items.length > max ? `, … (${items.length - max} more)` : '');
}

/** Grows a typed array by doubling. */
function grow<T extends Uint32Array | Uint16Array>(a: T, make: (n: number) => T): T {
  const b = make(a.length * 2);
  b.set(a);
  return b;
}

/**
 * The first `n` values: a view when the array is about full (no copy of a million values), a
 * copy when most of it is unused room.
 */
function fitted<T extends Uint32Array | Uint16Array>(a: T, n: number): T {
  return (n >= a.length - (a.length >> 3) ? a.subarray(0, n) : a.slice(0, n)) as T;
}

/** The outcome of checking one units cell: an index into the distinct values, or a message. */
type UnitsCheck = number | string;

/**
 * Checks records one at a time and builds the ClaimTable. Feed it with `record(fields, line)` in
 * file order (the header first; blank lines may be fed or left out), report tokenizer problems
 * with `syntaxError` and `invalidUtf8`, then call `finish`.
 */
export class ClaimsCollector {
  private readonly file: string;
  private readonly plan: Plan;
  private readonly opts: ReadClaimsOptions;
  private readonly maxStored: number;

  // Header state
  private headers: string[] | undefined;
  private headerLine = 0;
  private expectedFields = 0;
  private columnsUsable = false;
  private readonly col: Record<ClaimField, number> = {
    claim_id: -1, class: -1, units: -1, status: -1, email: -1, name: -1, address: -1,
  };
  private keepCols: Array<[name: string, index: number]> = [];
  private stopped = false;
  private stoppedAtLine: number | undefined;
  private plannedColumns: ColumnPlan | undefined;

  // Problems
  private readonly stored: Problem[] = [];
  private storedErrors = 0;
  private storedWarnings = 0;
  private errors = 0;
  private warnings = 0;
  private readonly errorsByCode: Partial<Record<ProblemCode, number>> = {};
  private readonly warningsByCode: Partial<Record<ProblemCode, number>> = {};
  /** Invalid-UTF-8 problems found ahead of the parser, held until the rows before them are done. */
  private readonly pendingUtf8: Problem[] = [];
  private pendingHead = 0;

  // Interning: each distinct cell text is checked once.
  private readonly classIds: Map<string, number>;
  private readonly classList: string;
  private readonly classCache = new Map<string, number>();
  private readonly statusCache = new Map<string, number>();
  private readonly statusIndex = new Map<string, number>();
  private readonly statuses: string[] = [];
  private readonly unitsCache = new Map<string, UnitsCheck>();
  private readonly unitsByText = new Map<string, number>();
  private readonly units: UnitsValue[] = [];
  // The last cell of each and what it gave: consecutive rows mostly repeat their class, units and
  // status (the fast tokenizer then hands on the very same string), so most rows need no lookup.
  private lastClass: string | undefined;
  private lastClassIndex = -1;
  private lastUnits: string | undefined;
  private lastUnitsCheck: UnitsCheck = -1;
  private lastStatus: string | undefined;
  private lastStatusIndex = -1;
  private defaultUnitsIndex = -1;

  // Duplicate checks. Claim ids: exact, by reference to the table row (ref > 0) or, for a row
  // left out for an error, to `otherIds` (ref < 0). Emails, names and addresses: by 64-bit hash.
  private readonly idIndex = new ExactLineIndex((ref) => (ref > 0 ? this.ids.get(ref - 1) : (this.otherIds[-ref - 1] as string)));
  private readonly otherIds: string[] = [];
  private readonly otherLines: number[] = [];
  /**
   * While every claim id so far came after the one before (claims systems mostly export in id
   * order), a new id that comes after the last is unlike every earlier one: nothing is looked up
   * and the index stays empty. At the first id out of order the index is built from every id so
   * far (`indexIds`) and used from then on. Ids compare as JavaScript strings (any total order
   * will do). A million ids: ~0.25 s less on the reading thread, and ~11 bytes a claim less.
   */
  private idsIncreasing = true;
  private lastId: string | undefined;
  private expectedRows = 0;
  private readonly claimants = new ClaimantIndex();
  private checksEmail = false;
  private checksNameAddress = false;
  /** Set for large files: the email and name/address checks go out (dedupe-batch.ts), row by row. */
  private deferredChecks: ((line: number, claimId: string, fields: string[]) => void) | undefined;

  // The table, grown by doubling.
  private count = 0;
  private rows = 0;

  /** Rows handled so far (for progress). */
  get rowCount(): number {
    return this.rows;
  }
  private invalidRows = 0;
  private blankRows = 0;
  private readonly ids = new ClaimIds();
  private lines = new Uint32Array(1024);
  private classIndex = new Uint16Array(1024);
  private unitsIndex = new Uint32Array(1024);
  private statusIdx = new Uint16Array(1024);
  private kept: string[][] = [];

  constructor(file: string, plan: Plan, opts: ReadClaimsOptions = {}) {
    this.file = file;
    this.plan = plan;
    this.opts = opts;
    this.maxStored = opts.maxStoredProblems ?? DEFAULT_MAX_STORED_PROBLEMS;
    this.classIds = new Map(plan.classes.map((c, i) => [c.id.trim().toLowerCase(), i]));
    this.classList = plan.classes.map((c) => c.id).join(', ');
  }

  /**
   * A guess of how many claim rows will come (from the file's length), so the table and the
   * duplicate indices are sized once instead of grown step by step. Only a hint: they still grow
   * past it, and nothing is checked differently.
   */
  expectRows(rows: number): void {
    const n = Math.min(Math.max(0, Math.ceil(rows)), 1 << 27);
    if (n <= this.lines.length) return;
    const resize = <T extends Uint32Array | Uint16Array>(a: T, make: (k: number) => T): T => {
      const b = make(n);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.lines = resize(this.lines, (k) => new Uint32Array(k));
    this.classIndex = resize(this.classIndex, (k) => new Uint16Array(k));
    this.unitsIndex = resize(this.unitsIndex, (k) => new Uint32Array(k));
    this.statusIdx = resize(this.statusIdx, (k) => new Uint16Array(k));
    this.expectedRows = n;
    if (!this.idsIncreasing) this.idIndex.reserve(n);
    this.ids.reserve(n);
    if (this.deferredChecks === undefined) this.claimants.reserve(n, this.checksEmail, this.checksNameAddress);
  }

  private duplicateEmail(line: number, first: number, shown: string, claimId: string | undefined): void {
    this.warning('duplicate_email', line, 'email', `same email as line ${first}: "${shown}" (possible duplicate claim)`, claimId);
  }

  private duplicateNameAddress(line: number, first: number, claimId: string | undefined): void {
    this.warning('duplicate_name_address', line, 'name', `same name and address as line ${first} (possible duplicate claim)`, claimId);
  }

  /**
   * Before the first record: from now on the email and name/address checks of each row are handed
   * to `sink` (the row's line, claim id and fields; those cells may be "" when the tokenizer knows
   * where they are in the file, see `columnPlan`) instead of done here. Their duplicates come back,
   * in row order, through `addDuplicateHits` before `finish`.
   */
  deferDuplicateChecks(sink: (line: number, claimId: string, fields: string[]) => void): void {
    this.deferredChecks = sink;
  }

  /** The columns of the duplicate checks (after the header), and which checks there are. */
  get duplicateColumns(): { email: number; name: number; address: number; checksEmail: boolean; checksNameAddress: boolean } {
    const c = this.col;
    return { email: c.email, name: c.name, address: c.address, checksEmail: this.checksEmail, checksNameAddress: this.checksNameAddress };
  }

  /**
   * The duplicates the deferred checks found, in row order (email before name and address within a
   * row), as the same warnings, stored and counted the same as if each had been found with its row:
   * warnings are kept in line order (the first maxStoredProblems of them by line; no line has both
   * a blank-row and a duplicate warning), and a row's errors come before its warnings. Only
   * `onProblem` sees these warnings later than it would have (at the end, in line order).
   */
  addDuplicateHits(hits: readonly DuplicateHit[]): void {
    if (hits.length === 0) return;
    const cap = this.maxStored;
    const found: Problem[] = [];
    for (const hit of hits) {
      const p: Problem =
        hit.kind === 'email'
          ? { code: 'duplicate_email', severity: 'warning', file: this.file, line: hit.line, message: `same email as line ${hit.first}: "${hit.shown}" (possible duplicate claim)`, field: 'email' }
          : { code: 'duplicate_name_address', severity: 'warning', file: this.file, line: hit.line, message: `same name and address as line ${hit.first} (possible duplicate claim)`, field: 'name' };
      this.warningsByCode[p.code] = (this.warningsByCode[p.code] ?? 0) + 1;
      this.warnings++;
      if (found.length < cap) found.push(p);
      this.opts.onProblem?.(p, hit.claimId === '' ? undefined : hit.claimId);
    }
    const errors: Problem[] = [];
    const warnings: Problem[] = [];
    for (const p of this.stored) (p.severity === 'error' ? errors : warnings).push(p);
    const merged: Problem[] = [];
    let i = 0;
    let j = 0;
    while (merged.length < cap && (i < warnings.length || j < found.length)) {
      const a = warnings[i];
      const b = found[j];
      if (b === undefined || (a !== undefined && (a.line ?? 0) <= (b.line ?? 0))) {
        merged.push(a as Problem);
        i++;
      } else {
        merged.push(b);
        j++;
      }
    }
    this.stored.length = 0;
    this.stored.push(...errors, ...merged);
    this.storedWarnings = merged.length;
  }

  /** Errors so far (all of them once the reading is over: the deferred checks add warnings only). */
  get errorCount(): number {
    return this.errors;
  }

  /** The claim ids of the table so far, one per row in order (rows are only ever appended). */
  get tableIds(): ClaimIds {
    return this.ids;
  }

  /** True once a syntax error has ended the reading: later records are ignored. */
  get isStopped(): boolean {
    return this.stopped;
  }

  private add(p: Problem, claimId?: string): void {
    const byCode = p.severity === 'error' ? this.errorsByCode : this.warningsByCode;
    byCode[p.code] = (byCode[p.code] ?? 0) + 1;
    if (p.severity === 'error') {
      this.errors++;
      if (this.storedErrors < this.maxStored) {
        this.storedErrors++;
        this.stored.push(p);
      }
    } else {
      this.warnings++;
      if (this.storedWarnings < this.maxStored) {
        this.storedWarnings++;
        this.stored.push(p);
      }
    }
    this.opts.onProblem?.(p, claimId);
  }

  private error(code: ProblemCode, line: number | undefined, field: string | undefined, message: string, claimId?: string): void {
    const p: Problem = { code, severity: 'error', file: this.file, message };
    if (line !== undefined) p.line = line;
    if (field !== undefined) p.field = field;
    this.add(p, claimId);
  }

  private warning(code: ProblemCode, line: number, field: string | undefined, message: string, claimId?: string): void {
    const p: Problem = { code, severity: 'warning', file: this.file, line, message };
    if (field !== undefined) p.field = field;
    this.add(p, claimId);
  }

  /** Adds the pending invalid-UTF-8 problems up to a line; true when one is on that very line. */
  private drainUtf8(upToLine: number): boolean {
    const pending = this.pendingUtf8;
    let onLine = false;
    while (this.pendingHead < pending.length && ((pending[this.pendingHead] as Problem).line ?? 0) <= upToLine) {
      const p = pending[this.pendingHead++] as Problem;
      if (p.line === upToLine) onLine = true;
      this.add(p);
    }
    if (this.pendingHead === pending.length && this.pendingHead > 0) {
      pending.length = 0;
      this.pendingHead = 0;
    }
    return onLine;
  }

  /** A line holding bytes that are not UTF-8. */
  invalidUtf8(line: number, byte: number): void {
    const hex = byte.toString(16).toUpperCase().padStart(2, '0');
    this.pendingUtf8.push({
      code: 'invalid_utf8',
      severity: 'error',
      file: this.file,
      line,
      message: `invalid UTF-8 (byte 0x${hex}): re-export the file as CSV UTF-8`,
    });
  }

  /** A problem that stops the reading (a CSV syntax error the tokenizer cannot recover from). */
  syntaxError(code: ProblemCode, line: number, message: string, columnIndex?: number): void {
    this.drainUtf8(line);
    const field = columnIndex !== undefined ? this.headers?.[columnIndex]?.trim() : undefined;
    this.error(code, line, field || undefined, `${message}; reading stopped here`);
    this.stopped = true;
    this.stoppedAtLine = line;
  }

  /**
   * The one place a record is handled: the first non-blank record is the header, every later one
   * a claim. Returns false once reading should stop. The array is read during the call only (the
   * fast tokenizer reuses it).
   */
  record(fields: string[], line: number): boolean {
    if (this.stopped) return false;
    const badBytes = this.drainUtf8(line);
    if (fields.length === 1 && fields[0] === '') return true; // an empty line
    if (this.headers === undefined) {
      if (isBlankRecord(fields)) return true;
      this.header(fields, line);
      return !this.stopped;
    }
    if (isBlankRecord(fields)) {
      this.blankRows++;
      this.warning('blank_row', line, undefined, 'blank row (skipped)');
      return true;
    }
    this.row(fields, line, badBytes);
    return true;
  }

  private header(fields: string[], line: number): void {
    this.headerLine = line;
    this.headers = fields.map((h) => h.trim());
    this.expectedFields = fields.length;
    if (fields.some((h) => h.includes('\r'))) {
      // Only LF and CRLF end a record; a file with bare CR line ends reads as one long header.
      this.syntaxError(
        'csv_syntax',
        line,
        'the lines end with a carriage return alone (old Mac format): re-export the file as CSV UTF-8 with CRLF or LF line ends',
      );
      return;
    }
    const keys = this.headers.map(headerKey);
    const found = quoteList(this.headers);
    const map = this.opts.map ?? {};
    const usedBy = new Map<number, ClaimField>();
    let usable = true;
    for (const field of CLAIM_FIELDS) {
      const mapped = map[field];
      const wanted = headerKey(mapped ?? field);
      const at: number[] = [];
      keys.forEach((k, i) => {
        if (k === wanted) at.push(i);
      });
      if (at.length === 0) {
        if (mapped !== undefined) {
          this.error('missing_column', line, field, `--map ${field}=${mapped}: no column "${mapped}" in the header (found: ${found})`);
          if (REQUIRED.has(field)) usable = false;
        } else if (REQUIRED.has(field)) {
          this.error(
            'missing_column',
            line,
            field,
            `missing column "${field}" (found: ${found}); rename the column or add --map ${field}=<header>`,
          );
          usable = false;
        }
        continue;
      }
      if (at.length > 1) {
        const which = at.map((i) => `${i + 1} ("${this.headers?.[i] ?? ''}")`).join(' and ');
        this.error('duplicate_column', line, field, `columns ${which} both name ${field}: rename or remove one`);
        usable = false;
        continue;
      }
      const index = at[0] as number;
      const other = usedBy.get(index);
      if (other !== undefined) {
        this.error('duplicate_column', line, field, `column "${this.headers[index] ?? ''}" is already used for ${other}`);
        usable = false;
        continue;
      }
      usedBy.set(index, field);
      this.col[field] = index;
    }
    for (const name of this.opts.keep ?? []) {
      const at: number[] = [];
      keys.forEach((k, i) => {
        if (k === headerKey(name)) at.push(i);
      });
      if (at.length === 0) {
        this.error('missing_column', line, name, `--keep ${name}: no column "${name}" in the header (found: ${found})`);
      } else if (at.length > 1) {
        this.error('duplicate_column', line, name, `--keep ${name}: columns ${at.map((i) => i + 1).join(' and ')} have this name`);
      } else {
        this.keepCols.push([name, at[0] as number]);
        this.kept.push([]);
      }
    }
    this.columnsUsable = usable;
    this.checksEmail = this.col.email >= 0;
    this.checksNameAddress = this.col.name >= 0 && this.col.address >= 0;
    this.plannedColumns = this.makeColumnPlan();
  }

  /**
   * After the header: the columns whose cells a row check reads, and of those the ones whose text
   * is kept (ids, --keep, interned classes, units and statuses). A tokenizer may hand on "" for the
   * other cells (csv-fast.ts does), as long as it gives the whole record when every cell read is
   * blank. Undefined until the header is read.
   */
  columnPlan(): ColumnPlan | undefined {
    return this.plannedColumns;
  }

  private makeColumnPlan(): ColumnPlan {
    const width = this.expectedFields;
    const read = new Uint8Array(width);
    const own = new Uint8Array(width);
    const repeat = new Uint8Array(width);
    const mark = (i: number, kept: boolean, repeats = false): void => {
      if (i < 0 || i >= width) return;
      read[i] = 1;
      if (kept) own[i] = 1;
      if (repeats) repeat[i] = 1;
    };
    const c = this.col;
    // Interned through caches keyed by the cell: one string per distinct value is best.
    mark(c.class, true, true);
    mark(c.units, true, true);
    mark(c.status, true, true);
    // Only hashed (a duplicate warning copies what it shows); not read here when checked elsewhere.
    if (this.deferredChecks === undefined) {
      mark(c.email, false);
      mark(c.name, false);
      mark(c.address, false);
    }
    for (const [, i] of this.keepCols) mark(i, true);
    mark(c.claim_id, true, false);
    if (c.claim_id >= 0 && c.claim_id < width) repeat[c.claim_id] = 0;
    return { read, own, repeat };
  }

  /** `badBytes`: the row's first line holds invalid UTF-8 (reported already); the row is left out. */
  private row(fields: string[], line: number, badBytes: boolean): void {
    this.rows++;
    if (fields.length !== this.expectedFields) {
      this.invalidRows++;
      this.error(
        'column_count',
        line,
        undefined,
        `expected ${this.expectedFields} field${this.expectedFields === 1 ? '' : 's'}, found ${fields.length}` +
          (fields.length > this.expectedFields ? ' (an unquoted delimiter in a value?)' : ''),
      );
      return;
    }
    if (!this.columnsUsable) {
      this.invalidRows++;
      return;
    }
    const col = this.col;
    const id = (fields[col.claim_id] as string).trim();
    let ok = !badBytes;
    /**
     * The id's hash while it still has to be recorded (not empty, not a duplicate); IN_ORDER: to
     * be recorded, but not in the index (see `idsIncreasing`); -1: not to be recorded.
     */
    let idHash = -1;
    if (id === '') {
      ok = false;
      this.error('empty_claim_id', line, 'claim_id', 'claim_id is empty');
    } else if (this.idsIncreasing && (this.lastId === undefined || id > this.lastId)) {
      this.lastId = id;
      idHash = IN_ORDER;
    } else {
      if (this.idsIncreasing) this.indexIds();
      const h = hash32(id);
      const ref = this.idIndex.find(id, h);
      if (ref !== 0) {
        ok = false;
        const first = ref > 0 ? (this.lines[ref - 1] as number) : (this.otherLines[-ref - 1] as number);
        this.error('duplicate_claim_id', line, 'claim_id', `claim_id "${id}" already on line ${first}`, id);
      } else idHash = h;
    }
    const claimId = id === '' ? undefined : id;

    const classCell = fields[col.class] as string;
    let ci: number;
    if (classCell === this.lastClass) ci = this.lastClassIndex;
    else {
      let cached = this.classCache.get(classCell);
      if (cached === undefined) {
        cached = this.classIds.get(classCell.trim().toLowerCase()) ?? -1;
        if (this.classCache.size < 4096) this.classCache.set(classCell, cached);
      }
      ci = cached;
      this.lastClass = classCell;
      this.lastClassIndex = ci;
    }
    if (ci < 0) {
      ok = false;
      const shown = classCell.trim();
      this.error(
        'unknown_class',
        line,
        'class',
        shown === '' ? `class is empty (expected: ${this.classList})` : `unknown class "${shown}" (expected: ${this.classList})`,
        claimId,
      );
    }

    let ui: number;
    if (col.units < 0) ui = this.defaultUnits();
    else {
      const check = this.checkUnits(fields[col.units] as string);
      if (typeof check === 'string') {
        ok = false;
        ui = -1;
        this.error('bad_units', line, 'units', check, claimId);
      } else ui = check;
    }

    const si = col.status < 0 ? this.internStatus('') : this.internStatus(fields[col.status] as string);
    if (si < 0) {
      ok = false;
      this.error('input', line, 'status', `more than 65,535 different status values: is this the status column?`, claimId);
    }

    if (this.deferredChecks !== undefined) {
      if (this.checksEmail || this.checksNameAddress) this.deferredChecks(line, id, fields);
    } else {
      if (this.checksEmail) {
        const email = fields[col.email] as string;
        const first = this.claimants.email(email, line);
        if (first !== 0) this.duplicateEmail(line, first, claimantShown(email), claimId);
      }
      if (this.checksNameAddress) {
        const first = this.claimants.nameAddress(fields[col.name] as string, fields[col.address] as string, line);
        if (first !== 0) this.duplicateNameAddress(line, first, claimId);
      }
    }

    if (!ok) {
      this.invalidRows++;
      if (idHash !== -1) {
        this.otherIds.push(id);
        this.otherLines.push(line);
        if (idHash >= 0) this.idIndex.insert(idHash, -this.otherIds.length);
      }
      return;
    }
    const n = this.count;
    if (n === this.lines.length) {
      this.lines = grow(this.lines, (k) => new Uint32Array(k));
      this.classIndex = grow(this.classIndex, (k) => new Uint16Array(k));
      this.unitsIndex = grow(this.unitsIndex, (k) => new Uint32Array(k));
      this.statusIdx = grow(this.statusIdx, (k) => new Uint16Array(k));
    }
    this.ids.push(id);
    this.lines[n] = line;
    this.classIndex[n] = ci;
    this.unitsIndex[n] = ui;
    this.statusIdx[n] = si;
    for (let k = 0; k < this.keepCols.length; k++) {
      (this.kept[k] as string[]).push(fields[(this.keepCols[k] as [string, number])[1]] as string);
    }
    this.count = n + 1;
    if (idHash >= 0) this.idIndex.insert(idHash, n + 1);
  }

  /** The first claim id out of order: every id recorded so far goes into the index, which is used from now on. */
  private indexIds(): void {
    this.idsIncreasing = false;
    this.idIndex.reserve(Math.max(this.expectedRows, this.count + this.otherIds.length));
    for (let r = 0; r < this.count; r++) this.idIndex.insert(hash32(this.ids.get(r)), r + 1);
    for (let k = 0; k < this.otherIds.length; k++) this.idIndex.insert(hash32(this.otherIds[k] as string), -(k + 1));
  }

  private defaultUnits(): number {
    if (this.defaultUnitsIndex < 0) this.defaultUnitsIndex = this.internUnits({ n: 1n, scale: 0 });
    return this.defaultUnitsIndex;
  }

  private internUnits(value: Dec): number {
    const text = formatDec(value);
    let i = this.unitsByText.get(text);
    if (i === undefined) {
      i = this.units.length;
      const canonical = parseDec(text) as Dec;
      this.units.push({ text, value: canonical });
      this.unitsByText.set(text, i);
    }
    return i;
  }

  /**
   * SPEC section 2: a positive decimal with at most 6 decimal places. An empty cell is an error,
   * not a silent 1: units decide money, and a blank is more often a lost value than a default.
   * (Leave the column out to give every claim 1 unit.) Trailing zeros do not count as places.
   */
  private checkUnits(cell: string): UnitsCheck {
    if (cell === this.lastUnits) return this.lastUnitsCheck;
    let result = this.unitsCache.get(cell);
    if (result === undefined) {
      result = this.checkUnitsText(cell.trim());
      if (this.unitsCache.size < 100_000) this.unitsCache.set(cell, result);
    }
    this.lastUnits = cell;
    this.lastUnitsCheck = result;
    return result;
  }

  private checkUnitsText(text: string): UnitsCheck {
    if (text === '') return 'units is empty (write 1 for one unit, or leave out the units column to give every claim 1)';
    const d = parseDec(text);
    if (d === undefined) {
      if (/^\d+,\d+$/.test(text)) return `units "${text}" uses a comma: write the decimal point as "." (e.g. ${text.replace(',', '.')})`;
      return `units "${text}" is not a positive decimal such as 1 or 2.5`;
    }
    if (d.n <= 0n) return `units must be greater than 0, found "${text}"`;
    const canonical = parseDec(formatDec(d)) as Dec;
    if (canonical.scale > UNITS_MAX_DECIMALS) return `units "${text}" has more than ${UNITS_MAX_DECIMALS} decimal places`;
    return this.internUnits(canonical);
  }

  /** SPEC section 2: trimmed and lower-cased; empty or absent means approved. */
  private internStatus(cell: string): number {
    if (cell === this.lastStatus) return this.lastStatusIndex;
    let i = this.statusCache.get(cell);
    if (i !== undefined) {
      this.lastStatus = cell;
      this.lastStatusIndex = i;
      return i;
    }
    const status = cell.trim().toLowerCase() || 'approved';
    i = this.statusIndex.get(status);
    if (i === undefined) {
      if (this.statuses.length >= 0xffff) return -1;
      i = this.statuses.length;
      this.statuses.push(status);
      this.statusIndex.set(status, i);
    }
    if (this.statusCache.size < 4096) this.statusCache.set(cell, i);
    return i;
  }

  /** Ends the reading: the last checks (empty file, no claims) and the table. */
  finish(meta: { bytes: number; sha256?: string }): ReadClaimsResult {
    this.drainUtf8(Number.POSITIVE_INFINITY);
    if (this.headers === undefined && !this.stopped) {
      this.error('empty_file', undefined, undefined, 'the file is empty: expected a header row and one row per claim');
    } else if (this.headers !== undefined && this.rows === 0 && !this.stopped) {
      this.error('header_only', this.headerLine, undefined, 'no claims: the file has a header but no rows');
    }
    // Stable sort: problems without a line (the whole file) first, then by line.
    const problems = this.stored
      .map((p, i) => ({ p, i }))
      .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
      .map((x) => x.p);

    // The duplicate indices are done with: their memory (3 tables of ~20 bytes a claim) is free
    // for the allocation and the ledger.
    this.idIndex.clear();
    this.claimants.clear();
    const n = this.count;
    const kept = new Map<string, string[]>();
    this.keepCols.forEach(([name], k) => kept.set(name, this.kept[k] as string[]));
    const table: ClaimTable = {
      count: n,
      ids: this.ids,
      lines: fitted(this.lines, n),
      classIndex: fitted(this.classIndex, n),
      unitsIndex: fitted(this.unitsIndex, n),
      units: this.units,
      statusIndex: fitted(this.statusIdx, n),
      statuses: this.statuses,
      kept,
    };
    const columns = {} as Record<ClaimField, string | null>;
    for (const f of CLAIM_FIELDS) {
      const i = this.col[f];
      columns[f] = i >= 0 ? (this.headers?.[i] ?? null) : null;
    }
    const { classes, statuses } = summarizeClaims(table, this.plan);
    const stats: ClaimsStats = {
      file: this.file,
      bytes: meta.bytes,
      headers: this.headers ?? [],
      headerLine: this.headerLine,
      columns,
      rows: this.rows,
      invalidRows: this.invalidRows,
      blankRows: this.blankRows,
      errors: this.errors,
      warnings: this.warnings,
      errorsByCode: this.errorsByCode,
      warningsByCode: this.warningsByCode,
      classes,
      statuses,
    };
    if (meta.sha256 !== undefined) stats.sha256 = meta.sha256;
    if (this.stoppedAtLine !== undefined) stats.stoppedAtLine = this.stoppedAtLine;
    return { table, problems, stats };
  }
}

/**
 * Per class: claims, eligible claims, their units and points (weight × units in weights mode,
 * units in pools mode), exact; per status: claims. Claims with errors are not in the table and
 * not counted.
 */
export function summarizeClaims(table: ClaimTable, plan: Plan): { classes: ClassSummary[]; statuses: StatusSummary[] } {
  const k = plan.classes.length;
  const claims = new Array<number>(k).fill(0);
  const eligible = new Array<number>(k).fill(0);
  // Units as integers of 10^-6, so sums are exact bigints.
  const micro = table.units.map((u) => u.value.n * pow10(UNITS_MAX_DECIMALS - u.value.scale));
  const unitsSum = new Array<bigint>(k).fill(0n);
  const eligibleSet = new Set(plan.eligibleStatuses);
  const statusEligible = table.statuses.map((s) => eligibleSet.has(s));
  const statusCount = new Array<number>(table.statuses.length).fill(0);
  for (let i = 0; i < table.count; i++) {
    const c = table.classIndex[i] as number;
    const s = table.statusIndex[i] as number;
    claims[c] = (claims[c] as number) + 1;
    statusCount[s] = (statusCount[s] as number) + 1;
    if (statusEligible[s]) {
      eligible[c] = (eligible[c] as number) + 1;
      unitsSum[c] = (unitsSum[c] as bigint) + (micro[table.unitsIndex[i] as number] as bigint);
    }
  }
  const scale = pow10(UNITS_MAX_DECIMALS);
  const classes = plan.classes.map((cls, c): ClassSummary => {
    const u = unitsSum[c] as bigint;
    const w = plan.mode === 'weights' && cls.weight ? cls.weight : { n: 1n, d: 1n };
    return {
      id: cls.id,
      claims: claims[c] as number,
      eligible: eligible[c] as number,
      units: exactDecimal({ n: u, d: scale }) as string,
      points: exactDecimal({ n: u * w.n, d: scale * w.d }) as string,
    };
  });
  // Eligible statuses first, in the plan's order, then the others alphabetically: the same report
  // whatever the order of the rows.
  const rank = (s: StatusSummary): number => (s.eligible ? plan.eligibleStatuses.indexOf(s.status) : plan.eligibleStatuses.length);
  const statuses = table.statuses
    .map((status, s): StatusSummary => ({ status, claims: statusCount[s] as number, eligible: statusEligible[s] as boolean }))
    .filter((s) => s.claims > 0)
    .sort((a, b) => rank(a) - rank(b) || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0));
  return { classes, statuses };
}

/** Thrown by the byte check to end the pipeline when the file is not UTF-8 at all. */
class StopReading extends Error {}

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
const CHUNK_BYTES = 896 << 10;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

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

/** Where csv-parse takes over: the bytes from the first record it reads, and that record's line. */
interface HandOff {
  bytes: Buffer;
  line: number;
  /** Nothing has been read yet: csv-parse starts at the file's first byte (and skips a BOM). */
  atFileStart: boolean;
}

interface SliceableBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}

/**
 * The fast path (csv-fast.ts) over the file's chunks, until the end of the file (returns undefined)
 * or a record it leaves to csv-parse (returns where to take over). Records go to the collector.
 */
async function readFast(
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
  // Bytes not yet handed on are work[start, end): the start of a record cut by the chunk's end.
  let work = Buffer.allocUnsafe(CHUNK_BYTES * 2) as SliceableBuffer;
  let start = 0;
  let end = 0;
  let bomChecked = false;
  let bomSkipped = false;
  const handOff = (): HandOff => {
    const atFileStart = fast.line === 1;
    const from = atFileStart && bomSkipped ? 0 : start;
    return { bytes: Buffer.from(work.subarray(from, end)), line: fast.line, atFileStart };
  };
  for (;;) {
    const { value: chunk, done } = await chunks.next();
    if (!done) {
      if (start > 0) {
        work.copyWithin(0, start, end);
        end -= start;
        start = 0;
      }
      if (end + chunk.length > work.length) {
        const bigger = Buffer.allocUnsafe(Math.max(work.length * 2, end + chunk.length)) as SliceableBuffer;
        work.copy(bigger, 0, 0, end);
        work = bigger;
      }
      chunk.copy(work, end);
      end += chunk.length;
      hooks.copied?.(chunk);
    }
    // Invalid UTF-8 (found by the byte check as each chunk came in) is left to csv-parse.
    if (utf8Failed()) return handOff();
    if (!bomChecked) {
      if (end < UTF8_BOM.length && !done) continue;
      bomChecked = true;
      if (end >= 3 && work[0] === UTF8_BOM[0] && work[1] === UTF8_BOM[1] && work[2] === UTF8_BOM[2]) {
        start = 3;
        bomSkipped = true;
      }
    }
    const from = start;
    start = fast.feed(work, work.latin1Slice(0, end), start, end, done === true);
    hooks.fed?.(work, from, start);
    if (fast.handOff) return handOff();
    if (done) return undefined;
    consumed += start - from;
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
 * Reads and checks a claims file against the plan. Every problem is collected (the first
 * maxStoredProblems of each severity are kept); a syntax error the CSV parser cannot get past
 * ends the reading, keeping everything found before it. A file that cannot be opened is a
 * UsageError (exit 2).
 */
export async function readClaims(file: string, plan: Plan, options: ReadClaimsOptions = {}): Promise<ReadClaimsResult> {
  const collector = new ClaimsCollector(file, plan, options);
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
    options.duplicateChecks === 'batched' || (options.duplicateChecks === undefined && worker) ? await DuplicateChecks.start(worker) : undefined;
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
    const cells = new Array<number>(9).fill(0);
    let c: ClaimsCollector['duplicateColumns'] | undefined;
    collector.deferDuplicateChecks((line, claimId, fields) => {
      // Rows come after the header, so the columns are known.
      c ??= collector.duplicateColumns;
      const t = tokenizer;
      if (t !== undefined) {
        if (c.checksEmail) {
          cells[0] = t.fieldStart(c.email);
          cells[1] = t.fieldEnd(c.email);
          cells[2] = t.fieldDoubled(c.email);
        }
        if (c.checksNameAddress) {
          cells[3] = t.fieldStart(c.name);
          cells[4] = t.fieldEnd(c.name);
          cells[5] = t.fieldDoubled(c.name);
          cells[6] = t.fieldStart(c.address);
          cells[7] = t.fieldEnd(c.address);
          cells[8] = t.fieldDoubled(c.address);
        }
        dedupe.addRange(line, claimId, cells);
      } else {
        const cell = (col: number, on: boolean): string => (on ? (fields[col] as string) : '');
        dedupe.addStrings(line, claimId, cell(c.email, c.checksEmail), cell(c.name, c.checksNameAddress), cell(c.address, c.checksNameAddress));
      }
    });
  }
  /** Rows added since the last call go to the workers: ids for the tie keys, csv-parse's rows to the duplicate checks. */
  const handOverRows = (): void => {
    const ids = collector.tableIds;
    if (tieKeys && ids.length > rowsHandedOver) {
      tieKeys.add(ids, rowsHandedOver, ids.length);
      rowsHandedOver = ids.length;
    }
    if (dedupe) {
      const c = collector.duplicateColumns;
      dedupe.sendStrings(c.checksEmail, c.checksNameAddress);
    }
  };

  /** The file's chunks, each checked (UTF-16, UTF-8), counted and hashed before a tokenizer sees it. */
  async function* checkedChunks(): AsyncGenerator<Buffer, void, undefined> {
    const input = createReadStream(file, { highWaterMark: CHUNK_BYTES });
    for await (const chunk of input as AsyncIterable<Buffer>) {
      handOverRows();
      if (dedupe?.onWorker) await dedupe.caughtUp();
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

  const delimiter = options.delimiter ?? ',';
  const chunks = checkedChunks();
  let parser: RecordParser | undefined;
  let nextLine = 1;
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
          },
          fed: (work, from, to) => {
            if (dedupe && to > from) {
              const c = collector.duplicateColumns;
              dedupe.sendBytes(work.subarray(from, to), c.checksEmail, c.checksNameAddress, from);
            }
          },
        })
      : { bytes: Buffer.alloc(0), line: 1, atFileStart: true };
    tokenizer = undefined;
    if (rest !== undefined) {
      // csv-parse reads the rest, from the first byte of the record the fast path left to it.
      nextLine = rest.line;
      parser = new RecordParser(
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
      const first = rest.bytes;
      await pipeline(async function* () {
        if (first.length > 0) yield first;
        for (;;) {
          const next = await chunks.next();
          if (next.done) return;
          if (hashOnWorker) dedupe?.hashFile(next.value, false);
          yield next.value;
        }
      }, parser);
    }
  } catch (err) {
    tieKeys?.close();
    // The duplicate checks go on: the rows read before a syntax error are checked and reported,
    // as without a worker (the batches sent so far are answered; `finish` below waits for them).
    if (err instanceof StopReading) {
      // Reported already.
    } else if (err instanceof CsvError) {
      const known = SYNTAX_MESSAGES[err.code];
      const column = typeof err.column === 'number' ? err.column : undefined;
      if (err.code === 'CSV_MAX_RECORD_SIZE') {
        const quoting = (parser as unknown as { state?: { quoting?: boolean } } | undefined)?.state?.quoting === true;
        collector.syntaxError(
          quoting ? 'unclosed_quote' : 'csv_syntax',
          nextLine,
          quoting
            ? `unclosed quote: a quoted field that starts in this record is still open after ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters`
            : `a record longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters (is --delimiter right?)`,
          column,
        );
      } else if (known) {
        collector.syntaxError(known.code, nextLine, known.message, column);
      } else {
        collector.syntaxError('csv_syntax', nextLine, `CSV syntax error: ${err.message}`, column);
      }
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
  if (dedupe) collector.addDuplicateHits(await dedupe.finish());
  if (sha256 && hashOnWorker && dedupe) meta.sha256 = dedupe.fileSha256;
  const result = collector.finish(meta);
  if (prefixes) result.tieKeyPrefixes = await prefixes;
  return result;
}
