/**
 * `payout validate --plan PLAN CLAIMS.csv`: reads the claims as `allocate` would and reports what
 * it found (rows, classes, statuses, eligible points) and every problem, without allocating.
 *
 * The claims options (--map, --delimiter, --max-errors) and `readValidClaims` are exported for
 * the commands that read claims too (`allocate`, `verify`).
 */
import { createWriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify';
import type { Plan } from '../../core/plan.js';
import type { Problem } from '../../core/problems.js';
import { loadPlan } from '../../io/plan-file.js';
import { CLAIM_FIELDS, readClaims, type ClaimField, type ReadClaimsOptions, type ReadClaimsResult } from '../../io/claims-reader.js';
import { defuseFormula } from '../../core/csv-cell.js';
import { DataError, UsageError } from '../errors.js';
import { colorFor } from '../style.js';
import { buildValidateReport, renderProblemLines, renderTotals, renderValidateText } from '../render-validate.js';
import { grouped } from '../table.js';
import { startProgress } from '../progress.js';

/** What commander hands over for the claims options. */
export interface ClaimsCliOptions {
  map?: string[];
  delimiter?: string;
  maxErrors: string;
}

/** The claims options, parsed. */
export interface ClaimsSettings {
  read: ReadClaimsOptions;
  /** Show at most this many errors and this many warnings. */
  maxErrors: number;
  /** --quiet: no progress bar. */
  quiet?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** --map, --delimiter and --max-errors, for every command that reads a claims file. */
export function addClaimsOptions(cmd: Command): Command {
  return cmd
    .option(
      '--map <field=header>',
      `read a field from a column with another name, e.g. --map claim_id=ClaimNumber (repeatable; fields: ${CLAIM_FIELDS.join(', ')})`,
      collect,
    )
    .option('--delimiter <char>', 'the field delimiter, one character ("tab" for a tab)', ',')
    .option('--max-errors <n>', 'show at most N errors and N warnings', '50');
}

/** Checks the claims options; a bad one is a UsageError (exit 2). */
export function parseClaimsOptions(o: ClaimsCliOptions): ClaimsSettings {
  const map: Partial<Record<ClaimField, string>> = {};
  const usedHeaders = new Map<string, ClaimField>();
  for (const entry of o.map ?? []) {
    const eq = entry.indexOf('=');
    const field = (eq < 0 ? entry : entry.slice(0, eq)).trim().toLowerCase() as ClaimField;
    const header = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (eq < 0 || header === '') throw new UsageError(`--map ${entry}: expected field=header, e.g. --map claim_id=ClaimNumber`);
    if (!(CLAIM_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`--map ${entry}: unknown field "${field}" (fields: ${CLAIM_FIELDS.join(', ')})`);
    }
    if (map[field] !== undefined) throw new UsageError(`--map ${entry}: ${field} is already mapped to "${map[field]}"`);
    const other = usedHeaders.get(header.toLowerCase());
    if (other !== undefined) throw new UsageError(`--map ${entry}: column "${header}" is already mapped to ${other}`);
    usedHeaders.set(header.toLowerCase(), field);
    map[field] = header;
  }

  let delimiter = o.delimiter ?? ',';
  if (delimiter === 'tab' || delimiter === '\\t') delimiter = '\t';
  if ([...delimiter].length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new UsageError(`--delimiter ${JSON.stringify(delimiter)}: give one character other than a quote or a line break, e.g. --delimiter ";"`);
  }

  if (!/^\d+$/.test(o.maxErrors)) throw new UsageError(`--max-errors ${o.maxErrors}: give a whole number, e.g. --max-errors 100`);
  const maxErrors = Number(o.maxErrors);

  const read: ReadClaimsOptions = { delimiter };
  if (Object.keys(map).length > 0) read.map = map;
  return { read, maxErrors };
}

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

interface ValidateCliOptions extends ClaimsCliOptions {
  plan: string;
  json?: boolean;
  errorsOut?: string;
}

/** Writes the error rows as `line,claim_id,field,code,message` to a temporary name, renamed when complete. */
function openErrorsOut(path: string) {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const out = createWriteStream(temp);
  const csv = stringify({ header: true, columns: ['line', 'claim_id', 'field', 'code', 'message'], record_delimiter: '\n' });
  csv.pipe(out);
  return {
    write(p: Problem, claimId: string | undefined): void {
      if (p.severity !== 'error') return;
      csv.write([p.line ?? '', defuseFormula(claimId ?? ''), p.field ?? '', p.code, defuseFormula(p.message)]);
    },
    /** Holds the reading while the CSV writer is behind. */
    throttle(): Promise<unknown> | undefined {
      return csv.writableNeedDrain ? once(csv, 'drain') : undefined;
    },
    async commit(): Promise<void> {
      csv.end();
      await finished(out);
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
  const errorsOut = o.errorsOut !== undefined ? openErrorsOut(o.errorsOut) : undefined;
  let result: ReadClaimsResult;
  try {
    const read: ReadClaimsOptions = errorsOut
      ? { ...settings.read, onProblem: (p, id) => errorsOut.write(p, id), throttle: () => errorsOut.throttle() }
      : settings.read;
    result = await readClaimsShowingProgress(claimsFile, plan, read, false);
    await errorsOut?.commit();
  } catch (err) {
    await errorsOut?.abandon();
    throw err;
  }

  const report = buildValidateReport(result, plan, planFile, settings.maxErrors);
  if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(renderValidateText(report, result.problems, settings.maxErrors, colorFor(process.stdout)));

  const errors = result.stats.errors;
  if (errors > 0) throw new DataError(`${claimsFile} failed validation: ${grouped(errors)} error${errors === 1 ? '' : 's'}`);
}

export function registerValidate(program: Command): void {
  const cmd = program
    .command('validate')
    .summary('check a claims file against the plan and report every problem, without allocating')
    .description(
      [
        'Reads the claims as allocate would and checks every row: columns, claim ids,',
        'classes, units, UTF-8 and CSV syntax. Every problem is reported with its line,',
        'all in one run. Prints rows, claims and eligible points per class, claims per',
        'status, then the errors and warnings.',
        'Exit 0: no errors (warnings allowed); 1: errors in the claims;',
        '2: a bad option, a missing file or a refused plan.',
      ].join('\n'),
    )
    .argument('<claims.csv>', 'the claims file (CSV, UTF-8)')
    .requiredOption('--plan <plan.json>', 'the plan file');
  addClaimsOptions(cmd)
    .option('--json', 'print the report as one JSON document')
    .option('--errors-out <file>', 'also write the rows with errors as CSV: line,claim_id,field,code,message')
    .action(async (claims: string, opts: ValidateCliOptions) => {
      await runValidate(claims, opts);
    });
}
