/**
 * `payout explain`: "why did this claimant get this amount".
 *
 * {@link explainClaims}: runs the allocation as allocate does (nothing is written) and explains each
 * claim asked, every step from the gross fund to its cents: deductions, pool, exact share, cap,
 * minimum, floor, remainder and the tie-break. A claim id that is not in the claims file is a usage
 * error (exit 2): nothing about the data failed, the question named something that is not there.
 *
 * {@link explainRoundTwo}: the same for a second round, with the inputs `payout verify` takes for
 * DIR2 (the first round's folder and the uncashed list; the costs from DIR2/manifest.json). The
 * second round is recomputed as redistribute does, each claim explained, and its row of
 * DIR2/ledger.csv compared (the command makes a difference exit 1).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { allocate, type Allocation } from '../core/allocate.js';
import type { ClaimTable } from '../core/claims.js';
import { restoreFormula } from '../core/csv-cell.js';
import { explainClaim } from '../core/explain-claim.js';
import {
  availableReport,
  explainRoundTwoClaim,
  tieRanks,
  type RoundTwoAvailableReport,
  type RoundTwoClaimReport,
} from '../core/explain-redistribution.js';
import { claimReport, type ClaimReport } from '../core/explain-report.js';
import { UsageError } from '../core/errors.js';
import type { Manifest } from '../core/manifest.js';
import type { Plan } from '../core/plan.js';
import { tieKeyer } from '../io/hash.js';
import { readLedger } from '../io/ledger-reader.js';
import { readManifest } from '../io/output-dir.js';
import { loadPlan } from '../io/plan-file.js';
import { computeRedistribution, parseCosts, type RedistributionRun } from './redistribute.js';
import { readValidClaims, type ClaimsSettings } from './validate.js';
import { givenByValue, readingOfRun, runInputWarnings, type ReadingGiven } from './recorded-reading.js';
import { countOf } from '../core/display-numbers.js';

/** What DIR2/ledger.csv holds for the claim, and whether it is what the inputs give. */
export interface LedgerCheck {
  file: string;
  /** null when the ledger has no row for the claim. */
  line: number | null;
  outcome: string | null;
  amount: string | null;
  agrees: boolean;
}

export type RoundTwoExplained = RoundTwoClaimReport & { ledger: LedgerCheck };

export interface RoundTwoFiles {
  firstLedger: string;
  firstSummary: string;
  uncashed: string;
  dir: string;
}

/** The rows of `ids` in the table (first occurrence; ids are unique after validation), or the unknown ones. */
export function findClaimRows(table: ClaimTable, ids: readonly string[]): { rows: number[] } | { unknown: string[] } {
  const wanted = new Map<string, number>(ids.map((id) => [id, -1]));
  for (let row = 0; row < table.count; row++) {
    const id = table.ids.get(row);
    if (wanted.get(id) === -1) wanted.set(id, row);
  }
  const unknown = [...wanted].filter(([, row]) => row < 0).map(([id]) => id);
  return unknown.length > 0 ? { unknown } : { rows: [...wanted.values()] };
}

