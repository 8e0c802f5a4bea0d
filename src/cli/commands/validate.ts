/**
 * `payout validate --plan PLAN CLAIMS.csv`: reads the claims as `allocate` would and reports what
 * it found (rows, classes, statuses, eligible points) and every problem, without allocating.
 *
 * `readValidClaims` is exported for the commands that read claims too (`allocate`, `verify`,
 * `explain`); their options are in claims-options.ts.
 */
import { rmSync } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import type { Plan } from '../../core/plan.js';
import type { Problem } from '../../core/problems.js';
import { loadPlan } from '../../io/plan-file.js';
import { onUnfinishedRun } from '../../io/run-cleanup.js';
import { readClaims, type ReadClaimsOptions, type ReadClaimsResult } from '../../io/claims-reader.js';
import { parseClaimsOptions, type ClaimsCliOptions, type ClaimsSettings } from './claims-options.js';
import { defuseFormula } from '../../core/csv-cell.js';
import { DataError, UsageError } from '../../core/errors.js';
import { colorFor } from '../style.js';
import { buildValidateReport, renderProblemLines, renderTotals, renderValidateText } from '../render-validate.js';
import { grouped } from '../table.js';
import { startProgress } from '../progress.js';

/**
 * readClaims with a progress bar on stderr when stderr is a terminal (never in a pipe or a file)
 * and the file is large enough for the wait to be felt.
 */
export async function readClaimsShowingProgress(
  file: string,
  plan: Plan,
  read: ReadClaimsOptions,
  quiet: boolean | undefined,
): Promise<ReadClaimsResult> {
  const size = await stat(file).then((s) => s.size, () => 0);
  const progress = startProgress(basename(file), size, { quiet });
  try {
    return await readClaims(file, plan, { ...read, onProgress: (bytes, rows) => progress.update(bytes, rows) });
  } finally {
    progress.done();
  }
}

/**
 * Reads the claims for a command that goes on to use them: warnings and errors (the first
 * --max-errors of each) go to stderr; any error throws a DataError (exit 1).
 */
export async function readValidClaims(file: string, plan: Plan, settings: ClaimsSettings): Promise<ReadClaimsResult> {
  const result = await readClaimsShowingProgress(file, plan, settings.read, settings.quiet);
  const { stats, problems } = result;
  if (stats.errors > 0 || stats.warnings > 0) {
    const c = colorFor(process.stderr);
    const lines = [
      ...renderProblemLines(problems, 'error', stats.errors, settings.maxErrors, c),
      ...renderProblemLines(problems, 'warning', stats.warnings, settings.maxErrors, c),
      renderTotals(stats.errors, stats.warnings, c),
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  }
  if (stats.errors > 0) {
    throw new DataError(`${file}: ${grouped(stats.errors)} error${stats.errors === 1 ? '' : 's'} in the claims (payout validate shows a full report)`);
  }
  return result;
}

export interface ValidateCliOptions extends ClaimsCliOptions {
  plan: string;
  json?: boolean;
  errorsOut?: string;
}

/** Writes the error rows as `line,claim_id,field,code,message` to a temporary name, renamed when complete. */
async function openErrorsOut(path: string) {
  const { stringify } = await import('csv-stringify'); // loaded only for --errors-out
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  // Opened before the reading starts, so that a folder that is not there is said at once. ("w":
  // a temporary file left by an earlier run that had this process id is replaced.)
  let handle;
  try {
    handle = await open(temp, 'w');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? `the folder ${dirname(path)} does not exist` : e.code === 'EACCES' ? `no permission to write in ${dirname(path)}` : (e.code ?? e.message);
    throw new UsageError(`--errors-out ${path}: cannot write the file (${why})`);
  }
  onUnfinishedRun(() => rmSync(temp, { force: true })); // interrupted: no temporary file is left
  const out = handle.createWriteStream();
  const csv = stringify({ header: true, columns: ['line', 'claim_id', 'field', 'code', 'message'], record_delimiter: '\n' });
  // A write that fails midway (disk full, a file size limit) stops the writing, not the reading:
  // the run goes on to its report and then fails with exit 2, leaving no file.
  let failure: NodeJS.ErrnoException | undefined;
  let failed = (): void => undefined;
  const broken = new Promise<void>((resolve) => {
    failed = resolve;
  });
  out.on('error', (err) => {
    failure ??= err;
    csv.unpipe(out);
    failed();
  });
  csv.pipe(out);
  const fail = async (): Promise<never> => {
    csv.destroy();
    out.destroy();
    await unlink(temp).catch(() => undefined);
    throw new UsageError(`--errors-out ${path}: cannot write the file (${failure?.code ?? failure?.message})`);
  };
  return {
    write(p: Problem, claimId: string | undefined): void {
      if (p.severity !== 'error' || failure) return;
      csv.write([p.line ?? '', defuseFormula(claimId ?? ''), p.field ?? '', p.code, defuseFormula(p.message)]);
    },
    /** Holds the reading while the CSV writer is behind (not once the file has failed). */
    throttle(): Promise<unknown> | undefined {
      if (failure || !csv.writableNeedDrain) return undefined;
      return Promise.race([once(csv, 'drain'), broken]);
    },
    async commit(): Promise<void> {
      if (failure) return fail();
      csv.end();
      await Promise.race([finished(out), broken]).catch(() => undefined);
      if (failure) return fail();
      await rename(temp, path);
    },
    async abandon(): Promise<void> {
      csv.destroy();
      out.destroy();
      await unlink(temp).catch(() => undefined);
    },
  };
}

export async function runValidate(claimsFile: string, o: ValidateCliOptions): Promise<void> {
  const settings = parseClaimsOptions(o);
  if (o.errorsOut !== undefined) {
    const target = resolve(o.errorsOut);
    if (target === resolve(claimsFile) || target === resolve(o.plan)) {
      throw new UsageError(`--errors-out ${o.errorsOut}: that is an input file; name a new file`);
    }
  }
  const { plan, file: planFile } = await loadPlan(o.plan);
  const errorsOut = o.errorsOut !== undefined ? await openErrorsOut(o.errorsOut) : undefined;
  let result: ReadClaimsResult;
  try {
    const read: ReadClaimsOptions = errorsOut
      ? { ...settings.read, onProblem: (p, id) => errorsOut.write(p, id), throttle: () => errorsOut.throttle() }
      : settings.read;
    result = await readClaimsShowingProgress(claimsFile, plan, read, false);
  } catch (err) {
    await errorsOut?.abandon();
    throw err;
  }
  // The report is printed even when --errors-out could not be written; that failure (exit 2) comes last.
  const written = errorsOut?.commit().then(
    () => undefined,
    (err: unknown) => err,
  );
  const writeFailure = await written;

  const report = buildValidateReport(result, plan, planFile, settings.maxErrors);
  if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(renderValidateText(report, result.problems, settings.maxErrors, colorFor(process.stdout)));

  if (writeFailure !== undefined) throw writeFailure;
  const errors = result.stats.errors;
  if (errors > 0) throw new DataError(`${claimsFile} failed validation: ${grouped(errors)} error${errors === 1 ? '' : 's'}`);
}

