/**
 * The distribution report's cross-checks between an allocation's files (docs/report.md, "Checks"):
 * summary.json re-added, and ledger.csv's tally against it. Pure; worded and formatted here.
 */
import { countOf, countText } from './display-numbers.js';
import type { Cents } from './money.js';
import type { Manifest, Summary } from './report-input.js';
import type { AmountHistogram } from './amount-histogram.js';

/** A cross-check between the files, shown so that a reader can see the numbers agree. */
export interface Check {
  /** What holds when the files agree ("ledger.csv has one row per claim"). */
  label: string;
  /** The same, said of files where it does not hold ("ledger.csv does not have one row per claim"). */
  failure: string;
  ok: boolean;
  detail: string;
}

/** What streaming ledger.csv found: the report cross-checks it against summary.json. */
export interface LedgerTally {
  /** Data rows (claims) in the ledger. */
  rows: number;
  /** Claims with outcome `paid` or `capped`. */
  paidClaims: number;
  /** Σ amount over all rows. */
  paidCents: Cents;
  /** The rows paid 0.00, by outcome: checked against summary.json's `unpaid`. */
  unpaid: LedgerUnpaid;
  histogram: AmountHistogram;
}

/** ledger.csv's rows paid 0.00, by outcome (docs/outputs.md); the `ineligible` ones by status. */
export interface LedgerUnpaid {
  rows: number;
  /** Outcome `ineligible`, by the ledger's status (formula guard removed). */
  byStatus: ReadonlyMap<string, number>;
  /** Outcome `below_minimum`. */
  belowMinimum: number;
  /** Outcome `capped` (a maximum payment of 0.00). */
  capped: number;
  /** Outcome `paid` (a share under one cent). */
  paid: number;
  /** Any other outcome. */
  other: number;
}

/** Each check of a classes plan's report, agreeing or not. */
export function crossChecks(summary: Summary, manifest: Manifest, ledger: LedgerTally, money: (c: Cents) => string): Check[] {
  const fundLessDeductions = summary.fund.fund - summary.deductions.reduce((s, d) => s + d.amount, 0n);
  const paidPlusResidual = summary.totals.amount + summary.totals.residual;
  const ledgerRows = manifest.outputs.find((o) => o.file === 'ledger.csv')?.rows;
  const checks: Check[] = [
    {
      label: 'Fund less deductions is the net fund',
      failure: 'fund less deductions is not the net fund',
      ok: fundLessDeductions === summary.net && summary.fund.gross + summary.fund.interest === summary.fund.fund,
      detail: `${money(summary.fund.fund)} − ${money(summary.fund.fund - fundLessDeductions)} = ${money(fundLessDeductions)}`,
    },
    {
      label: 'Paid plus residual is the net fund',
      failure: 'paid plus residual is not the net fund',
      ok: paidPlusResidual === summary.net,
      detail: `${money(summary.totals.amount)} + ${money(summary.totals.residual)} = ${money(paidPlusResidual)}`,
    },
    {
      label: 'ledger.csv amounts add up to the amount paid',
      failure: 'ledger.csv amounts do not add up to the amount paid',
      ok: ledger.paidCents === summary.totals.amount,
      detail: `Σ amount = ${money(ledger.paidCents)}`,
    },
    {
      label: 'ledger.csv has the paid claims of the summary',
      failure: 'ledger.csv does not have the paid claims of the summary',
      ok: ledger.paidClaims === summary.totals.paid && ledger.histogram.total === summary.totals.paid,
      detail: `${countText(ledger.paidClaims)} paid or capped of ${countOf(ledger.rows, 'row')}`,
    },
    ...(summary.unpaid === undefined ? [] : [unpaidCheck(summary, summary.unpaid, ledger.unpaid, money)]),
    {
      label: 'ledger.csv has one row per claim',
      failure: 'ledger.csv does not have one row per claim',
      ok: ledger.rows === summary.totals.claims && (ledgerRows === undefined || ledgerRows === ledger.rows),
      detail: `${countOf(ledger.rows, 'row')}; summary ${countOf(summary.totals.claims, 'claim')}${ledgerRows === undefined ? '' : `; manifest ${countOf(ledgerRows, 'row')}`}`,
    },
  ];
  return checks;
}

/** Statuses whose counts differ named in the detail of the claims-not-paid check; the rest counted. */
const STATUSES_NAMED = 3;

/**
 * The claims not paid: ledger.csv's rows paid 0.00, by outcome, are `unpaid`'s counts (`ineligible`
 * per status is `byStatus`, `below_minimum` is `belowMinimum`, `capped` is `cappedToZero`, `paid`
 * is `roundedToZero`, no other outcome), and its reasons add up to `unpaid.claims` and to the
 * classes' ineligible and below-minimum counts. A summary without `unpaid` (an older payout) has no
 * such check.
 */
function unpaidCheck(summary: Summary, u: NonNullable<Summary['unpaid']>, ledger: LedgerUnpaid, money: (c: Cents) => string): Check {
  const byStatus = u.byStatus.reduce((n, x) => n + x.claims, 0);
  const sum = byStatus + u.belowMinimum + u.cappedToZero + u.roundedToZero;
  const summaryByStatus = new Map(u.byStatus.map((x) => [x.status, x.claims]));
  // The statuses whose counts differ, the first few named in the detail.
  const differing = [...new Set([...summaryByStatus.keys(), ...ledger.byStatus.keys()])].filter((k) => summaryByStatus.get(k) !== ledger.byStatus.get(k));
  const sameStatuses = differing.length === 0;
  const statusDetail = differing
    .slice(0, STATUSES_NAMED)
    .map((k) => `status ${JSON.stringify(k)}: ledger.csv ${countText(ledger.byStatus.get(k) ?? 0)}, summary ${countText(summaryByStatus.get(k) ?? 0)}`)
    .concat(differing.length > STATUSES_NAMED ? [`${countOf(differing.length - STATUSES_NAMED, 'more status', 'more statuses')} ${differing.length - STATUSES_NAMED === 1 ? 'differs' : 'differ'}`] : []);
  const classes = (k: 'ineligible' | 'belowMinimum'): number => summary.classes.reduce((n, c) => n + c[k], 0);
  const ineligible = [...ledger.byStatus.values()].reduce((n, x) => n + x, 0);
  const outcomes = [
    `ineligible ${countText(ineligible)}`,
    `below_minimum ${countText(ledger.belowMinimum)}`,
    ...(ledger.capped > 0 ? [`capped ${countText(ledger.capped)}`] : []),
    ...(ledger.paid > 0 ? [`paid ${countText(ledger.paid)}`] : []),
    ...(ledger.other > 0 ? [`another outcome ${countText(ledger.other)}`] : []),
  ];
  return {
    label: "ledger.csv's claims not paid are the summary's",
    failure: "ledger.csv's claims not paid are not the summary's",
    ok:
      ledger.rows === u.claims &&
      sum === u.claims &&
      sameStatuses &&
      ledger.belowMinimum === u.belowMinimum &&
      ledger.capped === u.cappedToZero &&
      ledger.paid === u.roundedToZero &&
      ledger.other === 0 &&
      byStatus === classes('ineligible') &&
      u.belowMinimum === classes('belowMinimum'),
    detail: [`${countOf(ledger.rows, 'row')} paid ${money(0n)} (${outcomes.join(', ')})`, `unpaid ${countText(u.claims)} (reasons ${countText(sum)})`, ...statusDetail].join('; '),
  };
}
