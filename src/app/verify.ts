/**
 * `payout verify`: recomputes an output folder from its inputs and checks it (docs/spec.md §5
 * and §8): the inputs against the manifest's hashes, every ledger row against the recomputed one,
 * Σ amounts + residual = net, and summary.json field by field.
 *
 * The recompute step depends on what made the folder (`manifest.command`). Each command that writes
 * a manifest has its {@link Recompute} listed in {@link RECOMPUTE}; the comparison is shared.
 */
import { join } from 'node:path';
import { allocate } from '../core/allocate.js';
import { roundingMethod } from '../core/rounding/index.js';
import { allocationLedger } from '../core/expected-ledger.js';
import { LEDGER_COLUMNS, ledgerHeader } from '../core/ledger.js';
import type { Manifest } from '../core/manifest.js';
import { summaryText } from '../core/summary.js';
import { allocationSummary, startReceiptsWorker } from '../io/receipts-root.js';
import {
  checkInput,
  checkLedgerRows,
  checkOutputBytes,
  checkSummaryFields,
  checkTotals,
  compareJson,
  type InputFact,
  type VerifyCheck,
} from '../core/verify.js';
import { LedgerComparer, type LedgerComparison } from '../core/ledger-compare.js';
import { DataError, UsageError } from '../core/errors.js';
import { ledgerBlocks, startLedgerWorker } from '../io/ledger-bytes.js';
import { hashByteStream, hashFile } from '../io/file-hash.js';
import { tieKeyer, sha256Hex } from '../io/hash.js';
import { checkLedgerHeader, readLedgerFields } from '../io/ledger-reader.js';
import { readLedgerHeader, readManifest, readOutputJson } from '../io/output-dir.js';
import { loadPlan } from '../io/plan-file.js';
import { planForm } from '../io/bucket-plan-file.js';
import { keepText, LEDGER_FILE, manifestKeepCheck, manifestSeedCheck, SUMMARY_FILE, type Recompute } from './recompute.js';
import { readValidClaims, type ClaimsSettings } from './validate.js';
import { givenByValue, recordedReading, sepLineOf, type ReadingGiven } from './recorded-reading.js';
import { countOf, countText } from '../core/display-numbers.js';

export { LEDGER_FILE, SUMMARY_FILE, manifestKeepCheck, manifestSeedCheck, type Recompute, type RecomputeContext, type Recomputed } from './recompute.js';

/** `payout allocate`: the same path as the command (loadPlan, readValidClaims, allocate, buildSummary, ledgerBlocks). */
export const recomputeAllocate: Recompute = async (ctx) => {
  if ((await planForm(ctx.planFile)) === 'buckets') return (await import('./verify-buckets.js')).recomputeBucketAllocate(ctx);
  if (ctx.inputs.length !== 1) {
    throw new UsageError(`${ctx.dir} was made by payout allocate: give the plan and its claims file, payout verify --plan PLAN CLAIMS.csv DIR`);
  }
  const claimsFile = ctx.inputs[0]!;
  const { plan, sha256: planSha256 } = await loadPlan(ctx.planFile);
  const planFact: InputFact = {
    name: 'plan',
    label: 'the plan',
    file: ctx.planFile,
    recorded: ctx.manifest.plan,
    actual: { sha256: planSha256 },
  };
  // The ledger's columns after the standard ones were carried from the claims file with --keep.
  const keep = ctx.ledgerColumns.filter((c) => !(LEDGER_COLUMNS as readonly string[]).includes(c));
  // As allocate does: the tie-break's key prefixes are hashed on a worker thread while the file is read.
  const tieKeySeed = roundingMethod(plan.rounding).needsTieKeys ? { tieKeySeed: plan.seed } : {};
  let claims;
  try {
    claims = await readValidClaims(claimsFile, plan, { ...ctx.claims, read: { ...ctx.claims.read, keep, sha256: true, cells: true, ...tieKeySeed } });
  } catch (err) {
    // Claims that no longer pass against this plan: say first if the plan or the claims were changed.
    if (err instanceof DataError) {
      const changed = checkInput(planFact);
      const recordedKeep = ctx.manifest.reading === undefined ? '' : `; the manifest records ${keepText(ctx.manifest.reading.keep)}`;
      const keepNote = keep.length > 0 ? ` (the ledger carries the columns ${keep.join(', ')} from the claims file${recordedKeep})` : '';
      throw new DataError(`${err.message}${keepNote}${changed.status === 'fail' ? `; ${changed.message}` : ''}`);
    }
    throw err;
  }
  const { table, stats, tieKeyPrefixes, cells } = claims;
  startLedgerWorker(table.count, keep); // boots while the allocation is computed
  startReceiptsWorker(table.count, keep); // so does this one
  const alloc = allocate(plan, table, tieKeyer(plan.seed), { tieKeyPrefixes, cells });
  const summary = await allocationSummary(plan, table, alloc, keep, { lookAlikeClaimIds: stats.warningsByCode.lookalike_claim_id ?? 0, blankStatuses: stats.warningsByCode.blank_status ?? 0 });
  const text = summaryText(summary);
  const ledger = await hashByteStream(
    (async function* () {
      yield new TextEncoder().encode(ledgerHeader(keep));
      yield* ledgerBlocks(plan, table, alloc, keep);
    })(),
  );
  return {
    inputs: [
      planFact,
      {
        name: 'claims',
        label: 'the claims file',
        file: claimsFile,
        recorded: ctx.manifest.claims,
        actual: { sha256: stats.sha256 ?? '', rows: table.count },
      },
    ],
    ledger: { expected: allocationLedger(plan, table, alloc, keep), sha256: ledger.sha256, required: LEDGER_COLUMNS },
    summary: { json: JSON.parse(text) as unknown, sha256: sha256Hex(text) },
    totals: { residual: ['totals', 'residual'], net: ['net'] },
    manifestChecks: [...manifestSeedCheck(ctx.manifest, plan.seed, "the plan's seed"), ...manifestKeepCheck(ctx.manifest, keep)],
  };
};

