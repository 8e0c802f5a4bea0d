/**
 * `payout accounting DIR [DIR2 …] --out FILE`: the post-distribution accounting
 * (src/app/accounting.ts), summarised at the terminal or printed as JSON.
 */
import type { ChalkInstance } from 'chalk';
import { accountFor, type AccountingResult } from '../../app/accounting.js';
import { accountingJson } from '../../core/accounting-lines.js';
import { formatMoneyHuman, parseMoney, type Cents } from '../../core/money.js';
import { colorFor } from '../style.js';
import { grouped, renderTable } from '../table.js';
import { wroteLine } from '../wrote.js';
import { countOf } from '../../core/display-numbers.js';

export interface AccountingCliOptions {
  facts?: string;
  payments?: string[];
  out: string;
  html?: string;
  force?: boolean;
  json?: boolean;
}

export async function runAccounting(dirs: string[], o: AccountingCliOptions): Promise<void> {
  const result = await accountFor({
    dirs,
    ...(o.facts === undefined ? {} : { factsFile: o.facts }),
    ...(o.payments === undefined ? {} : { paymentsDirs: o.payments }),
    outFile: o.out,
    ...(o.html === undefined ? {} : { htmlFile: o.html }),
    force: Boolean(o.force),
  });
  if (o.json) {
    process.stdout.write(accountingJson(result.accounting, result.lines));
    return;
  }
  process.stdout.write(`${renderAccounting(result, colorFor(process.stdout)).join('\n')}\n`);
}

export function renderAccounting(r: AccountingResult, c: ChalkInstance): string[] {
  const a = r.accounting;
  const money = (x: Cents | null): string => (x === null ? c.dim('not given') : formatMoneyHuman(x));
  const count = (n: number | null): string => (n === null ? c.dim('not given') : grouped(n));
  const pct = (p: string | null): string => (p === null ? '' : `${p}%`);
  const lines: string[] = [c.bold(`Post-distribution accounting: ${a.caseName}`), ''];
  lines.push(
    ...renderTable(
      ['', 'amount', '% of fund'],
      [
        ['settlement fund', money(a.fund), '100.00%'],
        ...a.deductions.map((d) => [`  ${d.label}`, money(d.amount), pct(d.percentOfFund)]),
        ['net settlement fund', money(a.net), ''],
      ],
      ['left', 'right', 'right'],
      '  ',
    ),
    '',
    ...renderTable(
      ['', 'number', '% of class'],
      [...a.notice.map((f) => [f.label.toLowerCase(), count(f.count), pct(f.percent)]), ['claims filed', count(a.claimsFiled), pct(a.claimsFiledPercent)]],
      ['left', 'right', 'right'],
      '  ',
    ),
  );
  if (a.buckets !== undefined) {
    // A bucket plan's first round: what each bucket was claimed, funded with and paid.
    const exact = (s: string | null): string => (s === null ? c.dim('-') : formatMoneyHuman(parseMoney(s.replace(/(\.\d\d)\d*$/, '$1')) ?? 0n));
    lines.push(
      '',
      ...renderTable(
        ['bucket', 'claims', 'claimed', 'total cap', 'funded', 'paid', 'payments', 'reduction'],
        a.buckets.map((b) => [
          b.id,
          grouped(b.claims),
          exact(b.claimed),
          b.totalCap === null ? c.dim('-') : money(b.totalCap),
          exact(b.funded),
          money(b.paid),
          grouped(b.payments),
          b.reductionPercent === null ? c.dim('-') : `${b.reductionPercent.replace(/\.?0+$/, '')}%`,
        ]),
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
        '  ',
      ),
    );
  }
  for (const round of a.rounds) {
    lines.push('', c.bold(`Round ${round.round} (${round.dir}): ${money(round.paid)} paid, residual ${money(round.residual)}${round.costs === null ? '' : `, costs ${money(round.costs)}`}`));
    lines.push(`  claims by outcome: ${round.outcomes.map((o) => `${o.outcome} ${grouped(o.count)} (${pct(o.percent)})`).join(', ')}`);
    lines.push(
      ...renderTable(
        ['class', 'payments', 'total', 'average', 'median', 'smallest', 'largest'],
        round.classes.map((s) => [s.id ?? 'all', grouped(s.payments), money(s.total), money(s.average), money(s.median), money(s.smallest), money(s.largest)]),
        ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
        '  ',
      ),
    );
    lines.push(
      round.uncashed === null
        ? `  uncashed: ${c.dim('not given')}`
        : `  uncashed: ${countOf(round.uncashed.count, 'payment')}, ${money(round.uncashed.amount)} (${pct(round.uncashed.percentOfAmount)} of the amount paid)`,
      `  receipts root: ${round.receiptsRoot ?? c.dim('not given')}`,
    );
  }
  lines.push(
    '',
    `payment methods: ${a.paymentMethods === null ? c.dim('not given') : a.paymentMethods.map((m) => `round ${m.round} ${m.method} ${grouped(m.payments)} ${money(m.amount)}`).join('; ')}`,
    `distributed to claimants (less uncashed): ${money(a.distributed)}; residual ${money(a.residual.amount)}${a.residual.recipient === null ? '' : ` to ${a.residual.recipient}`}`,
    a.balanced ? c.green('fund = deductions + costs + distributed + residual') : c.red('the figures do not add up to the fund'),
  );
  for (const f of r.written) lines.push(c.dim(wroteLine(f)));
  return lines;
}
