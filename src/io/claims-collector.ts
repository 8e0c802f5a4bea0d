/**
 * Checks the records of a claims file one at a time and builds the ClaimTable (docs/spec.md §2).
 * Any tokenizer can feed it (claims-reader.ts streams the file through two); the jobs are
 * elsewhere: the header in claims-header.ts, the class, units and status cells in
 * claim-fields.ts, duplicates in claims-duplicates.ts, the table in claims-table-builder.ts, the
 * problems in claims-problems.ts, the statistics in claims-stats.ts.
 */
import { CLAIM_FIELDS, type ClaimField, type ClaimIds } from '../core/claims.js';
import type { Plan } from '../core/plan.js';
import { eligibleStatusFlags } from '../core/points.js';
import type { ProblemCode } from '../core/problems.js';
import type { ColumnPlan } from './csv-fast.js';
import type { DuplicateHit } from './dedupe-check.js';
import { findLookAlikeIds, type LookAlike } from './claim-id-lookalikes.js';
import type { ClaimsStats, ReadClaimsOptions, ReadClaimsResult } from './claims-types.js';
import { ClaimsProblems } from './claims-problems.js';
import { columnPlan, mapColumns, type ClaimColumns } from './claims-header.js';
import { ClaimFieldValues } from './claim-fields.js';
import { ClaimIdIndex, InlineClaimantChecks, duplicateHitProblem, lookAlikeMessage } from './claims-duplicates.js';
import { ClaimTableBuilder } from './claims-table-builder.js';
import { summarizeClaims } from './claims-stats.js';
import { countOf } from '../core/display-numbers.js';

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

/** The columns of a file without a usable header: none. */
const NO_COLUMNS: ClaimColumns = {
  col: { claim_id: -1, class: -1, units: -1, status: -1, email: -1, name: -1, address: -1 },
  keep: [],
  usable: false,
};

/**
 * Feed it with `record(fields, line)` in file order (the header first; blank lines may be fed or
 * left out), report tokenizer problems with `syntaxError` and `invalidUtf8`, then call `finish`.
 */
export class ClaimsCollector {
  private readonly file: string;
  private readonly plan: Plan;
  private readonly opts: ReadClaimsOptions;
  private readonly problems: ClaimsProblems;
  private readonly values: ClaimFieldValues;
  private readonly table = new ClaimTableBuilder();
  private readonly idIndex = new ClaimIdIndex(this.table.ids, (row) => this.table.lineOf(row));

  // Header state
  private headers: string[] | undefined;
  private headerLine = 0;
  private expectedFields = 0;
  private columns: ClaimColumns = NO_COLUMNS;
  private stopped = false;
  private stoppedAtLine: number | undefined;
  private plannedColumns: ColumnPlan | undefined;

  /** The duplicate-claimant checks done here, row by row (after the header, unless deferred). */
  private claimants: InlineClaimantChecks | undefined;
  /** Set for large files: the email and name/address checks go out (dedupe-batch.ts), row by row. */
  private deferredChecks: ((line: number, claimId: string, fields: string[]) => void) | undefined;
  /** The look-alike claim ids, once found ahead of `finish` (`findLookAlikes`). */
  private lookAlikes: LookAlike[] | undefined;

  private rows = 0;
  private invalidRows = 0;
  private blankRows = 0;

  /** The line of a spreadsheet's `sep=X` line (1), skipped: it is not the header. */
  private readonly sepLine: number | undefined;

  constructor(file: string, plan: Plan, opts: ReadClaimsOptions = {}, sepLine?: number) {
    this.sepLine = sepLine;
    this.file = file;
    this.plan = plan;
    this.opts = opts;
    this.problems = new ClaimsProblems(file, opts.maxStoredProblems, opts.onProblem);
    this.values = new ClaimFieldValues(plan);
  }

  /** Rows handled so far (for progress). */
  get rowCount(): number {
    return this.rows;
  }

  /** Errors so far (all of them once the reading is over: the deferred checks add warnings only). */
  get errorCount(): number {
    return this.problems.errors;
  }

  /** The claim ids of the table so far, one per row in order (rows are only ever appended). */
  get tableIds(): ClaimIds {
    return this.table.ids;
  }

  /** The plan's eligibility of each distinct status so far (see `unpaidRows`). */
  private statusPaid: Uint8Array = new Uint8Array(0);

  /**
   * Per table row of [from, to): 1 when its status is not one the plan pays (eligibleStatuses),
   * so that the allocation never reads its tie-break key, else 0; undefined when every one of
   * them is paid. The same rule as core/points.ts `buildCells` (the same function decides).
   */
  unpaidRows(from: number, to: number): Uint8Array | undefined {
    const statuses = this.values.statuses;
    if (this.statusPaid.length !== statuses.length) this.statusPaid = eligibleStatusFlags(this.plan, statuses);
    const paid = this.statusPaid;
    const table = this.table;
    let out: Uint8Array | undefined;
    for (let row = from; row < to; row++) {
      if (paid[table.statusOf(row)] === 1) continue;
      out ??= new Uint8Array(to - from);
      out[row - from] = 1;
    }
    return out;
  }

