/**
 * `payout reconcile --pay PAYDIR --returns FILE… --out DIR`: parses the options, runs the use case
 * (app/reconcile.ts) and prints the payments by state.
 */
import { reconcile } from '../../app/reconcile.js';
import { UsageError } from '../../core/errors.js';
import { formatMoney, formatMoneyHuman } from '../../core/money.js';
import { colorFor } from '../style.js';
import { grouped, renderTable } from '../table.js';
import { wroteLine } from '../wrote.js';

export interface ReconcileCliOptions {
  pay: string;
  returns: string[];
  out: string;
  issueDate?: string;
  checkStart?: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
  maxErrors: string;
}

export async function runReconcile(o: ReconcileCliOptions): Promise<void> {
  if (!/^\d+$/.test(o.maxErrors)) throw new UsageError(`--max-errors ${o.maxErrors}: give a whole number, e.g. --max-errors 100`);
  const r = await reconcile({
    payDir: o.pay,
    returnsFiles: o.returns,
    outDir: o.out,
    ...(o.issueDate !== undefined ? { issueDate: o.issueDate } : {}),
    ...(o.checkStart !== undefined ? { checkStart: o.checkStart } : {}),
    force: Boolean(o.force),
    maxErrors: Number(o.maxErrors),
  });
  if (o.json) {
    const line = (l: { count: number; amount: bigint }) => ({ count: l.count, amount: formatMoney(l.amount) });
    process.stdout.write(`${JSON.stringify({ states: Object.fromEntries(Object.entries(r.states).map(([k, v]) => [k, line(v)])), reissued: line(r.reissued), uncashed: line(r.uncashed) }, null, 2)}\n`);
    return;
  }
  if (o.quiet) return;
  const c = colorFor(process.stdout);
  const rows = Object.entries(r.states).map(([state, l]) => [state, grouped(l.count), formatMoneyHuman(l.amount)]);
  rows.push([c.bold('total'), c.bold(grouped(r.payments.count)), c.bold(formatMoneyHuman(r.payments.amount))]);
  const lines = [
    c.bold('Reconciliation'),
    '',
    ...renderTable(['state', 'payments', 'amount'], rows, ['left', 'right', 'right'], '  '),
    '',
    `Reissued as checks: ${grouped(r.reissued.count)} (${formatMoneyHuman(r.reissued.amount)}). Uncashed, for payout redistribute --uncashed: ${grouped(r.uncashed.count)} (${formatMoneyHuman(r.uncashed.amount)}).`,
    c.dim(wroteLine(`${o.out}/: ${r.files.join(', ')}`)),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
