/**
 * `payout redistribute --plan PLAN --from DIR --uncashed FILE [--costs AMOUNT] --out DIR2`
 * (SPEC section 6): the money of uncashed checks, less the costs of a second mailing, goes to the
 * claimants who cashed theirs, pro rata to their first-round exact share (the first ledger's share
 * column; the cap over both rounds counts the amount paid). Also registers the recompute step
 * that lets `payout verify --plan PLAN DIR UNCASHED.csv DIR2` check a second round's folder.
 */
import { resolve } from 'node:path';
import {
  redistributionLedger,
  redistributionLedgerChunks,
  redistributionLedgerHeader,
  REDISTRIBUTION_LEDGER_COLUMNS,
} from '../../core/redistribute-output.js';
import type { InputFact } from '../../core/verify.js';
import { OutputSet } from '../../io/atomic-output.js';
import { hashChunks } from '../../io/file-hash.js';
import { sha256Hex } from '../../io/hash.js';
import { computeRedistribution, parseCosts } from '../../io/redistribution-run.js';
import { REDISTRIBUTION_FILES, writeRedistribution } from '../../io/write-redistribution.js';
import { UsageError } from '../../core/errors.js';
import { renderRedistribution } from '../render-redistribution.js';
import { colorFor } from '../style.js';
import { grouped } from '../table.js';
import { manifestSeedCheck, type Recompute } from './verify.js';

export interface RedistributeCliOptions {
  plan: string;
  from: string;
  uncashed: string;
  costs?: string;
  out: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
  maxErrors: string;
}

export async function runRedistribute(o: RedistributeCliOptions): Promise<void> {
  const costs = parseCosts(o.costs);
  if (!/^\d+$/.test(o.maxErrors)) throw new UsageError(`--max-errors ${o.maxErrors}: give a whole number, e.g. --max-errors 100`);
  if (resolve(o.out) === resolve(o.from)) {
    throw new UsageError(`--out ${o.out} is the first round's folder: write the second round into another folder`);
  }
  // Refuse to overwrite before any work.
  const out = await OutputSet.open(o.out, [...REDISTRIBUTION_FILES], Boolean(o.force));
  let run;
  try {
    run = await computeRedistribution({
      planFile: o.plan,
      fromDir: o.from,
      uncashedFile: o.uncashed,
      costs,
      maxErrors: Number(o.maxErrors),
    });
  } catch (err) {
    await out.abort(); // nothing written; a folder this run made is removed again
    throw err;
  }
  const stderr = colorFor(process.stderr);
  for (const w of run.warnings) process.stderr.write(`${stderr.yellow('warning')}: ${w}\n`);
  await writeRedistribution(out, run, { planFile: o.plan, uncashedFile: o.uncashed });
  if (o.json) {
    process.stdout.write(run.summaryText);
    return;
  }
  if (o.quiet) return;
  const c = colorFor(process.stdout);
  const lines = renderRedistribution(run.summary, c);
  lines.push(c.dim(`Wrote ${o.out}/ledger.csv (${grouped(run.first.table.count)} rows), summary.json, manifest.json`));
  process.stdout.write(`${lines.join('\n')}\n`);
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


