/**
 * The problems of one claims file: every one counted (per severity and per code), the first
 * `maxStored` of each severity kept as objects, each handed to `onProblem` as it is found.
 */
import type { Problem, ProblemCode } from '../core/problems.js';
import { InvalidUtf8Tally, invalidUtf8LineMessage } from './csv-utf8.js';

/** At most this many problems of each severity are kept as objects; all of them are counted. */
export const DEFAULT_MAX_STORED_PROBLEMS = 10_000;

export class ClaimsProblems {
  private readonly stored: Problem[] = [];
  private storedErrors = 0;
  private storedWarnings = 0;
  /** Errors so far. */
  errors = 0;
  /** Warnings so far. */
  warnings = 0;
  readonly errorsByCode: Partial<Record<ProblemCode, number>> = {};
  readonly warningsByCode: Partial<Record<ProblemCode, number>> = {};
  /**
   * Lines holding invalid UTF-8, found ahead of the parser, held until the rows before them are
   * done; the first few carry their example problem (csv-utf8.ts has the rule).
   */
  private readonly pendingUtf8: Array<{ line: number; example?: Problem }> = [];
  private pendingHead = 0;
  private readonly utf8Tally = new InvalidUtf8Tally();

  constructor(
    private readonly file: string,
    private readonly maxStored: number = DEFAULT_MAX_STORED_PROBLEMS,
    private readonly onProblem?: (problem: Problem, claimId: string | undefined) => void,
  ) {}

  add(p: Problem, claimId?: string): void {
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
    this.onProblem?.(p, claimId);
  }

  error(code: ProblemCode, line: number | undefined, field: string | undefined, message: string, claimId?: string): void {
    const p: Problem = { code, severity: 'error', file: this.file, message };
    if (line !== undefined) p.line = line;
    if (field !== undefined) p.field = field;
    this.add(p, claimId);
  }

  warning(code: ProblemCode, line: number, field: string | undefined, message: string, claimId?: string): void {
    const p: Problem = { code, severity: 'warning', file: this.file, line, message };
    if (field !== undefined) p.field = field;
    this.add(p, claimId);
  }

  /** A line holding bytes that are not UTF-8, found ahead of the records: added by `drainUtf8`. */
  invalidUtf8(line: number, byte: number): void {
    if (!this.utf8Tally.add(byte)) {
      this.pendingUtf8.push({ line });
      return;
    }
    const example: Problem = { code: 'invalid_utf8', severity: 'error', file: this.file, line, message: invalidUtf8LineMessage(byte) };
    this.pendingUtf8.push({ line, example });
  }

  /**
   * At the end of the file: the file-level invalid-UTF-8 problem (how many lines, the likely
   * encoding), which has no line and so comes first in `inLineOrder`.
   */
  finishUtf8(): void {
    this.drainUtf8(Number.POSITIVE_INFINITY);
    const message = this.utf8Tally.message();
    if (message !== undefined) this.error('invalid_utf8', undefined, undefined, message);
  }

  /** Adds the pending invalid-UTF-8 problems up to a line; true when one is on that very line. */
  drainUtf8(upToLine: number): boolean {
    const pending = this.pendingUtf8;
    let onLine = false;
    while (this.pendingHead < pending.length && (pending[this.pendingHead] as { line: number }).line <= upToLine) {
      const { line, example } = pending[this.pendingHead++] as { line: number; example?: Problem };
      if (line === upToLine) onLine = true;
      if (example !== undefined) this.add(example);
    }
    if (this.pendingHead === pending.length && this.pendingHead > 0) {
      pending.length = 0;
      this.pendingHead = 0;
    }
    return onLine;
  }

  /**
   * Warnings found after the rows they are about (the batched duplicate checks), in row order,
   * stored and counted the same as if each had been found with its row: warnings are kept in
   * line order (the first maxStored of them by line; no line has both a blank-row and a late
   * warning), and a row's errors come before its warnings. Only `onProblem` sees these warnings
   * later than it would have (now, in line order).
   */
  addLateWarnings(late: ReadonlyArray<{ problem: Problem; claimId: string | undefined }>): void {
    if (late.length === 0) return;
    const cap = this.maxStored;
    const found: Problem[] = [];
    for (const { problem: p, claimId } of late) {
      this.warningsByCode[p.code] = (this.warningsByCode[p.code] ?? 0) + 1;
      this.warnings++;
      if (found.length < cap) found.push(p);
      this.onProblem?.(p, claimId);
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

  /** The stored problems, those without a line (the whole file) first, then by line; stable. */
  inLineOrder(): Problem[] {
    return this.stored
      .map((p, i) => ({ p, i }))
      .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
      .map((x) => x.p);
  }
}