  /** True once a syntax error has ended the reading: later records are ignored. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * A guess of how many claim rows will come (from the file's length), so the table and the
   * duplicate indices are sized once instead of grown step by step. Only a hint: they still grow
   * past it, and nothing is checked differently.
   */
  expectRows(rows: number): void {
    const n = Math.min(Math.max(0, Math.ceil(rows)), 1 << 27);
    if (!this.table.reserve(n)) return;
    this.idIndex.reserve(n);
    this.claimants?.reserve(n);
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
  get duplicateColumns(): { email: number; name: number; address: number; claimId: number; checksEmail: boolean; checksNameAddress: boolean } {
    const c = this.columns.col;
    return { email: c.email, name: c.name, address: c.address, claimId: c.claim_id, checksEmail: c.email >= 0, checksNameAddress: c.name >= 0 && c.address >= 0 };
  }

  /**
   * The duplicates the deferred checks found, in row order (email before name and address within a
   * row), as the same warnings, stored and counted the same as if each had been found with its row
   * (see ClaimsProblems.addLateWarnings).
   */
  addDuplicateHits(hits: readonly DuplicateHit[]): void {
    this.problems.addLateWarnings(
      hits.map((hit) => ({ problem: duplicateHitProblem(this.file, hit), claimId: hit.claimId === '' ? undefined : hit.claimId })),
    );
  }

  /**
   * Finds the look-alike claim ids now, once every row is read, for `finish` to report (in the
   * same place among the warnings: after the duplicate claimants). The reader calls it while the
   * duplicate-check worker answers its last batches, which it otherwise waited for idle.
   */
  findLookAlikes(): void {
    this.lookAlikes ??= findLookAlikeIds(this.table.ids);
  }

  /** A line holding bytes that are not UTF-8. */
  invalidUtf8(line: number, byte: number): void {
    this.problems.invalidUtf8(line, byte);
  }

  /** A problem that stops the reading (a CSV syntax error the tokenizer cannot recover from). */
  syntaxError(code: ProblemCode, line: number, message: string, columnIndex?: number): void {
    this.problems.drainUtf8(line);
    const field = columnIndex !== undefined ? this.headers?.[columnIndex]?.trim() : undefined;
    this.problems.error(code, line, field || undefined, `${message}; reading stopped here`);
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
    const badBytes = this.problems.drainUtf8(line);
    if (fields.length === 1 && fields[0] === '') return true; // an empty line
    if (line === this.sepLine && this.headers === undefined) return true; // `sep=X`, read by claims-sniff.ts
    if (this.headers === undefined) {
      if (isBlankRecord(fields)) return true;
      this.header(fields, line);
      return !this.stopped;
    }
    if (isBlankRecord(fields)) {
      this.blankRows++;
      this.problems.warning('blank_row', line, undefined, 'blank row (skipped)');
      return true;
    }
    this.row(fields, line, badBytes);
    return true;
  }

  /**
   * After the header: the cells a row check reads (see claims-header.ts's `columnPlan`).
   * Undefined until the header is read.
   */
  columnPlan(): ColumnPlan | undefined {
    return this.plannedColumns;
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
    this.columns = mapColumns(this.headers, this.opts, (code, field, message) => this.problems.error(code, line, field, message));
    this.table.keep(this.columns.keep);
    const c = this.columns.col;
    if (this.deferredChecks === undefined) this.claimants = new InlineClaimantChecks(c.email, c.name, c.address, this.problems);
    this.plannedColumns = columnPlan(this.expectedFields, this.columns, this.deferredChecks === undefined);
  }

  /** `badBytes`: the row's first line holds invalid UTF-8 (reported already); the row is left out. */
  private row(fields: string[], line: number, badBytes: boolean): void {
    this.rows++;
    const problems = this.problems;
    if (fields.length !== this.expectedFields) {
      this.invalidRows++;
      problems.error(
        'column_count',
        line,
        undefined,
        `expected ${countOf(this.expectedFields, 'field')}, found ${fields.length}` +
          (fields.length > this.expectedFields ? ' (an unquoted delimiter in a value?)' : ''),
      );
      return;
    }
    if (!this.columns.usable) {
      this.invalidRows++;
      return;
    }
    const col = this.columns.col;
    const id = (fields[col.claim_id] as string).trim();
    let ok = !badBytes;
    /** The id is to be recorded: not empty, not a duplicate. */
    let idNew = false;
    if (id === '') {
      ok = false;
      problems.error('empty_claim_id', line, 'claim_id', 'claim_id is empty');
    } else {
      const first = this.idIndex.firstLine(id);
      if (first !== 0) {
        ok = false;
        problems.error('duplicate_claim_id', line, 'claim_id', `claim_id "${id}" already on line ${first}`, id);
      } else idNew = true;
    }
    const claimId = id === '' ? undefined : id;

    const values = this.values;
    const classCell = fields[col.class] as string;
    const ci = values.classIndex(classCell);
    if (ci < 0) {
      ok = false;
      problems.error('unknown_class', line, 'class', values.unknownClass(classCell), claimId);
    }

    let ui: number;
    if (col.units < 0) ui = values.defaultUnits();
    else {
      const check = values.unitsOf(fields[col.units] as string);
      if (typeof check === 'string') {
        ok = false;
        ui = -1;
        problems.error('bad_units', line, 'units', check, claimId);
      } else ui = check;
    }

    const statusCell = col.status < 0 ? undefined : (fields[col.status] as string);
    if (statusCell !== undefined && statusCell.trim() === '') {
      // docs/spec.md §2: status decides money, so a blank one is said out loud or refused.
      if (this.plan.blankStatus === 'error') {
        ok = false;
        problems.error('blank_status', line, 'status', 'status is empty (the plan\'s blankStatus is "error"): write the claim\'s status', claimId);
      } else problems.warning('blank_status', line, 'status', 'status is empty: paid as "approved" (the plan\'s blankStatus); write the status, or set "blankStatus": "error" to refuse such rows', claimId);
    }
    const si = values.statusOf(statusCell ?? '');
    if (si < 0) {
      ok = false;
      problems.error('input', line, 'status', `more than 65,535 different status values: is this the status column?`, claimId);
    }

    if (this.deferredChecks !== undefined) {
      if (col.email >= 0 || (col.name >= 0 && col.address >= 0)) this.deferredChecks(line, id, fields);
    } else this.claimants?.check(fields, line, claimId);

    if (!ok) {
      this.invalidRows++;
      if (idNew) this.idIndex.recordLeftOut(id, line);
      return;
    }
    const row = this.table.push(id, line, ci, ui, si, fields);
    if (idNew) this.idIndex.recordRow(row);
  }

  /** Ends the reading: the last checks (empty file, no claims) and the table. */
  finish(meta: { bytes: number; sha256?: string }): ReadClaimsResult {
    const problems = this.problems;
    problems.finishUtf8();
    if (this.headers === undefined && !this.stopped) {
      problems.error('empty_file', undefined, undefined, 'the file is empty: expected a header row and one row per claim');
    } else if (this.headers !== undefined && this.rows === 0 && !this.stopped) {
      problems.error('header_only', this.headerLine, undefined, 'no claims: the file has a header but no rows');
    }
    for (const w of this.lookAlikes ?? findLookAlikeIds(this.table.ids)) {
      const id = this.table.ids.get(w.row);
      problems.warning('lookalike_claim_id', this.table.lineOf(w.row), 'claim_id', lookAlikeMessage(id, this.table.ids.get(w.firstRow), this.table.lineOf(w.firstRow)), id);
    }
    this.lookAlikes = undefined;
    const stored = problems.inLineOrder();
    // Ids in order as read (and ASCII): the receipts root needs no check of their order.
    if (this.idIndex.increasing) this.table.ids.noteIncreasing();

    // The duplicate indices are done with: their memory (3 tables of ~20 bytes a claim) is free
    // for the allocation and the ledger.
    this.idIndex.clear();
    this.claimants?.clear();
    const table = this.table.build(this.values.units, this.values.statuses);
    const columns = {} as Record<ClaimField, string | null>;
    for (const f of CLAIM_FIELDS) {
      const i = this.columns.col[f];
      columns[f] = i >= 0 ? (this.headers?.[i] ?? null) : null;
    }
    const { classes, statuses, cells } = summarizeClaims(table, this.plan);
    const stats: ClaimsStats = {
      file: this.file,
      bytes: meta.bytes,
      headers: this.headers ?? [],
      headerLine: this.headerLine,
      columns,
      rows: this.rows,
      invalidRows: this.invalidRows,
      blankRows: this.blankRows,
      errors: problems.errors,
      warnings: problems.warnings,
      errorsByCode: problems.errorsByCode,
      warningsByCode: problems.warningsByCode,
      classes,
      statuses,
    };
    if (meta.sha256 !== undefined) stats.sha256 = meta.sha256;
    if (this.stoppedAtLine !== undefined) stats.stoppedAtLine = this.stoppedAtLine;
    return this.opts.cells === true ? { table, problems: stored, stats, cells } : { table, problems: stored, stats };
  }
}
