/** `payout verify`'s report: one ✓ / ! / ✗ line per check with its details, or one JSON document. */
import type { ChalkInstance } from 'chalk';
import type { VerifyCheck } from '../core/verify.js';
import { formatMoney, grouped } from '../core/money.js';
import type { VerifyResult } from '../app/verify.js';
import type { DataError, UsageError } from '../core/errors.js';
import { formatProblem, type Problem } from '../core/problems.js';
import { countOf } from '../core/display-numbers.js';

export const VERIFY_FORMAT = 'payout-verify/1';

const MARK: Record<VerifyCheck['status'], string> = { ok: '✓', note: '!', fail: '✗' };

export function renderVerifyText(r: VerifyResult, c: ChalkInstance): string {
  const m = r.manifest;
  const lines = [c.bold(`payout verify ${r.dir}`) + c.dim(` (made by ${m.tool.name} ${m.tool.version} ${m.command}, seed ${JSON.stringify(m.seed)})`)];
  for (const k of r.checks) {
    const color = k.status === 'ok' ? c.green : k.status === 'note' ? c.yellow : c.red;
    lines.push(`${color(MARK[k.status])} ${c.bold(`${k.name}:`)} ${k.message}`);
    for (const d of k.details) lines.push(`    ${c.dim(d)}`);
  }
  const failed = r.checks.filter((k) => k.status === 'fail').length;
  const notes = r.checks.filter((k) => k.status === 'note').length;
  lines.push('');
  if (failed > 0) {
    lines.push(c.red(c.bold(`NOT VERIFIED: ${grouped(failed)} of ${countOf(r.checks.length, 'check')} failed`)));
  } else {
    const n = notes > 0 ? ` (${countOf(notes, 'note')}: bytes differ, content matches)` : '';
    lines.push(c.green(c.bold(`Verified: ${r.dir} holds what these inputs give, to the cent${n}`)));
  }
  return `${lines.join('\n')}\n`;
}

/** The report as data: every check, and the first differences in full. Money as strings. */
export function verifyJson(r: VerifyResult) {
  const l = r.ledger;
  return {
    format: VERIFY_FORMAT,
    dir: r.dir,
    command: r.manifest.command,
    tool: r.manifest.tool,
    verified: r.checks.every((k) => k.status !== 'fail'),
    checks: r.checks,
    /** A reading option given that differs from the manifest's record (also on stderr). */
    warnings: r.warnings,
    ledger: {
      expectedRows: l.expectedRows,
      foundRows: l.foundRows,
      rowsMatch: l.rowsMatch,
      comparedBy: l.comparedBy,
      inOrder: l.inOrder,
      differenceCount: l.differenceCount,
      rowsDiffering: l.rowsDiffering,
      amountsDiffering: l.amountsDiffering,
      differences: l.differences,
      missing: l.missing,
      extra: l.extra,
      duplicates: l.duplicates,
      total: formatMoney(l.foundTotal),
      badAmounts: l.badAmounts,
    },
    summary: {
      differenceCount: r.summaryDifferences.length,
      differences: r.summaryDifferences.slice(0, r.maxDiffs),
    },
    maxDiffs: r.maxDiffs,
  };
}

/** A problem as data, its keys always in one order (absent when the problem has none). */
const problemJson = (p: Problem) => ({
  code: p.code,
  severity: p.severity,
  ...(p.file !== undefined ? { file: p.file } : {}),
  ...(p.line !== undefined ? { line: p.line } : {}),
  ...(p.field !== undefined ? { field: p.field } : {}),
  message: p.message,
});

/**
 * The document when nothing could be compared (the claims file cannot be read, the folder is not a
 * run, the plan is refused): `verified` false, one failed check `read` with the error and its
 * problems' lines, and `error` with the exit code, the message and the problems as data.
 */
export function verifyFailureJson(dir: string, warnings: readonly string[], err: UsageError | DataError, problems: readonly Problem[]) {
  return {
    format: VERIFY_FORMAT,
    dir,
    verified: false,
    checks: [{ name: 'read', status: 'fail' as const, message: err.message, details: problems.map(formatProblem) }],
    warnings,
    error: { exitCode: err.exitCode, message: err.message, problems: problems.map(problemJson) },
  };
}
