/**
 * The report of `payout validate`, as data (also the --json document) and as text for people.
 * Counts are JSON numbers; units and points are exact decimal strings.
 */
import type { ChalkInstance } from 'chalk';
import { visibleText } from '../core/visible-text.js';
import { countOf, groupDecimal } from '../core/display-numbers.js';
import { formatProblem, type Problem, type ProblemCode } from '../core/problems.js';
import type { Plan } from '../core/plan.js';
import { grouped, renderTable } from './table.js';
import { decToRational, exactDecimal, parseDec, rat, ratAdd } from '../core/decimal.js';
import type { ClaimField, ClaimsStats, ReadClaimsResult } from '../io/claims-reader.js';

/** Names and versions the --json document, as summary.json does (`payout-summary/1`). */
export const VALIDATE_FORMAT = 'payout-validate/1';

export interface ProblemList {
  count: number;
  /** How many are listed below (at most --max-errors). */
  shown: number;
  /** Counted per code, codes in alphabetical order. */
  byCode: Partial<Record<ProblemCode, number>>;
  list: Array<{ line: number | null; field: string | null; code: ProblemCode; message: string }>;
}

/** The --json document; the text report shows the same. Keys are written in this order. */
export interface ValidateReport {
  format: typeof VALIDATE_FORMAT;
  file: string;
  plan: { file: string; name: string; mode: Plan['mode'] };
  ok: boolean;
  rows: number;
  invalidRows: number;
  blankRows: number;
  /** Set when a syntax error stopped the reading there. */
  stoppedAtLine: number | null;
  columns: Record<ClaimField, string | null>;
  classes: Array<{
    id: string;
    weight: string | null;
    poolPercent: string | null;
    claims: number;
    eligible: number;
    units: string;
    points: string;
  }>;
  statuses: Array<{ status: string; claims: number; eligible: boolean }>;
  eligible: { claims: number };
  errors: ProblemList;
  warnings: ProblemList;
}

function problemList(problems: Problem[], severity: Problem['severity'], stats: ClaimsStats, max: number): ProblemList {
  const shown = problems.filter((p) => p.severity === severity).slice(0, max);
  const counted = severity === 'error' ? stats.errorsByCode : stats.warningsByCode;
  const byCode: Partial<Record<ProblemCode, number>> = {};
  for (const code of (Object.keys(counted) as ProblemCode[]).sort()) byCode[code] = counted[code] as number;
  return {
    count: severity === 'error' ? stats.errors : stats.warnings,
    shown: shown.length,
    byCode,
    list: shown.map((p) => ({ line: p.line ?? null, field: p.field ?? null, code: p.code, message: p.message })),
  };
}

export function buildValidateReport(
  result: ReadClaimsResult,
  plan: Plan,
  planFile: string,
  maxErrors: number,
): ValidateReport {
  const { stats, problems } = result;
  return {
    format: VALIDATE_FORMAT,
    file: stats.file,
    plan: { file: planFile, name: plan.name, mode: plan.mode },
    ok: stats.errors === 0,
    rows: stats.rows,
    invalidRows: stats.invalidRows,
    blankRows: stats.blankRows,
    stoppedAtLine: stats.stoppedAtLine ?? null,
    columns: stats.columns,
    classes: stats.classes.map((c, i) => ({
      id: c.id,
      weight: plan.classes[i]?.weightText ?? null,
      poolPercent: plan.classes[i]?.poolPercentText ?? null,
      claims: c.claims,
      eligible: c.eligible,
      units: c.units,
      points: c.points,
    })),
    statuses: stats.statuses.map((s) => ({ status: s.status, claims: s.claims, eligible: s.eligible })),
    eligible: { claims: stats.classes.reduce((n, c) => n + c.eligible, 0) },
    errors: problemList(problems, 'error', stats, maxErrors),
    warnings: problemList(problems, 'warning', stats, maxErrors),
  };
}



/** The problems of one severity, at most `max`, then "… and N more …". */
export function renderProblemLines(problems: Problem[], severity: Problem['severity'], total: number, max: number, c: ChalkInstance): string[] {
  const label = severity === 'error' ? c.red('error') : c.yellow('warning');
  const mine = problems.filter((p) => p.severity === severity);
  const lines = mine.slice(0, max).map((p) => `${label}: ${formatProblem(p)}`);
  const more = total - Math.min(max, mine.length);
  if (more > 0) lines.push(`… and ${countOf(more, `more ${severity}`)} not shown`);
  return lines;
}

/** "3 errors, 2 warnings" */
export function renderTotals(errors: number, warnings: number, c: ChalkInstance): string {
  const e = countOf(errors, 'error');
  const w = countOf(warnings, 'warning');
  return `${errors > 0 ? c.red(e) : c.green(e)}, ${warnings > 0 ? c.yellow(w) : w}`;
}

export function renderValidateText(report: ValidateReport, problems: Problem[], maxErrors: number, c: ChalkInstance): string {
  const out: string[] = [];
  out.push(`${c.bold(report.file)}: ${countOf(report.rows, 'row')}` + (report.blankRows > 0 ? `, ${countOf(report.blankRows, 'blank row')} skipped` : ''));
  out.push(`plan: ${report.plan.file} (${report.plan.mode} mode)`);
  if (report.invalidRows > 0) out.push(`${countOf(report.invalidRows, 'row')} with errors ${report.invalidRows === 1 ? 'is' : 'are'} not counted below`);
  if (report.stoppedAtLine !== null) out.push(c.red(`reading stopped at line ${grouped(report.stoppedAtLine)}: the rows after it were not checked`));
  out.push('');

  const pools = report.plan.mode === 'pools';
  const rows = report.classes.map((k) => [
    visibleText(k.id),
    (pools ? k.poolPercent : k.weight) ?? '',
    grouped(k.claims),
    grouped(k.eligible),
    groupDecimal(k.units),
    groupDecimal(k.points),
  ]);
  const totalClaims = report.classes.reduce((n, k) => n + k.claims, 0);
  // Points of different pools are not added up: each pool is divided on its own.
  const totalPoints = pools ? '' : groupDecimal(sumDecimals(report.classes.map((k) => k.points)));
  rows.push(['total', '', grouped(totalClaims), grouped(report.eligible.claims), '', totalPoints]);
  const [classHead = '', ...classLines] = renderTable(
    ['class', pools ? 'pool %' : 'weight', 'claims', 'eligible', 'units', 'points'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right'],
  );
  out.push(c.bold(classHead), ...classLines, '');

  const statusRows = report.statuses.map((s) => [visibleText(s.status), grouped(s.claims), s.eligible ? 'eligible' : 'not eligible']);
  const [statusHead = '', ...statusLines] = renderTable(['status', 'claims', ''], statusRows, ['left', 'right', 'left']);
  out.push(c.bold(statusHead), ...statusLines);

  const problemLines = [
    ...renderProblemLines(problems, 'error', report.errors.count, maxErrors, c),
    ...renderProblemLines(problems, 'warning', report.warnings.count, maxErrors, c),
  ];
  if (problemLines.length > 0) out.push('', ...problemLines);
  out.push('', renderTotals(report.errors.count, report.warnings.count, c));
  return `${out.join('\n')}\n`;
}

/** Sum of plain non-negative decimal strings, exactly. */
function sumDecimals(values: string[]): string {
  const total = values.reduce((acc, v) => ratAdd(acc, decToRational(parseDec(v) ?? { n: 0n, scale: 0 })), rat(0n));
  return exactDecimal(total) ?? '0';
}
