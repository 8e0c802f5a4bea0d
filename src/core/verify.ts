/**
 * `payout verify`, the comparison (docs/spec.md §5 and §8): what the inputs give, recomputed, against
 * what is found in an output folder. Pure: the command reads the files and recomputes; this module
 * only compares and words the findings, so every message can be tested without a file.
 *
 * Three levels of finding: `ok`; `note`, the bytes of an output differ from the manifest's hash but
 * every row (or field) read back matches — a ledger re-saved by a spreadsheet with CRLF line ends,
 * or re-sorted — which does not change what anyone is paid (exit 0); and `fail`, something an
 * auditor must not sign: an amount, a row, a total or an input that is not what it was (exit 1).
 */
import { parseMoney, formatMoneyHuman, grouped, type Cents } from './money.js';
import { countOf } from './display-numbers.js';
import type { LedgerComparison } from './ledger-compare.js';

/** A JSON value found at `path` that is not the expected one; a side that lacks the key has no property. */
export interface JsonDifference {
  /** `totals.residual`, `classes[0].amount`; `(root)` for the whole document. */
  path: string;
  expected?: unknown;
  found?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every path at which `found` differs from `expected`, in the expected document's key order. */
export function compareJson(expected: unknown, found: unknown, path = ''): JsonDifference[] {
  const here = path === '' ? '(root)' : path;
  if (Array.isArray(expected) && Array.isArray(found)) {
    const out: JsonDifference[] = [];
    for (let i = 0; i < Math.max(expected.length, found.length); i++) {
      const p = `${path}[${i}]`;
      if (i >= found.length) out.push({ path: p, expected: expected[i] });
      else if (i >= expected.length) out.push({ path: p, found: found[i] });
      else out.push(...compareJson(expected[i], found[i], p));
    }
    return out;
  }
  if (isObject(expected) && isObject(found)) {
    const out: JsonDifference[] = [];
    const key = (k: string) => (path === '' ? k : `${path}.${k}`);
    for (const k of Object.keys(expected)) {
      if (!Object.hasOwn(found, k)) out.push({ path: key(k), expected: expected[k] });
      else out.push(...compareJson(expected[k], found[k], key(k)));
    }
    for (const k of Object.keys(found)) if (!Object.hasOwn(expected, k)) out.push({ path: key(k), found: found[k] });
    return out;
  }
  return Object.is(expected, found) ? [] : [{ path: here, expected, found }];
}

/** ok · note (bytes differ, content matches: exit 0) · fail (exit 1). */
export type CheckStatus = 'ok' | 'note' | 'fail';

export interface VerifyCheck {
  /** What was checked: `plan`, `claims`, `ledger.csv`, `ledger rows`, `totals`, `summary.json`, `manifest`. */
  name: string;
  status: CheckStatus;
  message: string;
  /** Lines that explain a note or a failure (the first differences, the claim ids). */
  details: string[];
}

const check = (name: string, status: CheckStatus, message: string, details: string[] = []): VerifyCheck => ({ name, status, message, details });

/** An input file (the plan, the claims) against the hash the manifest recorded for it. */
export interface InputFact {
  /** `plan`, `claims`; for a second round, whatever its inputs are called. */
  name: string;
  /** How the file is called in messages: `the plan`, `the claims file`. */
  label: string;
  file: string;
  recorded: { sha256: string; rows?: number } | undefined;
  actual: { sha256: string; rows?: number };
}

/** The plan or a claims file is the one the manifest names, or it was changed after the run. */
export function checkInput(f: InputFact): VerifyCheck {
  if (f.recorded === undefined) return check(f.name, 'fail', `the manifest records no ${f.name} file, so ${f.file} cannot be checked against it`);
  if (f.recorded.sha256 !== f.actual.sha256) {
    return check(f.name, 'fail', `${f.label} was changed after the run: sha256 ${f.recorded.sha256} in the manifest, ${f.actual.sha256} now (${f.file})`);
  }
  if (f.recorded.rows !== undefined && f.actual.rows !== undefined && f.recorded.rows !== f.actual.rows) {
    return check(f.name, 'fail', `${f.file}: the manifest records ${countOf(f.recorded.rows, 'row')}, the file has ${grouped(f.actual.rows)}, with the same sha256 (was the manifest edited?)`);
  }
  const rows = f.actual.rows === undefined ? '' : `, ${countOf(f.actual.rows, 'row')}`;
  return check(f.name, 'ok', `${f.file} is the file of the run (sha256 ${f.recorded.sha256}${rows})`);
}

/** An output file of DIR: what the manifest recorded, what is on disk, what the inputs give. */
export interface OutputFact {
  file: string;
  recorded: { sha256: string; bytes: number; rows?: number } | undefined;
  actual: { sha256: string; bytes: number; hasCR: boolean };
  /** SHA-256 of the bytes the inputs give, recomputed. */
  expectedSha256: string;
}

/**
 * The bytes of a ledger file: the manifest's hash holds, or they differ. When they differ but every
 * row read back matches what the inputs give (`contentMatches`), it is a note, not a failure: a
 * spreadsheet that re-saves with CRLF or a sort changes the bytes and no amount.
 */
export function checkOutputBytes(f: OutputFact, contentMatches: boolean, what: { unit: 'row' | 'field'; inOrder: boolean }): VerifyCheck {
  if (f.recorded === undefined) return check(f.file, 'fail', `the manifest does not list ${f.file}`);
  const every = what.unit === 'row' ? 'every row matches' : 'every field matches';
  if (f.actual.sha256 === f.recorded.sha256) {
    if (f.expectedSha256 === f.recorded.sha256) return check(f.file, 'ok', `matches the manifest's hash and what the inputs give (sha256 ${f.recorded.sha256})`);
    // The file is the one of the run, yet these inputs write other bytes.
    if (contentMatches) {
      return check(f.file, 'note', `matches the manifest's hash, and ${every}, but these inputs give other bytes (sha256 ${f.expectedSha256}): written by another version of payout?`);
    }
    return check(f.file, 'fail', `matches the manifest's hash, but not what the inputs give (sha256 ${f.expectedSha256} recomputed)`);
  }
  const hashes = [`sha256 ${f.recorded.sha256} in the manifest (${countOf(f.recorded.bytes, 'byte')})`, `sha256 ${f.actual.sha256} now (${countOf(f.actual.bytes, 'byte')})`];
  if (f.actual.sha256 === f.expectedSha256) {
    return check(f.file, 'fail', `the manifest's hash is not this file's, yet the file is exactly what the inputs give: was the manifest edited?`, hashes);
  }
  if (contentMatches) {
    const why: string[] = [];
    if (f.actual.hasCR) why.push('its lines end in CRLF (payout writes LF)');
    if (!what.inOrder) why.push('its rows are not in the order of the claims file');
    const hint = what.unit === 'row' ? 're-saved or re-sorted?' : 're-saved?';
    return check(f.file, 'note', `bytes differ from the manifest's hash, but ${every}: ${hint}`, [...why, ...hashes]);
  }
  return check(f.file, 'fail', `bytes differ from the manifest's hash`, hashes);
}




/** The rows of the ledger file against the rows the inputs give. */
export function checkLedgerRows(file: string, c: LedgerComparison, maxDiffs: number): VerifyCheck {
  if (c.rowsMatch) {
    const order = c.inOrder ? '' : ' (in another order)';
    const how = c.comparedBy === 'bytes' ? ', byte for byte' : order;
    const rows = c.expectedRows === 1 ? `the 1 row of ${file} matches` : `all ${countOf(c.expectedRows, 'row')} of ${file} match`;
    return check('ledger rows', 'ok', `${rows} the recomputed ledger${how}`);
  }
  const parts: string[] = [];
  if (c.differenceCount > 0) {
    const amounts = c.amountsDiffering > 0 ? `, ${countOf(c.amountsDiffering, 'amount')}` : ', no amount';
    parts.push(`${countOf(c.differenceCount, 'cell')} ${c.differenceCount === 1 ? 'differs' : 'differ'} in ${countOf(c.rowsDiffering, 'row')}${amounts}`);
  }
  if (c.missing.count > 0) parts.push(`${countOf(c.missing.count, 'row')} missing`);
  if (c.extra.count > 0) parts.push(`${countOf(c.extra.count, 'row')} not in the inputs`);
  if (c.duplicates.count > 0) parts.push(`${countOf(c.duplicates.count, 'row')} repeated`);
  if (c.badAmounts > 0) parts.push(`${countOf(c.badAmounts, 'amount')} not money`);

  const details: string[] = [];
  for (const d of c.differences) {
    details.push(`${file}:${d.line}: claim ${JSON.stringify(d.claimId)}: ${d.field}: expected ${JSON.stringify(d.expected)}, found ${JSON.stringify(d.found)}`);
  }
  if (c.differenceCount > c.differences.length) details.push(`… and ${countOf(c.differenceCount - c.differences.length, 'more cell')} (--max-diffs ${maxDiffs})`);
  if (c.missing.count > 0) {
    const more = c.missing.count > c.missing.claimIds.length ? ` … and ${grouped(c.missing.count - c.missing.claimIds.length)} more` : '';
    details.push(`missing from ${file}: ${c.missing.claimIds.map((id) => JSON.stringify(id)).join(', ')}${more}`);
  }
  for (const x of c.extra.rows) details.push(`${file}:${x.line}: claim ${JSON.stringify(x.claimId)} is not in the claims file`);
  if (c.extra.count > c.extra.rows.length) details.push(`… and ${countOf(c.extra.count - c.extra.rows.length, 'more row')} not in the claims file`);
  for (const x of c.duplicates.rows) details.push(`${file}:${x.line}: claim ${JSON.stringify(x.claimId)} again (first on line ${x.firstLine})`);
  if (c.duplicates.count > c.duplicates.rows.length) details.push(`… and ${countOf(c.duplicates.count - c.duplicates.rows.length, 'more repeated row')}`);
  return check('ledger rows', 'fail', `${parts.join('; ')} (${countOf(c.foundRows, 'row')} found, ${grouped(c.expectedRows)} expected)`, details);
}

/** The money identity of docs/spec.md §4a: Σ ledger amounts + residual = net, from the files found. */
export function checkTotals(
  ledgerTotal: Cents,
  badAmounts: number,
  residual: { text: unknown; source: string },
  net: { text: unknown; source: string },
): VerifyCheck {
  const res = typeof residual.text === 'string' ? parseMoney(residual.text) : undefined;
  const nt = typeof net.text === 'string' ? parseMoney(net.text) : undefined;
  if (res === undefined || nt === undefined) {
    const bad = res === undefined ? residual : net;
    return check('totals', 'fail', `cannot total: ${bad.source} is ${JSON.stringify(bad.text) ?? 'absent'}, not money`);
  }
  const skipped = badAmounts > 0 ? ` (${countOf(badAmounts, 'amount')} that ${badAmounts === 1 ? 'is' : 'are'} not money left out)` : '';
  const sum = ledgerTotal + res;
  const m = (c: Cents): string => formatMoneyHuman(c);
  const text = `Σ ledger amounts ${m(ledgerTotal)} + residual ${m(res)} = ${m(sum)}`;
  if (sum === nt && badAmounts === 0) return check('totals', 'ok', `${text} = net ${m(nt)}`);
  const off = sum - nt;
  const by = off === 0n ? '' : off < 0n ? `: ${m(-off)} short` : `: ${m(off)} over`;
  return check('totals', 'fail', `${text}, but the net is ${m(nt)}${by}${skipped}`, [`residual from ${residual.source}, net from ${net.source}`]);
}

/** summary.json against the summary the inputs give, path by path. */
export function checkSummaryFields(file: string, differences: JsonDifference[], maxDiffs: number): VerifyCheck {
  if (differences.length === 0) return check(`${file} fields`, 'ok', `every field of ${file} matches the recomputed summary`);
  const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));
  const details = differences.slice(0, maxDiffs).map((d) => `${d.path}: expected ${show(d.expected)}, found ${show(d.found)}`);
  if (differences.length > maxDiffs) details.push(`… and ${countOf(differences.length - maxDiffs, 'more field')} (--max-diffs ${maxDiffs})`);
  return check(`${file} fields`, 'fail', `${countOf(differences.length, 'field')} of ${file} ${differences.length === 1 ? 'differs' : 'differ'} from the recomputed summary`, details);
}

/** Whether the checks let the outputs stand: no failure (notes allowed). */
export function verified(checks: readonly VerifyCheck[]): boolean {
  return checks.every((c) => c.status !== 'fail');
}
