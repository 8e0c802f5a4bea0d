/**
 * The accounting as flat lines: the CSV of `payout accounting --out` and the `lines` of its JSON.
 * One line per figure, with where it comes from; a figure that was not given has empty count and
 * amount and the source "not given".
 */
import { percentText, type Accounting, type PaymentStats } from './accounting.js';
import { textCell } from './csv-cell.js';
import { formatMoney, type Cents } from './money.js';

export const ACCOUNTING_COLUMNS = ['round', 'section', 'item', 'class', 'count', 'amount', 'percent', 'percent_of', 'source'] as const;

export type AccountingSource = 'summary' | 'ledger' | 'facts' | 'payments' | 'computed' | 'not given';

export interface AccountingLine {
  round: number | null;
  section: string;
  item: string;
  class: string | null;
  count: number | null;
  amount: Cents | null;
  percent: string | null;
  percentOf: string | null;
  source: AccountingSource;
}

function line(section: string, item: string, fields: Partial<AccountingLine> & Pick<AccountingLine, 'source'>): AccountingLine {
  return { round: null, class: null, count: null, amount: null, percent: null, percentOf: null, section, item, ...fields };
}

function statsLines(round: number, s: PaymentStats): AccountingLine[] {
  const cls = s.id ?? 'all classes';
  const base = { round, class: cls, source: 'ledger' as const };
  const money = (item: string, amount: Cents | null): AccountingLine =>
    amount === null ? line('payments', item, { ...base, source: 'not given' }) : line('payments', item, { ...base, amount });
  return [
    line('payments', 'Claims', { ...base, count: s.claims }),
    line('payments', 'Payments', { ...base, count: s.payments, amount: s.total }),
    money('Average payment', s.average),
    money('Median payment', s.median),
    money('Smallest payment', s.smallest),
    money('Largest payment', s.largest),
  ];
}