/** The reports of `rows`, in the order asked. */
export function explainRows(plan: Plan, table: ClaimTable, alloc: Allocation, rows: readonly number[], tieKey: (id: string) => string): ClaimReport[] {
  return rows.map((row) => claimReport(plan, alloc, explainClaim(plan, table, alloc, row, tieKey)));
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export interface ExplainOptions {
  planFile: string;
  claimsFile: string;
  /** The claim ids asked, each once, in the order asked. */
  ids: readonly string[];
  claims: ClaimsSettings;
  /**
   * The output folder of the run that read this claims file (`--from DIR`): the claims are read
   * with the reading options its manifest records, as `payout verify` reads them.
   */
  fromDir?: string;
  /** Which reading options were given (with fromDir): one that differs from the record is a warning. */
  given?: ReadingGiven;
  /** Things to tell the user that do not stop the run. */
  onWarning?: (message: string) => void;
}

/** A first round's claims explained, in the order asked; an unknown claim id is a UsageError, told before any warning. */
export async function explainClaims(o: ExplainOptions): Promise<{ plan: Plan; reports: ClaimReport[] }> {
  const { plan, sha256: planSha256 } = await loadPlan(o.planFile);
  const run =
    o.fromDir === undefined
      ? undefined
      : await readingOfRun({ fromDir: o.fromDir, claimsFile: o.claimsFile, claims: o.claims, given: o.given ?? givenByValue(o.claims) });
  // Told before the claims are read: a reading that differs from the run's may well fail.
  for (const w of run?.warnings ?? []) o.onWarning?.(w);
  let found: ReturnType<typeof findClaimRows> | undefined;
  const settings = run === undefined ? o.claims : { ...run.claims, read: { ...run.claims.read, sha256: true } };
  const { table, stats } = await readValidClaims(o.claimsFile, plan, settings, ({ table }) => {
    found = findClaimRows(table, o.ids);
    if ('unknown' in found) {
      const list = found.unknown.map((id) => JSON.stringify(id)).join(', ');
      throw new UsageError(`${o.claimsFile}: no claim with claim_id ${list} (${found.unknown.length === 1 ? 'it is' : 'they are'} not in the file's ${countOf(table.count, 'valid row')})`);
    }
  });
  if (found === undefined || 'unknown' in found) throw new Error('explainClaims: the claim rows were not looked up');
  if (run !== undefined && o.fromDir !== undefined) {
    const facts = [[o.planFile, run.manifest.plan.sha256, planSha256], [o.claimsFile, run.manifest.claims?.sha256, stats.sha256]] as const;
    for (const w of runInputWarnings(o.fromDir, facts)) o.onWarning?.(w);
  }
  const tieKey = tieKeyer(plan.seed);
  const alloc = allocate(plan, table, tieKey);
  return { plan, reports: explainRows(plan, table, alloc, found.rows, tieKey) };
}

/** The rows of `ids` in the first-round table (ids as written, or with a formula guard), or the unknown ones. */
export function findFirstRoundRows(ids: readonly string[], tableIds: readonly string[]): { rows: number[] } | { unknown: string[] } {
  const rowOf = new Map<string, number>();
  for (let row = 0; row < tableIds.length; row++) if (!rowOf.has(tableIds[row]!)) rowOf.set(tableIds[row]!, row);
  const rows: number[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const row = rowOf.get(id) ?? rowOf.get(restoreFormula(id));
    if (row === undefined) unknown.push(id);
    else rows.push(row);
  }
  return unknown.length > 0 ? { unknown } : { rows };
}

/** Inputs that are not the files DIR2's manifest records: the explanation is of these inputs, not of DIR2's run. */
function inputWarnings(run: RedistributionRun, dir2: string, manifest: Manifest, planFile: string, uncashedFile: string): string[] {
  const recorded = manifest.inputs ?? {};
  const f = run.first.files;
  const facts: [string, string | undefined, string][] = [
    [planFile, manifest.plan.sha256, run.loaded.sha256],
    [f.ledger.path, recorded.firstLedger?.sha256, f.ledger.sha256],
    [f.summary.path, recorded.firstSummary?.sha256, f.summary.sha256],
    [uncashedFile, recorded.uncashed?.sha256, run.uncashed.sha256],
  ];
  return runInputWarnings(dir2, facts);
}

export const ROUND_2_USAGE = 'payout explain --plan PLAN DIR UNCASHED.csv DIR2 CLAIM_ID…';

export interface ExplainRoundTwoOptions {
  planFile: string;
  fromDir: string;
  /** Undefined when not given (a UsageError says what to give). */
  uncashedFile: string | undefined;
  dir2: string | undefined;
  ids: readonly string[];
  /** --map or --delimiter was given: they are for a claims file, refused here. */
  claimsOptionsGiven: boolean;
  /** Things to tell the user that do not stop the run. */
  onWarning?: (message: string) => void;
}

export interface RoundTwoExplanation {
  run: RedistributionRun;
  available: RoundTwoAvailableReport;
  explained: RoundTwoExplained[];
  files: RoundTwoFiles;
  /** DIR2/ledger.csv, and the claims whose row there is not what the inputs give. */
  ledgerFile: string;
  differing: RoundTwoExplained[];
}

/** A second round's claims explained and checked against DIR2/ledger.csv. */
export async function explainRoundTwo(o: ExplainRoundTwoOptions): Promise<RoundTwoExplanation> {
  const { fromDir, uncashedFile, dir2, ids } = o;
  const firstManifest = await readManifest(fromDir);
  if (firstManifest.command === 'redistribute') {
    throw new UsageError(`${fromDir} is a second round's folder: give the first round's folder and the uncashed list before it, ${ROUND_2_USAGE}`);
  }
  if (uncashedFile === undefined || dir2 === undefined || ids.length === 0 || !(await isDirectory(dir2))) {
    throw new UsageError(
      `${fromDir} is an output folder: to explain a second-round claim give the first round's folder, the uncashed list, the second round's folder and at least one claim id, ${ROUND_2_USAGE} (a first-round claim: payout explain --plan PLAN CLAIMS.csv CLAIM_ID…)`,
    );
  }
  if (o.claimsOptionsGiven) {
    throw new UsageError('--map and --delimiter are for a claims file; a second round reads the ledger payout allocate wrote');
  }
  const manifest = await readManifest(dir2);
  if (manifest.command !== 'redistribute') {
    throw new UsageError(`${dir2} was made by payout ${manifest.command}, not payout redistribute: ${ROUND_2_USAGE}`);
  }
  const costsText = manifest.parameters?.costs;
  if (costsText === undefined) throw new UsageError(`${join(dir2, 'manifest.json')}: no parameters.costs recorded: not a manifest of payout redistribute`);
  const run = await computeRedistribution({ planFile: o.planFile, fromDir, uncashedFile, costs: parseCosts(costsText) });
  for (const w of [...run.warnings, ...inputWarnings(run, dir2, manifest, o.planFile, uncashedFile)]) o.onWarning?.(w);

  const first = run.first.table;
  const found = findFirstRoundRows(ids, first.ids);
  if ('unknown' in found) {
    const list = found.unknown.map((id) => JSON.stringify(id)).join(', ');
    throw new UsageError(
      `${run.first.files.ledger.path}: no claim with claim_id ${list} (${found.unknown.length === 1 ? 'it is' : 'they are'} not in the first round's ${countOf(first.count, 'row')})`,
    );
  }
  const reports = explainRoundTwoRows(run, found.rows, uncashedFile);

  // What DIR2/ledger.csv holds for these claims.
  const ledgerFile = join(dir2, 'ledger.csv');
  const wanted = new Map(reports.map((r) => [r.claimId, r]));
  const held = new Map<string, { line: number; outcome: string; amount: string }>();
  await readLedger(ledgerFile, ['claim_id', 'outcome', 'amount'], (row) => {
    const id = row.cells.claim_id ?? '';
    if (wanted.has(id) && !held.has(id)) held.set(id, { line: row.line, outcome: row.cells.outcome ?? '', amount: row.cells.amount ?? '' });
  });
  const explained: RoundTwoExplained[] = reports.map((r) => {
    const h = held.get(r.claimId);
    const ledger: LedgerCheck = h
      ? { file: ledgerFile, line: h.line, outcome: h.outcome, amount: h.amount, agrees: h.outcome === r.outcome && h.amount === r.amount }
      : { file: ledgerFile, line: null, outcome: null, amount: null, agrees: false };
    return { ...r, ledger };
  });
  const files: RoundTwoFiles = { firstLedger: run.first.files.ledger.path, firstSummary: run.first.files.summary.path, uncashed: uncashedFile, dir: dir2 };
  return { run, available: availableReport(run.result), explained, files, ledgerFile, differing: explained.filter((r) => !r.ledger.agrees) };
}

/** The second-round reports of `rows` of the first round, in the order asked. */
export function explainRoundTwoRows(run: RedistributionRun, rows: readonly number[], uncashedFile: string, tieKey = tieKeyer(run.result.seed)) {
  const first = run.first.table;
  const rowOf = new Map<string, number>();
  for (let row = 0; row < first.count; row++) if (!rowOf.has(first.ids[row]!)) rowOf.set(first.ids[row]!, row);
  const uncashedLine = new Map<number, number>();
  for (const e of run.uncashed.entries) {
    const row = rowOf.get(e.claimId) ?? rowOf.get(restoreFormula(e.claimId));
    if (row !== undefined && !uncashedLine.has(row)) uncashedLine.set(row, e.line);
  }
  const ranks = tieRanks(first, run.result, rows, tieKey);
  return rows.map((row) =>
    explainRoundTwoClaim(run.loaded.plan, first, run.result, row, tieKey, { uncashed: uncashedFile, uncashedLine: uncashedLine.get(row) ?? null }, ranks),
  );
}

