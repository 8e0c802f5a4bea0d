/**
 * `payout pay --plan PLAN CLAIMS.csv --from DIR --out PAYDIR [--elections FILE]`: parses the
 * options, runs the use case (app/pay.ts) and prints the control totals. No personal data is
 * printed: problems carry masked values only.
 */
import { pay } from '../../app/pay.js';
import { controlsJson } from '../../core/payments/batch.js';
import { formatMoneyHuman } from '../../core/money.js';
import { formatProblem } from '../../core/problems.js';
import { colorFor } from '../style.js';
import { warningLines } from '../warning-lines.js';
import { parseClaimsOptions, type ClaimsCliOptions } from './claims-options.js';
import { grouped, renderTable } from '../table.js';
import { wroteLine } from '../wrote.js';
import { countOf } from '../../core/display-numbers.js';

export interface PayCliOptions extends ClaimsCliOptions {
  plan: string;
  from: string;
  out: string;
  elections?: string;
  issueDate?: string;
  checkStart?: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
  /** --delimiter was given (not commander's default). */
  delimiterGiven?: boolean;
}

export async function runPay(claimsFile: string, o: PayCliOptions): Promise<void> {
  const { read, maxErrors } = parseClaimsOptions(o);
  const warnings = warningLines(Boolean(o.quiet), maxErrors);
  const result = await pay({
    planFile: o.plan,
    claimsFile,
    fromDir: o.from,
    outDir: o.out,
    ...(o.elections !== undefined ? { electionsFile: o.elections } : {}),
    ...(o.issueDate !== undefined ? { issueDate: o.issueDate } : {}),
    ...(o.checkStart !== undefined ? { checkStart: o.checkStart } : {}),
    force: Boolean(o.force),
    maxErrors,
    onWarning: (p) => warnings.warn(() => formatProblem(p)),
    read: { ...(read.delimiter !== undefined ? { delimiter: read.delimiter } : {}), ...(read.map !== undefined ? { map: read.map } : {}) },
    given: { delimiter: o.delimiterGiven ?? (o.delimiter !== undefined && o.delimiter !== ','), map: (o.map?.length ?? 0) > 0 },
    onReadingWarning: (w) => process.stderr.write(`payout pay: warning: ${w}\n`),
  });
  warnings.finish();
  const c = result.controls;
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ round: result.round, controls: controlsJson(result.controls), warnings: result.warnings, fallbacks: result.fallbacks }, null, 2)}\n`);
    return;
  }
  if (o.quiet) return;
  const out = colorFor(process.stdout);
  const rows = (['paypal', 'venmo', 'ach', 'check'] as const).map((m) => [m, grouped(c.methods[m].count), formatMoneyHuman(c.methods[m].amount)]);
  rows.push([out.bold('total'), out.bold(grouped(c.total.count)), out.bold(formatMoneyHuman(c.total.amount))]);
  const lines = [
    out.bold(`Payments, round ${result.round}`),
    '',
    ...renderTable(['method', 'payments', 'amount'], rows, ['left', 'right', 'right'], '  '),
    '',
    `Ledger: ${countOf(result.ledger.count, 'paid claim')}, ${formatMoneyHuman(result.ledger.amount)}: the control totals match.`,
  ];
  if (result.fallbacks > 0) lines.push(out.yellow(`${countOf(result.fallbacks, 'claim')} paid by check instead of ${result.fallbacks === 1 ? 'its' : 'their'} election (warnings above).`));
  lines.push(out.dim(wroteLine(`${o.out}/: ${result.files.join(', ')}`)));
  process.stdout.write(`${lines.join('\n')}\n`);
}
