/**
 * `payout redistribute` (docs/spec.md §6): the money of uncashed checks, less the costs of a second
 * mailing, goes to the claimants who cashed theirs, pro rata to their first-round exact share.
 * {@link computeRedistribution} computes a second round from its inputs in memory (the plan, the
 * first round's folder checked against its manifest, the uncashed list, the costs); it is shared
 * by {@link redistributeToFolder}, which writes the result, by {@link recomputeRedistribute}, which
 * `payout verify` uses, and by `payout explain` on a second round. A bucket plan's first round is
 * divided the same way, one pool pro rata to the amounts paid (docs/spec.md §6a).
 */
import { basename, resolve } from 'node:path';
import { formatMoney, parseMoney, type Cents } from '../core/money.js';
import type { Problem } from '../core/problems.js';
import { availableFor, matchUncashed } from '../core/first-round.js';
import { redistribute, roundTwoSeed, type Redistribution } from '../core/redistribute.js';
import {
  buildRedistributionSummary,
  redistributionSummaryText,
  type RedistributionSummaryJson,
} from '../core/redistribute-output.js';
import { LEDGER_FILE, SUMMARY_FILE, type ManifestInput, type ManifestRun } from '../core/manifest.js';
import {
  redistributionLedger,
  redistributionLedgerChunks,
  redistributionLedgerHeader,
  REDISTRIBUTION_LEDGER_COLUMNS,
} from '../core/redistribute-output.js';
import type { InputFact } from '../core/verify.js';
import { DataError, UsageError } from '../core/errors.js';
import { folderForm, loadBucketPlan, planForm } from '../io/bucket-plan-file.js';
import { OutputSet } from '../io/atomic-output.js';
import { hashChunks } from '../io/file-hash.js';
import { readFirstRound, type FirstRound } from '../io/first-round-reader.js';
import { sha256Hex, tieKeyer } from '../io/hash.js';
import type { Plan } from '../core/plan.js';
import type { BucketPlan } from '../core/buckets/plan.js';
import { BUCKET_ROUND_CLASS } from '../core/first-round.js';
import { loadPlan } from '../io/plan-file.js';
import { readUncashed, type UncashedRead } from '../io/uncashed-reader.js';
import { ledgerReceiptsRoot } from '../io/receipts-root.js';
import { outputNames, writeOutputs, type OutputSpec } from '../io/write-outputs.js';
import { manifestSeedCheck, type Recompute } from './recompute.js';
import { countOf, countText } from '../core/display-numbers.js';
import { roundTwoUnpaid, type RoundTwoUnpaid } from '../core/redistribute-unpaid.js';

export interface RedistributionRequest {
  planFile: string;
  /** The first round's folder (`payout allocate --out DIR`). */
  fromDir: string;
  uncashedFile: string;
  costs: Cents;
  /** Problems shown at most (the count of all is in the message). */
  maxErrors?: number;
}

/** What the second round reads of a plan, of either form. */
export type RoundTwoPlan = Pick<Plan, 'name' | 'currency' | 'classes' | 'minimumPayment' | 'maximumPayment' | 'residualRecipient' | 'rounding' | 'seed'>;

export interface RedistributionRun {
  /** The plan as the second round reads it; `form` says which form the file has. */
  loaded: { plan: RoundTwoPlan; file: string; sha256: string; form: 'classes' | 'buckets' };
  first: FirstRound;
  uncashed: UncashedRead;
  result: Redistribution;
  summary: RedistributionSummaryJson;
  summaryText: string;
  /** Things to tell the user that do not stop the run (a plan other than the first round's). */
  warnings: string[];
  /** The claims paid nothing, by reason (the terminal's "Not paid" line). */
  unpaid: RoundTwoUnpaid;
}

/** `--costs 12329.50` → cents; anything but an amount with at most 2 decimals is a UsageError. */
export function parseCosts(text: string | undefined): Cents {
  if (text === undefined) return 0n;
  const cents = parseMoney(text.trim());
  if (cents === undefined) throw new UsageError(`--costs ${JSON.stringify(text)}: give an amount with at most 2 decimals and no sign, $ or separators, e.g. --costs 12329.50`);
  return cents;
}

/**
 * Reads every input and computes the second round. Throws UsageError (exit 2) for what cannot be
 * read and for costs above what is available; DataError (exit 1) for a first round whose files do
 * not match its manifest and for every problem in the uncashed list, all reported at once.
 */