/**
 * Recompute functions by `manifest.command`, each loaded when a folder of that command is
 * verified. A command that writes an output folder is listed here (`payout redistribute`: its
 * ledger is `claim_id,class,first_amount,outcome,amount`; its inputs, e.g. the first round's
 * folder and the uncashed list, come in `ctx.inputs`).
 */
export const RECOMPUTE = new Map<string, () => Promise<Recompute>>([
  ['allocate', async () => recomputeAllocate],
  ['redistribute', async () => (await import('./redistribute.js')).recomputeRedistribute],
]);

export interface VerifyResult {
  dir: string;
  manifest: Manifest;
  checks: VerifyCheck[];
  ledger: LedgerComparison;
  summaryDifferences: ReturnType<typeof compareJson>;
  maxDiffs: number;
  /** A reading option given that differs from the one the manifest records, one line each. */
  warnings: string[];
}

const at = (json: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), json);

/** Recomputes DIR from its inputs and compares; throws a UsageError when DIR cannot be read. */
/**
 * Keys a newer payout adds to summary.json (`unpaid`: why claims went unpaid). A summary that is
 * exactly as its run wrote it (the manifest's hash) but has none of them was written by an older
 * payout: those keys are not compared, and the summary's bytes differing from the recomputed ones
 * is a note, as for any output of another version. A summary edited after the run is compared in
 * full: a key removed from it is a difference.
 */
const NEWER_SUMMARY_KEYS = ['unpaid'] as const;

function comparableSummary(expected: unknown, found: unknown, asWritten: boolean): unknown {
  if (!asWritten || typeof expected !== 'object' || expected === null || typeof found !== 'object' || found === null) return expected;
  const missing = NEWER_SUMMARY_KEYS.filter((k) => k in expected && !(k in found));
  if (missing.length === 0) return expected;
  return Object.fromEntries(Object.entries(expected).filter(([k]) => !(missing as readonly string[]).includes(k)));
}

