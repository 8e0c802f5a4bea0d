/**
 * The distribution report of a bucket plan's folder: from its summary.json (checked here) to what
 * the page shows: the fund through the deductions to the net, the net through the buckets in
 * funding order to the residual, and per bucket what was claimed, its cap, its reduction and what
 * it paid. Pure: no I/O, no clock; money in bigint cents with its text beside it.
 */
import { z } from 'zod';
import { formatMoneyHuman, parseMoney, type Cents } from '../money.js';
import { compactMoney, countOf, countText, currencySymbol, humanizeAmounts } from '../display-numbers.js';
import { axisTicks, type Check, type Money, type Waterfall, type WaterfallStep } from '../report-model.js';
import { unpaidRows, type UnpaidView } from '../report-unpaid.js';
import { BUCKET_SUMMARY_FORMAT } from './output.js';

const money = z.string().transform((s, ctx) => {
  const c = parseMoney(s);
  if (c === undefined) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(s)}: not an amount` });
  return c ?? 0n;
});
const count = z.number().int().nonnegative();

/** The fields of a bucket summary.json the report reads (docs/outputs.md). */
export const bucketSummarySchema = z.object({
  format: z.literal(BUCKET_SUMMARY_FORMAT),
  case: z.string(),
  currency: z.string(),
  mode: z.literal('buckets'),
  seed: z.string(),
  fund: z.object({ gross: money, interest: money, fund: money }),
  deductions: z.array(z.object({ label: z.string(), rule: z.string(), amount: money, remaining: money })),
  net: money,
  buckets: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      kind: z.string(),
      protected: z.boolean(),
      residual: z.boolean(),
      perClaimCap: money.nullable(),
      totalCap: money.nullable(),
      claims: count,
      claimed: z.string().nullable(),
      points: z.string().nullable(),
      setAside: z.string(),
      funded: z.string(),
      paid: money,
      reductionPercent: z.string().nullable(),
    }),
  ),
  claims: z.object({ rows: count, eligible: count, paid: count, belowMinimum: count, nothingClaimed: count, ineligible: count }),
  /** Why claims went unpaid (output.ts, BucketUnpaidJson); absent from a summary written by an older payout. */
  unpaid: z
    .object({
      claims: count,
      byStatus: z.array(z.object({ status: z.string(), claims: count })),
      belowMinimum: count,
      noEntitlement: count,
      unfunded: count,
      roundedToZero: count,
    })
    .optional(),
  minimumPayment: money.nullable(),
  totalPaid: money,
  residual: money,
  residualRecipient: z.string().nullable(),
  warnings: z.object({ blankStatuses: count }).optional(),
});
export type BucketSummaryInput = z.output<typeof bucketSummarySchema>;

export interface BucketRow {
  id: string;
  label: string;
  kind: string;
  /** `protected`, `residual`, or empty. */
  role: string;
  claims: number;
  /** What was claimed in it, to the cent (rounded half-up for display), or the points of a points bucket. */
  claimed: string;
  cap: string;
  perClaimCap: string;
  reduction: string;
  paid: Money;
}

export interface BucketReportModel {
  caseName: string;
  currency: string;
  seed: string;
  figures: { fund: Money; deductions: Money; net: Money; paid: Money; residual: Money };
  deductions: { label: string; rule: string; amount: Money; remaining: Money }[];
  waterfall: Waterfall;
  buckets: BucketRow[];
  outcomes: { label: string; count: number }[];
  /** Why claims went unpaid, by reason (summary.json `unpaid`); null for a summary of an older payout, which has none. */
  unpaid: UnpaidView | null;
  minimumPayment: Money | null;
  residualRecipient: string | null;
  /** The cross-checks between summary.json, manifest.json and ledger.csv (as in a classes report). */
  checks: Check[];
  /** Claims whose blank status was read as approved (the plan's blankStatus); 0 when none. */
  blankStatuses: number;
}

/** What streaming a bucket ledger.csv found: the report cross-checks it against summary.json. */
export interface BucketLedgerTally {
  /** Data rows (claims). */
  rows: number;
  /** Rows with outcome `paid`. */
  paidClaims: number;
  /** Rows whose amount is 0.00 (summary.json `unpaid.claims`). */
  unpaidRows: number;
  /** Σ amount. */
  amount: Cents;
  /** Σ of each bucket's column, in summary.json's bucket order. */
  buckets: Cents[];
  /** Bucket ids of summary.json with no column in the ledger. */
  missingColumns: string[];
  /** Bucket cells that are not amounts with 2 decimals. */
  badCells: number;
}

/** `265722211.440000` (6 decimals, from summary.json) as `$265,722,211.44`, half-up to the cent. */
function money6(text: string, symbol: string): string {
  const m = /^(-?)(\d+)\.(\d{2})(\d*)$/.exec(text);
  if (!m) return text;
  let cents = BigInt(m[2]! + m[3]!);
  if ((m[4] ?? '').length > 0 && Number(m[4]![0]) >= 5) cents += 1n;
  return formatMoneyHuman(m[1] === '-' ? -cents : cents, symbol);
}

/**
 * The report of a bucket folder. `files`: its ledger's tally and the rows manifest.json records for
 * it, for the cross-checks; without them (a model of the summary alone) there are none.
 */
export function buildBucketReportModel(s: BucketSummaryInput, files?: { ledger: BucketLedgerTally; manifestRows: number | undefined }): BucketReportModel {
  const symbol = currencySymbol(s.currency);
  const m = (cents: Cents): Money => ({ cents, text: formatMoneyHuman(cents, symbol), short: compactMoney(cents, symbol) });
  const totalDeductions = s.deductions.reduce((a, d) => a + d.amount, 0n);
  const steps: WaterfallStep[] = [{ kind: 'gross', label: 'Gross fund', amount: m(s.fund.gross), base: 0n }];
  if (s.fund.interest > 0n) steps.push({ kind: 'interest', label: 'Interest', amount: m(s.fund.interest), base: s.fund.gross });
  let left = s.fund.fund;
  for (const d of s.deductions) {
    left -= d.amount;
    steps.push({ kind: 'deduction', label: d.label, amount: m(d.amount), base: left, note: humanizeAmounts(d.rule, symbol) });
  }
  steps.push({ kind: 'net', label: 'Net settlement fund', amount: m(s.net), base: 0n, connect: s.net });
  // Each bucket hangs from what the buckets before it left, down to what it leaves.
  let rest = s.net;
  for (const b of s.buckets) {
    rest -= b.paid;
    steps.push({ kind: 'paid', label: b.label, amount: m(b.paid), base: rest, connect: rest });
  }
  steps.push({ kind: 'residual', label: 'Residual', amount: m(s.residual), base: 0n });
  const top = steps.reduce((acc, x) => (x.base + x.amount.cents > acc ? x.base + x.amount.cents : acc), 0n);
  return {
    caseName: s.case,
    currency: s.currency,
    seed: s.seed,
    figures: { fund: m(s.fund.fund), deductions: m(totalDeductions), net: m(s.net), paid: m(s.totalPaid), residual: m(s.residual) },
    deductions: s.deductions.map((d) => ({ label: d.label, rule: humanizeAmounts(d.rule, symbol), amount: m(d.amount), remaining: m(d.remaining) })),
    waterfall: { steps, top, ticks: axisTicks(top).map(m) },
    buckets: s.buckets.map((b) => ({
      id: b.id,
      label: b.label,
      kind: b.kind,
      role: b.protected ? 'protected' : b.residual ? 'residual' : '',
      claims: b.claims,
      claimed: b.claimed !== null ? money6(b.claimed, symbol) : `${(b.points ?? '0').replace(/\.?0+$/, '')} points`,
      cap: b.totalCap === null ? '—' : formatMoneyHuman(b.totalCap, symbol),
      perClaimCap: b.perClaimCap === null ? '—' : formatMoneyHuman(b.perClaimCap, symbol),
      reduction: b.reductionPercent === null ? '—' : `${percent(b.reductionPercent)}%`,
      paid: m(b.paid),
    })),
    outcomes: [
      { label: 'Paid', count: s.claims.paid },
      { label: 'Below the minimum payment', count: s.claims.belowMinimum },
      { label: 'Eligible, nothing claimed', count: s.claims.nothingClaimed },
      { label: 'Not eligible', count: s.claims.ineligible },
      { label: 'All claims', count: s.claims.rows },
    ],
    unpaid: s.unpaid === undefined ? null : { ...unpaidRows(s.unpaid, s.minimumPayment, s.claims.rows, (c) => m(c).text), notes: [] },
    minimumPayment: s.minimumPayment === null ? null : m(s.minimumPayment),
    residualRecipient: s.residualRecipient,
    blankStatuses: s.warnings?.blankStatuses ?? 0,
    checks: files === undefined ? [] : bucketCrossChecks(s, files.ledger, files.manifestRows, (c) => m(c).text),
  };
}


/**
 * The files agree: the summary's own sums, and ledger.csv's rows and columns against the summary
 * (the checks of a classes report, plus each bucket's column against the bucket's paid).
 */
export function bucketCrossChecks(s: BucketSummaryInput, ledger: BucketLedgerTally, manifestRows: number | undefined, money: (c: Cents) => string): Check[] {
  const deductions = s.deductions.reduce((a, d) => a + d.amount, 0n);
  const bucketsPaid = s.buckets.reduce((a, b) => a + b.paid, 0n);
  const offBuckets = s.buckets.filter((b, k) => ledger.buckets[k] !== b.paid);
  const columnsDetail =
    ledger.missingColumns.length > 0
      ? `no column ${ledger.missingColumns.join(', ')}`
      : ledger.badCells > 0
        ? `${countOf(ledger.badCells, 'cell')} ${ledger.badCells === 1 ? 'is' : 'are'} not amounts`
        : offBuckets.length > 0
          ? offBuckets.map((b) => `Σ ${b.id} = ${money(ledger.buckets[s.buckets.indexOf(b)] ?? 0n)}, paid ${money(b.paid)}`).join('; ')
          : s.buckets.map((b, k) => `Σ ${b.id} = ${money(ledger.buckets[k] ?? 0n)}`).join('; ');
  return [
    {
      label: 'Fund less deductions is the net fund',
      failure: 'fund less deductions is not the net fund',
      ok: s.fund.fund - deductions === s.net && s.fund.gross + s.fund.interest === s.fund.fund,
      detail: `${money(s.fund.fund)} − ${money(deductions)} = ${money(s.fund.fund - deductions)}`,
    },
    {
      label: 'Paid plus residual is the net fund',
      failure: 'paid plus residual is not the net fund',
      ok: s.totalPaid + s.residual === s.net,
      detail: `${money(s.totalPaid)} + ${money(s.residual)} = ${money(s.totalPaid + s.residual)}`,
    },
    {
      label: "The buckets' paid add up to the amount paid",
      failure: "the buckets' paid do not add up to the amount paid",
      ok: bucketsPaid === s.totalPaid,
      detail: `Σ paid = ${money(bucketsPaid)}`,
    },
    {
      label: 'ledger.csv amounts add up to the amount paid',
      failure: 'ledger.csv amounts do not add up to the amount paid',
      ok: ledger.amount === s.totalPaid,
      detail: `Σ amount = ${money(ledger.amount)}`,
    },
    {
      label: "ledger.csv bucket columns add up to each bucket's paid",
      failure: "ledger.csv bucket columns do not add up to each bucket's paid",
      ok: ledger.missingColumns.length === 0 && ledger.badCells === 0 && offBuckets.length === 0,
      detail: columnsDetail,
    },
    {
      label: 'ledger.csv has the paid claims of the summary',
      failure: 'ledger.csv does not have the paid claims of the summary',
      ok: ledger.paidClaims === s.claims.paid,
      detail: `${countText(ledger.paidClaims)} paid of ${countOf(ledger.rows, 'row')}`,
    },
    ...(s.unpaid === undefined ? [] : [unpaidCheck(s, s.unpaid, ledger, money)]),
    {
      label: 'ledger.csv has one row per claim',
      failure: 'ledger.csv does not have one row per claim',
      ok: ledger.rows === s.claims.rows && (manifestRows === undefined || manifestRows === ledger.rows),
      detail: `${countOf(ledger.rows, 'row')}; summary ${countOf(s.claims.rows, 'claim')}${manifestRows === undefined ? '' : `; manifest ${countOf(manifestRows, 'row')}`}`,
    },
  ];
}

/**
 * The claims not paid: as many rows of ledger.csv paid 0.00 as `unpaid` counts, and its reasons
 * add up to the summary's outcome counts (the statuses to `ineligible`, nothing claimed, no money
 * left and under a cent to `nothingClaimed`).
 */
function unpaidCheck(s: BucketSummaryInput, u: NonNullable<BucketSummaryInput['unpaid']>, ledger: BucketLedgerTally, money: (c: Cents) => string): Check {
  const byStatus = u.byStatus.reduce((n, x) => n + x.claims, 0);
  const sum = byStatus + u.belowMinimum + u.noEntitlement + u.unfunded + u.roundedToZero;
  return {
    label: "ledger.csv's claims not paid are the summary's",
    failure: "ledger.csv's claims not paid are not the summary's",
    ok:
      ledger.unpaidRows === u.claims &&
      sum === u.claims &&
      byStatus === s.claims.ineligible &&
      u.belowMinimum === s.claims.belowMinimum &&
      u.noEntitlement + u.unfunded + u.roundedToZero === s.claims.nothingClaimed,
    detail: `${countOf(ledger.unpaidRows, 'row')} paid ${money(0n)}; unpaid ${countText(u.claims)} (reasons ${countText(sum)})`,
  };
}

/** `38.000000` → `38`, `12.345678` → `12.35`, `-5.500000` → `-5.5` (an increase shows negative). */
function percent(text: string): string {
  const x = /^(-?)(\d+)\.(\d{2})(\d*)$/.exec(text);
  if (!x) return text;
  let hundredths = BigInt(x[2]! + x[3]!);
  if ((x[4] ?? '').length > 0 && Number(x[4]![0]) >= 5) hundredths += 1n;
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `${x[1]}${whole}${frac ? `.${frac}` : ''}`;
}