export async function computeRedistribution(req: RedistributionRequest): Promise<RedistributionRun> {
  const form = await refuseMixedForms(req.planFile, req.fromDir);
  const loaded = form === 'buckets' ? { ...bucketRoundPlan(await loadBucketPlan(req.planFile)), form } : { ...(await loadPlan(req.planFile)), form };
  const { plan } = loaded;
  const first = await readFirstRound(req.fromDir, plan, form);
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
    const more = problems.length > shown.length ? ` (the first ${countText(shown.length)} shown; --max-errors to see more)` : '';
    throw new DataError(`${req.uncashedFile}: ${countOf(problems.length, 'error')}${more}`, shown);
  }

  const available = availableFor(first.table, flags, first.facts.residual, req.costs);
  if ('message' in available) throw new UsageError(`--costs ${formatMoney(req.costs)} refused: ${available.message}`);
  const result = redistribute(plan, first.table, flags, available, tieKeyer(roundTwoSeed(plan)));
  // The receipts root over the second round's ledger (docs/receipts.md), as for the first.
  const summary = { ...buildRedistributionSummary(plan, first.facts, result), receipts: ledgerReceiptsRoot(redistributionLedger(first.table, result)) };
  const unpaid = roundTwoUnpaid(summary.totals, result.cells);
  return { loaded, first, uncashed, result, summary, summaryText: redistributionSummaryText(summary), warnings, unpaid };
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

/** What a second round's manifest records besides its outputs (`command: "redistribute"`). */
export function redistributionManifestRun(run: RedistributionRun, files: { planFile: string; uncashedFile: string }): ManifestRun {
  return {
    command: 'redistribute',
    plan: { file: basename(files.planFile), sha256: run.loaded.sha256 },
    inputs: redistributionInputs(run, files.uncashedFile),
    parameters: { costs: formatMoney(run.result.available.costs) },
    seed: run.result.seed,
    ...(run.summary.receipts === undefined ? {} : { receipts: run.summary.receipts }),
  };
}

/** The files of a second round's folder, in the order written (manifest.json follows). */
export function redistributionOutputs(run: RedistributionRun): OutputSpec[] {
  return [
    {
      name: LEDGER_FILE,
      chunks: (function* () {
        yield redistributionLedgerHeader();
        yield* redistributionLedgerChunks(run.first.table, run.result);
      })(),
      rows: run.first.table.count,
    },
    { name: SUMMARY_FILE, chunks: [run.summaryText] },
  ];
}

export interface RedistributeOptions extends RedistributionRequest {
  outDir: string;
  /** Replace the files of an earlier run in outDir. */
  force?: boolean;
  /** Things to tell the user that do not stop the run, as soon as they are known. */
  onWarning?: (message: string) => void;
  /** Also write outDir/report.html (as `payout report outDir` does). */
  report?: boolean;
}

/**
 * `payout redistribute`: computes the second round and writes outDir/ledger.csv, summary.json and
 * manifest.json, all or nothing. An outDir with files of an earlier run is refused (UsageError)
 * before any work unless `force`.
 */
export async function redistributeToFolder(o: RedistributeOptions): Promise<RedistributionRun & { reportPath?: string }> {
  await refuseMixedForms(o.planFile, o.fromDir);
  if (resolve(o.outDir) === resolve(o.fromDir)) {
    throw new UsageError(`--out ${o.outDir} is the first round's folder: write the second round into another folder`);
  }
  // Refuse to overwrite before any work.
  const out = await OutputSet.open(o.outDir, outputNames([LEDGER_FILE, SUMMARY_FILE]), Boolean(o.force));
  let run;
  try {
    run = await computeRedistribution(o);
  } catch (err) {
    await out.abort(); // nothing written; a folder this run made is removed again
    throw err;
  }
  for (const w of run.warnings) o.onWarning?.(w);
  await writeOutputs(out, redistributionOutputs(run), redistributionManifestRun(run, { planFile: o.planFile, uncashedFile: o.uncashedFile }));
  // The report's renderer (preact) is loaded only when a report is asked for.
  if (!o.report) return run;
  const { writeReport } = await import('./report.js');
  return { ...run, reportPath: await writeReport(o.outDir) };
}