export function accountingLines(a: Accounting): AccountingLine[] {
  const out: AccountingLine[] = [];
  const fund = (item: string, amount: Cents, percent: string | null = null): AccountingLine =>
    line('fund', item, { amount, percent, percentOf: percent === null ? null : 'fund', source: 'summary' });
  out.push(fund('Gross settlement fund', a.gross), fund('Interest', a.interest), fund('Settlement fund', a.fund, '100.00'));
  for (const d of a.deductions) out.push(line('deductions', d.label, { amount: d.amount, percent: d.percentOfFund, percentOf: 'fund', source: 'summary' }));
  out.push(line('deductions', 'Total deductions', { amount: a.totalDeductions, percent: a.totalDeductionsPercent, percentOf: 'fund', source: 'computed' }));
  out.push(fund('Net settlement fund', a.net));

  for (const f of a.notice) {
    out.push(
      f.count === null
        ? line('class and notice', f.label, { source: 'not given' })
        : line('class and notice', f.label, { count: f.count, percent: f.percent, percentOf: f.percent === null ? null : 'class members', source: 'facts' }),
    );
  }
  out.push(
    a.noticeMethods === null
      ? line('class and notice', 'Notice methods', { source: 'not given' })
      : line('class and notice', `Notice methods: ${a.noticeMethods.join('; ')}`, { source: 'facts' }),
  );
  out.push(line('claims', 'Claims filed', { count: a.claimsFiled, percent: a.claimsFiledPercent, percentOf: a.claimsFiledPercent === null ? null : 'class members', source: 'ledger' }));

  // A bucket plan: each bucket's figures, the bucket id in the class column.
  for (const b of a.buckets ?? []) {
    const base = { round: 1, class: b.id };
    out.push(line('buckets', `${b.label}: claims`, { ...base, count: b.claims, source: 'summary' }));
    out.push(
      b.claimed === null
        ? line('buckets', `${b.label}: claimed`, { ...base, source: 'not given' })
        : line('buckets', `${b.label}: claimed ${b.claimed}`, { ...base, source: 'summary' }),
    );
    out.push(
      b.totalCap === null ? line('buckets', `${b.label}: total cap`, { ...base, source: 'not given' }) : line('buckets', `${b.label}: total cap`, { ...base, amount: b.totalCap, source: 'summary' }),
    );
    out.push(line('buckets', `${b.label}: funded ${b.funded}`, { ...base, source: 'summary' }));
    out.push(line('buckets', `${b.label}: paid`, { ...base, count: b.payments, amount: b.paid, percent: percentText(b.paid, a.net), percentOf: 'net fund', source: 'ledger' }));
    out.push(
      b.reductionPercent === null
        ? line('buckets', `${b.label}: reduction`, { ...base, source: 'not given' })
        : line('buckets', `${b.label}: reduction ${b.reductionPercent}% of what is claimed`, { ...base, source: 'summary' }),
    );
  }

  for (const r of a.rounds) {
    out.push(line('round', r.round === 1 ? 'Net settlement fund distributed' : 'Available for the round', { round: r.round, amount: r.available, source: 'summary' }));
    if (r.costs !== null) out.push(line('round', 'Costs of the round', { round: r.round, amount: r.costs, source: 'summary' }));
    for (const o of r.outcomes) out.push(line('claims by outcome', o.outcome, { round: r.round, count: o.count, percent: o.percent, percentOf: 'claims', source: 'ledger' }));
    for (const s of r.classes) out.push(...statsLines(r.round, s));
    out.push(line('round', 'Paid', { round: r.round, amount: r.paid, source: 'summary' }));
    out.push(line('round', r.receiptsRoot === null ? 'Receipts root' : `Receipts root ${r.receiptsRoot}`, { round: r.round, source: r.receiptsRoot === null ? 'not given' : 'summary' }));
    out.push(line('round', 'Residual', { round: r.round, amount: r.residual, source: 'summary' }));
    out.push(
      r.uncashed === null
        ? line('uncashed', 'Uncashed payments', { round: r.round, source: 'not given' })
        : line('uncashed', 'Uncashed payments', { round: r.round, count: r.uncashed.count, amount: r.uncashed.amount, percent: r.uncashed.percentOfAmount, percentOf: 'amount paid', source: 'ledger' }),
    );
  }

  if (a.paymentMethods === null) out.push(line('payment methods', 'Payment methods', { source: 'not given' }));
  else for (const m of a.paymentMethods) out.push(line('payment methods', m.method, { round: m.round, count: m.payments, amount: m.amount, source: 'payments' }));

  out.push(line('totals', 'Costs of later rounds', { amount: a.redistributionCosts, source: 'computed' }));
  out.push(line('totals', 'Distributed to claimants (less uncashed)', { amount: a.distributed, percent: percentText(a.distributed, a.fund), percentOf: 'fund', source: 'computed' }));
  out.push(line('totals', `Residual${a.residual.recipient === null ? '' : ` to ${a.residual.recipient}`}`, { round: a.residual.round, amount: a.residual.amount, source: 'summary' }));
  return out;
}

/** The CSV: a header, then one LF-terminated line per figure. */
export function accountingCsv(lines: readonly AccountingLine[]): string {
  const rows = lines.map((l) =>
    [
      l.round === null ? '' : String(l.round),
      textCell(l.section),
      textCell(l.item),
      l.class === null ? '' : textCell(l.class),
      l.count === null ? '' : String(l.count),
      l.amount === null ? '' : formatMoney(l.amount),
      l.percent ?? '',
      l.percentOf ?? '',
      l.source,
    ].join(','),
  );
  return `${ACCOUNTING_COLUMNS.join(',')}\n${rows.map((r) => `${r}\n`).join('')}`;
}

/** The accounting and its lines as one JSON document: every amount (bigint cents) as a decimal string. */
export function accountingJson(a: Accounting, lines: readonly AccountingLine[]): string {
  return `${JSON.stringify({ format: 'payout-accounting/1', ...a, lines }, (_k, v: unknown) => (typeof v === 'bigint' ? formatMoney(v) : v), 2)}\n`;
}