export async function verifyDir(
  dir: string,
  planFile: string,
  inputs: string[],
  givenClaims: ClaimsSettings,
  maxDiffs: number,
  reading: { given?: ReadingGiven; onWarning?: (warning: string) => void } = {},
): Promise<VerifyResult> {
  const manifest = await readManifest(dir);
  const given = reading.given ?? givenByValue(givenClaims);
  const sepLine = inputs.length === 1 ? await sepLineOf(inputs[0], given) : undefined;
  const { claims, warnings } = recordedReading(manifest, givenClaims, given, sepLine);
  // Told before the claims are read: a reading that differs from the run's may well fail.
  for (const w of warnings) reading.onWarning?.(w);
  const loadRecompute = RECOMPUTE.get(manifest.command);
  if (loadRecompute === undefined) {
    throw new UsageError(`${join(dir, 'manifest.json')}: made by "payout ${manifest.command}", which payout verify cannot recompute (it knows: ${[...RECOMPUTE.keys()].join(', ')})`);
  }
  const ledgerFile = join(dir, LEDGER_FILE);
  const { columns: ledgerColumns, line: headerLine } = await readLedgerHeader(ledgerFile);
  checkLedgerHeader(ledgerFile, ledgerColumns, headerLine);
  // The ledger's bytes are hashed while the inputs are read and recomputed.
  const ledgerDigestRead = hashFile(ledgerFile);
  ledgerDigestRead.catch(() => undefined); // awaited below; a failure is reported there
  const summaryDigest = await hashFile(join(dir, SUMMARY_FILE));
  const found = await readOutputJson(dir, SUMMARY_FILE);

  const recompute = await loadRecompute();
  const rec = await recompute({ dir, manifest, planFile, inputs, claims, ledgerColumns });

  // A ledger whose bytes are exactly the recomputed ones holds every recomputed row: it is not
  // parsed. Otherwise (re-saved, re-sorted, edited, another version) it is read back row by row.
  // PAYOUT_VERIFY=rows reads it row by row always.
  let ledgerDigest = await ledgerDigestRead;
  let ledger: LedgerComparison;
  if (ledgerDigest.sha256 === rec.ledger.sha256 && process.env.PAYOUT_VERIFY !== 'rows') {
    ledger = LedgerComparer.identical(rec.ledger.expected);
  } else {
    const comparer = new LedgerComparer(rec.ledger.expected, maxDiffs);
    ({ digest: ledgerDigest } = await readLedgerFields(ledgerFile, rec.ledger.required, (columns) => {
      comparer.columns(columns);
      return (fields, line) => comparer.add(line, fields);
    }));
    ledger = comparer.finish();
  }
  const recorded = (name: string) => manifest.outputs.find((o) => o.file === name);
  const summaryDifferences = compareJson(comparableSummary(rec.summary.json, found, summaryDigest.sha256 === recorded(SUMMARY_FILE)?.sha256), found);

  const checks: VerifyCheck[] = [
    ...rec.inputs.map(checkInput),
    checkOutputBytes(
      { file: LEDGER_FILE, recorded: recorded(LEDGER_FILE), actual: ledgerDigest, expectedSha256: rec.ledger.sha256 },
      ledger.rowsMatch,
      { unit: 'row', inOrder: ledger.inOrder },
    ),
    checkLedgerRows(LEDGER_FILE, ledger, maxDiffs),
    checkTotals(
      ledger.foundTotal,
      ledger.badAmounts,
      { text: at(found, rec.totals.residual), source: `${SUMMARY_FILE} ${rec.totals.residual.join('.')}` },
      { text: at(found, rec.totals.net), source: `${SUMMARY_FILE} ${rec.totals.net.join('.')}` },
    ),
    checkOutputBytes(
      { file: SUMMARY_FILE, recorded: recorded(SUMMARY_FILE), actual: summaryDigest, expectedSha256: rec.summary.sha256 },
      summaryDifferences.length === 0,
      { unit: 'field', inOrder: true },
    ),
    checkSummaryFields(SUMMARY_FILE, summaryDifferences, maxDiffs),
  ];
  checks.push(...(rec.manifestChecks ?? []));
  // The receipts root (docs/receipts.md) is in summary.json (compared field by field) and in the
  // manifest, which is where a claimant's receipt is checked against: it must be the recomputed one.
  const root = (rec.summary.json as { receipts?: { root?: string } }).receipts?.root;
  if (root !== undefined && manifest.receipts?.root !== root) {
    const found = manifest.receipts === undefined ? 'records no receipts root' : `records receipts root ${manifest.receipts.root}`;
    checks.push({ name: 'manifest', status: 'fail', message: `${found}; the ledger's rows give ${root}`, details: [] });
  }
  const ledgerRows = recorded(LEDGER_FILE)?.rows;
  if (ledgerRows !== undefined && ledgerRows !== ledger.foundRows && ledger.rowsMatch) {
    checks.push({
      name: 'manifest',
      status: 'fail',
      message: `records ${countOf(ledgerRows, 'ledger row')}; ${LEDGER_FILE} has ${countText(ledger.foundRows)} (was the manifest edited?)`,
      details: [],
    });
  }
  return { dir, manifest, checks, ledger, summaryDifferences, maxDiffs, warnings };
}

