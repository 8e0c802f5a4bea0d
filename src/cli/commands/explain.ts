/**
 * `payout explain --plan PLAN CLAIMS.csv CLAIM_ID…` and `payout explain --plan PLAN DIR
 * UNCASHED.csv DIR2 CLAIM_ID…`: why a claim gets its amount (src/app/explain.ts), as text or JSON.
 * A second-round claim whose row of DIR2/ledger.csv differs from what the inputs give is exit 1.
 */
import { explainClaims, explainRoundTwo, isDirectory, ROUND_2_USAGE } from '../../app/explain.js';
import { EXPLAIN_FORMAT } from '../../core/explain-report.js';
import { EXPLAIN_ROUND_2_FORMAT } from '../../core/explain-redistribution.js';
import { DataError, UsageError } from '../../core/errors.js';
import { onTerminal } from '../claims-reading.js';
import { renderClaimText } from '../render-explain.js';
import { renderRoundTwoClaimText } from '../render-explain-round2.js';
import { visibleText } from '../../core/visible-text.js';
import { colorFor } from '../style.js';
import { parseClaimsOptions, readingGiven, type ClaimsCliOptions } from './claims-options.js';
import { planForm } from '../../io/bucket-plan-file.js';
import { runExplainBuckets } from './explain-buckets.js';

export interface ExplainCliOptions extends ClaimsCliOptions {
  plan: string;
  json?: boolean;
  /** The run's output folder: the claims are read as its manifest records. */
  from?: string;
  /** List every warning of the claims file (otherwise counted in one line). */
  warnings?: boolean;
  /** --delimiter was given (not commander's default). */
  delimiterGiven?: boolean;
}

/** What follows the count of the claims file's warnings, which explain does not list unless asked. */
const UNLISTED = 'not listed: add --warnings to list them, or run payout validate';

export async function runExplain(args: string[], o: ExplainCliOptions): Promise<void> {
  // An output folder first: a second round, with verify's inputs (DIR UNCASHED.csv DIR2).
  if (args[0] !== undefined && (await isDirectory(args[0]))) return runExplainRoundTwo(args, o);
  const [claimsFile, ...rawIds] = args;
  const ids = [...new Set(rawIds.map((id) => id.trim()))];
  if (claimsFile === undefined || ids.length === 0) {
    throw new UsageError('name the claims file and at least one claim id: payout explain --plan PLAN CLAIMS.csv CLAIM_ID…');
  }
  if ((await planForm(o.plan)) === 'buckets') return runExplainBuckets(claimsFile, ids, o);
  const settings = onTerminal(parseClaimsOptions(o), { json: o.json, unlisted: o.warnings ? undefined : UNLISTED });
  const { plan, reports } = await explainClaims({
    planFile: o.plan,
    claimsFile,
    ids,
    claims: settings,
    ...(o.from !== undefined ? { fromDir: o.from, given: readingGiven(o) } : {}),
    onWarning: (w) => process.stderr.write(`payout explain: warning: ${visibleText(w)}\n`),
  });
  if (o.json) {
    const doc = { format: EXPLAIN_FORMAT, plan: o.plan, claimsFile, case: plan.name, seed: plan.seed, claims: reports };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const c = colorFor(process.stdout);
  const blocks = reports.map((r) => renderClaimText(r, claimsFile, c).join('\n'));
  process.stdout.write(`${blocks.join('\n\n')}\n`);
}

/** `payout explain --plan PLAN DIR UNCASHED.csv DIR2 CLAIM_ID…`. */
async function runExplainRoundTwo(args: string[], o: ExplainCliOptions): Promise<void> {
  if (o.from !== undefined) throw new UsageError(`--from ${o.from}: a second round's folders are given in place (${ROUND_2_USAGE})`);
  const [fromDir, uncashedFile, dir2, ...rawIds] = args as [string, ...string[]];
  const ids = [...new Set(rawIds.map((id) => id.trim()))];
  const stderr = colorFor(process.stderr);
  const { run, available, explained, files, ledgerFile, differing } = await explainRoundTwo({
    planFile: o.plan,
    fromDir,
    uncashedFile,
    dir2,
    ids,
    claimsOptionsGiven: (o.map?.length ?? 0) > 0 || (o.delimiter !== undefined && o.delimiter !== ','),
    onWarning: (w) => process.stderr.write(`${stderr.yellow('warning')}: ${visibleText(w)}\n`),
  });
  if (o.json) {
    const doc = {
      format: EXPLAIN_ROUND_2_FORMAT,
      plan: o.plan,
      from: fromDir,
      uncashed: files.uncashed,
      dir: files.dir,
      case: run.loaded.plan.name,
      seed: run.result.seed,
      firstRoundSeed: run.first.facts.seed,
      available,
      claims: explained,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const c = colorFor(process.stdout);
    const blocks = explained.map((r) => renderRoundTwoClaimText(r, available, files, c, run.result.points).join('\n'));
    process.stdout.write(`${blocks.join('\n\n')}\n`);
  }
  if (differing.length > 0) {
    throw new DataError(
      `${ledgerFile}: ${differing.map((r) => r.claimId).join(', ')}: not what these inputs give (payout verify --plan ${o.plan} ${fromDir} ${files.uncashed} ${files.dir} shows every difference)`,
    );
  }
}
