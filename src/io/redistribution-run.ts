/**
 * A second distribution from its inputs, in memory (SPEC section 6): the plan, the first round's
 * folder (checked against its manifest), the uncashed list, the costs. Shared by
 * `payout redistribute`, which writes the result, and `payout verify`, which recomputes it.
 */
import { basename } from 'node:path';
import { formatMoney, type Cents } from '../core/money.js';
import type { Problem } from '../core/problems.js';
import { availableFor, matchUncashed, redistribute, roundTwoSeed, type Redistribution } from '../core/redistribute.js';
import {
  buildRedistributionSummary,
  redistributionLedger,
  redistributionSummaryText,
  type RedistributionSummaryJson,
} from '../core/redistribute-output.js';
import type { ManifestInput } from '../core/manifest.js';
import { DataError, UsageError } from '../core/errors.js';
import { readFirstRound, type FirstRound } from './first-round-reader.js';
import { tieKeyer } from './hash.js';
import { loadPlan, type LoadedPlan } from './plan-file.js';
import { ledgerReceiptsRoot } from './receipts-root.js';
import { readUncashed, type UncashedRead } from './uncashed-reader.js';

export interface RedistributionRequest {
  planFile: string;
  /** The first round's folder (`payout allocate --out DIR`). */
  fromDir: string;
  uncashedFile: string;
  costs: Cents;
  /** Problems shown at most (the count of all is in the message). */
  maxErrors?: number;
}

export interface RedistributionRun {
  loaded: LoadedPlan;
  first: FirstRound;
  uncashed: UncashedRead;
  result: Redistribution;
  summary: RedistributionSummaryJson;
  summaryText: string;
  /** Things to tell the user that do not stop the run (a plan other than the first round's). */
  warnings: string[];
}

/** `--costs 12329.50` → cents; anything but an amount with at most 2 decimals is a UsageError. */
export function parseCosts(text: string | undefined): Cents {
  if (text === undefined) return 0n;
  const m = /^\d+(\.\d{1,2})?$/.exec(text.trim());
  if (!m) throw new UsageError(`--costs ${JSON.stringify(text)}: give an amount with at most 2 decimals and no sign, $ or separators, e.g. --costs 12329.50`);
  const [whole = '0', frac = ''] = text.trim().split('.');
  return BigInt(whole + frac.padEnd(2, '0'));
}

/**
 * Reads every input and computes the second round. Throws UsageError (exit 2) for what cannot be
 * read and for costs above what is available; DataError (exit 1) for a first round whose files do
 * not match its manifest and for every problem in the uncashed list, all reported at once.
 */
export async function computeRedistribution(req: RedistributionRequest): Promise<RedistributionRun> {
  const loaded = await loadPlan(req.planFile);
  const { plan } = loaded;
  const first = await readFirstRound(req.fromDir, plan);
  const uncashed = await readUncashed(req.uncashedFile);
  const warnings: string[] = [];
  if (first.manifest.plan?.sha256 !== undefined && first.manifest.plan.sha256 !== loaded.sha256) {
    warnings.push(
      `${req.planFile} is not the plan the first round was made with (sha256 ${first.manifest.plan.sha256} in ${first.files.manifest.path}): the cap, the minimum and the seed are taken from ${req.planFile}`,
    );
  }
  if (first.facts.seed !== plan.seed) {
    warnings.push(`the first round's seed is "${first.facts.seed}", the plan's "${plan.seed}": the second round's tie-break uses "${roundTwoSeed(plan)}"`);
  }

  const problems: Problem[] = [...uncashed.problems];
  let flags: Uint8Array | undefined;
  if (uncashed.problems.every((p) => p.code !== 'missing_column' && p.code !== 'empty_file' && p.code !== 'duplicate_column')) {
    const matched = matchUncashed(first.table, uncashed.entries, { uncashed: req.uncashedFile, ledger: first.files.ledger.path });
    if ('problems' in matched) problems.push(...matched.problems);
    else flags = matched.uncashed;
  }
  if (problems.length > 0 || flags === undefined) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const max = req.maxErrors ?? 50;
    const shown = problems.slice(0, max);
    const more = problems.length > shown.length ? ` (the first ${shown.length} shown; --max-errors to see more)` : '';
    throw new DataError(`${req.uncashedFile}: ${problems.length} error${problems.length === 1 ? '' : 's'}${more}`, shown);
  }

  const available = availableFor(first.table, flags, first.facts.residual, req.costs);
  if ('message' in available) throw new UsageError(`--costs ${formatMoney(req.costs)} refused: ${available.message}`);
  const result = redistribute(plan, first.table, flags, available, tieKeyer(roundTwoSeed(plan)));
  // The receipts root over the second round's ledger (docs/receipts.md), as for the first.
  const summary = { ...buildRedistributionSummary(plan, first.facts, result), receipts: ledgerReceiptsRoot(redistributionLedger(first.table, result)) };
  return { loaded, first, uncashed, result, summary, summaryText: redistributionSummaryText(summary), warnings };
}

/**
 * The manifest's record of the inputs of a second round: the first round's three files, named
 * `<its folder>/<file>` (base names otherwise, so a manifest checks on another machine), and the
 * uncashed list.
 */
export function redistributionInputs(run: RedistributionRun, uncashedFile: string): Record<string, ManifestInput> {
  const folder = basename(run.first.dir.replace(/[\\/]+$/, '')) || '.';
  const f = run.first.files;
  const ledger: ManifestInput = { file: `${folder}/ledger.csv`, sha256: f.ledger.sha256 };
  if (f.ledger.rows !== undefined) ledger.rows = f.ledger.rows;
  return {
    firstLedger: ledger,
    firstSummary: { file: `${folder}/summary.json`, sha256: f.summary.sha256 },
    firstManifest: { file: `${folder}/manifest.json`, sha256: f.manifest.sha256 },
    uncashed: { file: basename(uncashedFile), sha256: run.uncashed.sha256, rows: run.uncashed.rows },
  };
}
