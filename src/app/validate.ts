/**
 * Reading a claims file against a plan: `payout validate` (every problem, nothing allocated) and
 * `readValidClaims`, the reading every command that uses the claims does (allocate, verify,
 * explain). Progress and the problems found reach the user through the hooks the command gives.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Plan } from '../core/plan.js';
import { DataError, UsageError } from '../core/errors.js';
import { readClaims, type ReadClaimsOptions, type ReadClaimsResult } from '../io/claims-reader.js';
import { openErrorsCsv } from '../io/errors-csv.js';
import { loadPlan, type LoadedPlan } from '../io/plan-file.js';
import { countOf } from '../core/display-numbers.js';

/** Progress of one reading: bytes read so far and rows. */
export interface ReadProgress {
  update(bytes: number, rows: number): void;
  done(): void;
}

/** How a reading shows itself; every hook is optional (none: the reading is silent). */
export interface ClaimsReadingHooks {
  /** A progress display for `file` of `size` bytes (`quiet`: the command was asked to be quiet). */
  progress?: (file: string, size: number, quiet: boolean | undefined) => ReadProgress;
  /**
   * The problems of a reading that has warnings or errors, before an error is thrown
   * (`quietWarnings`: --quiet, the warnings are counted, not listed).
   */
  problems?: (result: ReadClaimsResult, maxErrors: number, quietWarnings: boolean) => void;
}

/** The claims options, parsed (--map, --delimiter, --max-errors). */
export interface ClaimsSettings {
  read: ReadClaimsOptions;
  /** Show at most this many errors and this many warnings. */
  maxErrors: number;
  /** --quiet or --json: no progress. */
  quiet?: boolean;
  /** --quiet: errors are listed, warnings only counted (one line at most). */
  quietWarnings?: boolean;
  hooks?: ClaimsReadingHooks;
}

/** readClaims with the progress hook told of every step (when there is one). */
export async function readClaimsWithProgress(
  file: string,
  plan: Plan,
  read: ReadClaimsOptions,
  settings: Pick<ClaimsSettings, 'hooks' | 'quiet'>,
): Promise<ReadClaimsResult> {
  const start = settings.hooks?.progress;
  if (start === undefined) return readClaims(file, plan, read);
  const size = await stat(file).then((s) => s.size, () => 0);
  const progress = start(file, size, settings.quiet);
  try {
    return await readClaims(file, plan, { ...read, onProgress: (bytes, rows) => progress.update(bytes, rows) });
  } finally {
    progress.done();
  }
}

/**
 * Reads the claims for a use case that goes on to use them: the problems go to the `problems`
 * hook; any error throws a DataError (exit 1). `beforeWarnings` sees a reading without errors
 * before its warnings are shown: what it throws (explain's unknown claim id) is then all the user
 * is told.
 */
export async function readValidClaims(
  file: string,
  plan: Plan,
  settings: ClaimsSettings,
  beforeWarnings?: (result: ReadClaimsResult) => void,
): Promise<ReadClaimsResult> {
  const result = await readClaimsWithProgress(file, plan, settings.read, settings);
  const { stats } = result;
  if (stats.errors === 0) beforeWarnings?.(result);
  if (stats.errors > 0 || stats.warnings > 0) settings.hooks?.problems?.(result, settings.maxErrors, settings.quietWarnings === true);
  if (stats.errors > 0) {
    throw new DataError(`${file}: ${countOf(stats.errors, 'error')} in the claims (payout validate shows a full report)`);
  }
  return result;
}

export interface ValidateOptions {
  claimsFile: string;
  planFile: string;
  claims: ClaimsSettings;
  /** Also write the rows with errors as CSV to this file. */
  errorsOut?: string;
}

export interface ValidateResult {
  loaded: LoadedPlan;
  result: ReadClaimsResult;
  /** --errors-out could not be written: the command reports the claims first, then fails with this. */
  writeFailure?: unknown;
}

/** --errors-out naming the claims file or the plan would overwrite an input: a UsageError (either plan form). */
export function refuseInputAsErrorsOut(errorsOut: string, claimsFile: string, planFile: string): void {
  const target = resolve(errorsOut);
  if (target === resolve(claimsFile) || target === resolve(planFile)) {
    throw new UsageError(`--errors-out ${errorsOut}: that is an input file; name a new file`);
  }
}

/**
 * `payout validate`: reads every row and returns what was found, errors included (the command
 * decides the exit code once it has shown them). Throws UsageError for what cannot be read.
 */
export async function validateClaims(o: ValidateOptions): Promise<ValidateResult> {
  if (o.errorsOut !== undefined) refuseInputAsErrorsOut(o.errorsOut, o.claimsFile, o.planFile);
  const loaded = await loadPlan(o.planFile);
  const errorsOut = o.errorsOut !== undefined ? await openErrorsCsv(o.errorsOut) : undefined;
  let result: ReadClaimsResult;
  try {
    const read: ReadClaimsOptions = errorsOut
      ? { ...o.claims.read, onProblem: (p, id) => errorsOut.write(p, id), throttle: () => errorsOut.throttle() }
      : o.claims.read;
    result = await readClaimsWithProgress(o.claimsFile, loaded.plan, read, o.claims);
  } catch (err) {
    await errorsOut?.abandon();
    throw err;
  }
  // The report is shown even when --errors-out could not be written; that failure (exit 2) comes last.
  const writeFailure = await errorsOut?.commit().then(
    () => undefined,
    (err: unknown) => err,
  );
  return writeFailure === undefined ? { loaded, result } : { loaded, result, writeFailure };
}