/** `payout verify --plan PLAN DIR UNCASHED.csv DIR2`: a second round recomputed from its inputs. */
export const recomputeRedistribute: Recompute = async (ctx) => {
  if (ctx.inputs.length !== 2) {
    throw new UsageError(
      `${ctx.dir} was made by payout redistribute: give the plan, the first round's folder and the uncashed list, payout verify --plan PLAN DIR UNCASHED.csv ${ctx.dir}`,
    );
  }
  const [fromDir, uncashedFile] = ctx.inputs as [string, string];
  const costsText = ctx.manifest.parameters?.costs;
  if (costsText === undefined) throw new UsageError(`${ctx.dir}/manifest.json: no parameters.costs recorded: not a manifest of payout redistribute`);
  const run = await computeRedistribution({ planFile: ctx.planFile, fromDir, uncashedFile, costs: parseCosts(costsText) });
  const recorded = ctx.manifest.inputs ?? {};
  const f = run.first.files;
  const fact = (name: string, label: string, file: string, actual: InputFact['actual']): InputFact => ({
    name,
    label,
    file,
    recorded: recorded[name],
    actual,
  });
  const ledger = hashChunks(
    (function* () {
      yield redistributionLedgerHeader();
      yield* redistributionLedgerChunks(run.first.table, run.result);
    })(),
  );
  return {
    inputs: [
      { name: 'plan', label: 'the plan', file: ctx.planFile, recorded: ctx.manifest.plan, actual: { sha256: run.loaded.sha256 } },
      fact('firstLedger', "the first round's ledger", f.ledger.path, { sha256: f.ledger.sha256, rows: run.first.table.count }),
      fact('firstSummary', "the first round's summary", f.summary.path, { sha256: f.summary.sha256 }),
      fact('firstManifest', "the first round's manifest", f.manifest.path, { sha256: f.manifest.sha256 }),
      fact('uncashed', 'the uncashed list', uncashedFile, { sha256: run.uncashed.sha256, rows: run.uncashed.rows }),
    ],
    ledger: {
      expected: redistributionLedger(run.first.table, run.result),
      sha256: ledger.sha256,
      required: REDISTRIBUTION_LEDGER_COLUMNS,
    },
    summary: { json: JSON.parse(run.summaryText) as unknown, sha256: sha256Hex(run.summaryText) },
    totals: { residual: ['totals', 'residual'], net: ['available', 'available'] },
    manifestChecks: manifestSeedCheck(ctx.manifest, run.result.seed, "the second round's seed (the plan's + \":round-2\")"),
  };
};

/**
 * A bucket plan as the second round reads it (docs/spec.md §6a): one pool, the class
 * BUCKET_ROUND_CLASS; its minimum payment on the second-round amount; no cap (a bucket plan has
 * per-bucket caps, and the second round pays from no bucket); cents by largest remainder.
 */
function bucketRoundPlan(loaded: { plan: BucketPlan; file: string; sha256: string }): { plan: RoundTwoPlan; file: string; sha256: string } {
  const p = loaded.plan;
  return {
    file: loaded.file,
    sha256: loaded.sha256,
    plan: {
      name: p.name,
      currency: p.currency,
      classes: [{ id: BUCKET_ROUND_CLASS }],
      minimumPayment: p.minimumPayment,
      maximumPayment: null,
      residualRecipient: p.residualRecipient,
      rounding: { method: 'largest-remainder' },
      seed: p.seed,
    },
  };
}

/**
 * The plan and the first round must be of one form: a bucket plan's second round starts from a
 * bucket plan's first round (its ledger has amounts per bucket and no share column), a classes
 * plan's from a classes plan's. Refused (exit 2) before anything is read or written. Returns the
 * plan's form.
 */
async function refuseMixedForms(planFile: string, fromDir: string): Promise<'classes' | 'buckets'> {
  const plan = await planForm(planFile);
  const folder = await folderForm(fromDir);
  if (plan === 'classes' && folder === 'buckets') {
    throw new UsageError(
      `--from ${fromDir}: written from a bucket plan (summary.json "mode": "buckets"), but ${planFile} is a plan of classes: give the bucket plan the first round was made with (its second round is docs/spec.md §6a)`,
    );
  }
  if (plan === 'buckets' && folder === 'classes') {
    throw new UsageError(
      `--from ${fromDir}: written from a plan of classes, but ${planFile} is a bucket plan: give the plan the first round was made with (a bucket plan's second round starts from a bucket plan's first round, docs/spec.md §6a)`,
    );
  }
  return plan;
}
