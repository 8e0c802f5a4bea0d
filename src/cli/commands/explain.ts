/**
 * `payout explain --plan PLAN CLAIMS.csv CLAIM_ID…`: "why did this claimant get this amount". Runs
 * the allocation as allocate does (nothing is written) and shows, for each claim asked, every step
 * from the gross fund to its cents: deductions, pool, exact share, cap, minimum, floor, remainder and
 * the tie-break. A claim id that is not in the claims file is a usage error (exit 2): nothing about
 * the data failed, the question named something that is not there.
 *
 * `payout explain --plan PLAN DIR UNCASHED.csv DIR2 CLAIM_ID…`: the same for a second round, with
 * the inputs `payout verify` takes for DIR2 (the first round's folder and the uncashed list; the
 * costs from DIR2/manifest.json). The second round is recomputed as redistribute does, each claim
 * explained, and its row of DIR2/ledger.csv compared (a difference is exit 1).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { allocate, type Allocation } from '../../core/allocate.js';
import type { ClaimTable } from '../../core/claims.js';
import { explainClaim } from '../../core/explain-claim.js';
import { claimReport, EXPLAIN_FORMAT, type ClaimReport } from '../../core/explain-report.js';
import type { Plan } from '../../core/plan.js';
import { tieKeyer } from '../../io/hash.js';
import { loadPlan } from '../../io/plan-file.js';
import { UsageError } from '../../core/errors.js';
import { renderClaimText } from '../render-explain.js';
import { colorFor } from '../style.js';
import { grouped } from '../table.js';
import { parseClaimsOptions, type ClaimsCliOptions } from './claims-options.js';
import { readValidClaims } from './validate.js';
import { restoreFormula } from '../../core/csv-cell.js';
import { availableReport, EXPLAIN_ROUND_2_FORMAT, explainRoundTwoClaim, tieRanks } from '../../core/explain-redistribution.js';
import { readLedger } from '../../io/ledger-reader.js';
import { readManifest } from '../../io/output-dir.js';
import { computeRedistribution, parseCosts, type RedistributionRun } from '../../io/redistribution-run.js';
import { DataError } from '../../core/errors.js';
import { renderRoundTwoClaimText, type LedgerCheck, type RoundTwoExplained, type RoundTwoFiles } from '../render-explain-round2.js';

export interface ExplainCliOptions extends ClaimsCliOptions {
  plan: string;
  json?: boolean;
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

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

const ROUND_2_USAGE = 'payout explain --plan PLAN DIR UNCASHED.csv DIR2 CLAIM_ID…';

export async function runExplain(args: string[], o: ExplainCliOptions): Promise<void> {
  // An output folder first: a second round, with verify's inputs (DIR UNCASHED.csv DIR2).
  if (args[0] !== undefined && (await isDirectory(args[0]))) return runExplainRoundTwo(args, o);
  const [claimsFile, ...rawIds] = args;
  const ids = [...new Set(rawIds.map((id) => id.trim()))];
  if (claimsFile === undefined || ids.length === 0) {
    throw new UsageError('name the claims file and at least one claim id: payout explain --plan PLAN CLAIMS.csv CLAIM_ID…');
  }
  const settings = parseClaimsOptions(o);
  const { plan } = await loadPlan(o.plan);
  const { table } = await readValidClaims(claimsFile, plan, settings);
  const found = findClaimRows(table, ids);
  if ('unknown' in found) {
    const list = found.unknown.map((id) => JSON.stringify(id)).join(', ');
    throw new UsageError(`${claimsFile}: no claim with claim_id ${list} (${found.unknown.length === 1 ? 'it is' : 'they are'} not in the file's ${grouped(table.count)} valid rows)`);
  }
  const tieKey = tieKeyer(plan.seed);
  const alloc = allocate(plan, table, tieKey);
  const reports = explainRows(plan, table, alloc, found.rows, tieKey);
  if (o.json) {
    const doc = { format: EXPLAIN_FORMAT, plan: o.plan, claimsFile, case: plan.name, seed: plan.seed, claims: reports };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const c = colorFor(process.stdout);
  const blocks = reports.map((r) => renderClaimText(r, claimsFile, c).join('\n'));
  process.stdout.write(`${blocks.join('\n\n')}\n`);
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
function inputWarnings(run: RedistributionRun, dir2: string, manifest: Awaited<ReturnType<typeof readManifest>>, planFile: string, uncashedFile: string): string[] {
  const recorded = manifest.inputs ?? {};
  const f = run.first.files;
  const facts: [string, string | undefined, string][] = [
    [planFile, manifest.plan.sha256, run.loaded.sha256],
    [f.ledger.path, recorded.firstLedger?.sha256, f.ledger.sha256],
    [f.summary.path, recorded.firstSummary?.sha256, f.summary.sha256],
    [uncashedFile, recorded.uncashed?.sha256, run.uncashed.sha256],
  ];
  return facts
    .filter(([, was, now]) => was !== now)
    .map(
      ([file, was, now]) =>
        `${file} is not the file ${dir2} was made from (sha256 ${was ?? 'not recorded'} in ${join(dir2, 'manifest.json')}, ${now} now): this explains what these inputs give; payout verify shows how ${dir2} differs`,
    );
}

/** `payout explain --plan PLAN DIR UNCASHED.csv DIR2 CLAIM_ID…`. */
async function runExplainRoundTwo(args: string[], o: ExplainCliOptions): Promise<void> {
  const [fromDir, uncashedFile, dir2, ...rawIds] = args as [string, ...string[]];
  const ids = [...new Set(rawIds.map((id) => id.trim()))];
  const firstManifest = await readManifest(fromDir);
  if (firstManifest.command === 'redistribute') {
    throw new UsageError(`${fromDir} is a second round's folder: give the first round's folder and the uncashed list before it, ${ROUND_2_USAGE}`);
  }
  if (uncashedFile === undefined || dir2 === undefined || ids.length === 0 || !(await isDirectory(dir2))) {
    throw new UsageError(
      `${fromDir} is an output folder: to explain a second-round claim give the first round's folder, the uncashed list, the second round's folder and at least one claim id, ${ROUND_2_USAGE} (a first-round claim: payout explain --plan PLAN CLAIMS.csv CLAIM_ID…)`,
    );
  }
  if ((o.map?.length ?? 0) > 0 || (o.delimiter !== undefined && o.delimiter !== ',')) {
    throw new UsageError('--map and --delimiter are for a claims file; a second round reads the ledger payout allocate wrote');
  }
  const manifest = await readManifest(dir2);
  if (manifest.command !== 'redistribute') {
    throw new UsageError(`${dir2} was made by payout ${manifest.command}, not payout redistribute: ${ROUND_2_USAGE}`);
  }
  const costsText = manifest.parameters?.costs;
  if (costsText === undefined) throw new UsageError(`${join(dir2, 'manifest.json')}: no parameters.costs recorded: not a manifest of payout redistribute`);
  const run = await computeRedistribution({ planFile: o.plan, fromDir, uncashedFile, costs: parseCosts(costsText) });
  const stderr = colorFor(process.stderr);
  for (const w of [...run.warnings, ...inputWarnings(run, dir2, manifest, o.plan, uncashedFile)]) process.stderr.write(`${stderr.yellow('warning')}: ${w}\n`);

  const first = run.first.table;
  const found = findFirstRoundRows(ids, first.ids);
  if ('unknown' in found) {
    const list = found.unknown.map((id) => JSON.stringify(id)).join(', ');
    throw new UsageError(
      `${run.first.files.ledger.path}: no claim with claim_id ${list} (${found.unknown.length === 1 ? 'it is' : 'they are'} not in the first round's ${grouped(first.count)} rows)`,
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

  const available = availableReport(run.result);
  if (o.json) {
    const doc = {
      format: EXPLAIN_ROUND_2_FORMAT,
      plan: o.plan,
      from: fromDir,
      uncashed: uncashedFile,
      dir: dir2,
      case: run.loaded.plan.name,
      seed: run.result.seed,
      firstRoundSeed: run.first.facts.seed,
      available,
      claims: explained,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const c = colorFor(process.stdout);
    const files: RoundTwoFiles = { firstLedger: run.first.files.ledger.path, firstSummary: run.first.files.summary.path, uncashed: uncashedFile, dir: dir2 };
    const blocks = explained.map((r) => renderRoundTwoClaimText(r, available, files, c).join('\n'));
    process.stdout.write(`${blocks.join('\n\n')}\n`);
  }
  const differing = explained.filter((r) => !r.ledger.agrees);
  if (differing.length > 0) {
    throw new DataError(
      `${ledgerFile}: ${differing.map((r) => r.claimId).join(', ')}: not what these inputs give (payout verify --plan ${o.plan} ${fromDir} ${uncashedFile} ${dir2} shows every difference)`,
    );
  }
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

