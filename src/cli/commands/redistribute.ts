/**
 * `payout redistribute --plan PLAN --from DIR --uncashed FILE [--costs AMOUNT] --out DIR2`
 * (docs/spec.md §6): a second distribution, computed and written by src/app/redistribute.ts.
 */
import { parseCosts, redistributeToFolder } from '../../app/redistribute.js';
import { UsageError } from '../../core/errors.js';
import { renderRedistribution } from '../render-redistribution.js';
import { visibleText } from '../../core/visible-text.js';
import { colorFor } from '../style.js';
import { warningLines } from '../warning-lines.js';
import { wroteLine } from '../wrote.js';
import { countOf } from '../../core/display-numbers.js';

export interface RedistributeCliOptions {
  plan: string;
  from: string;
  uncashed: string;
  costs?: string;
  out: string;
  force?: boolean;
  json?: boolean;
  report?: boolean;
  quiet?: boolean;
  maxErrors: string;
}

export async function runRedistribute(o: RedistributeCliOptions): Promise<void> {
  const costs = parseCosts(o.costs);
  if (!/^\d+$/.test(o.maxErrors)) throw new UsageError(`--max-errors ${o.maxErrors}: give a whole number, e.g. --max-errors 100`);
  const warnings = warningLines(Boolean(o.quiet));
  const run = await redistributeToFolder({
    planFile: o.plan,
    fromDir: o.from,
    uncashedFile: o.uncashed,
    costs,
    maxErrors: Number(o.maxErrors),
    outDir: o.out,
    force: Boolean(o.force),
    report: Boolean(o.report),
    onWarning: (w) => warnings.warn(visibleText(w)),
  });
  warnings.finish();
  if (o.json) {
    process.stdout.write(run.summaryText);
    return;
  }
  if (o.quiet) return;
  const c = colorFor(process.stdout);
  const lines = renderRedistribution(run.summary, c, run.unpaid);
  lines.push(c.dim(wroteLine(`${o.out}/ledger.csv (${countOf(run.first.table.count, 'row')}), summary.json, manifest.json`)));
  if (run.reportPath) lines.push(c.dim(wroteLine(run.reportPath)));
  process.stdout.write(`${lines.join('\n')}\n`);
}
