/**
 * The distribution report's view model: from an allocation's summary, manifest and a tally of its
 * ledger to everything the HTML shows, already worded and formatted. Pure: no I/O, no clock. Money
 * stays bigint cents (with its formatted text beside it); the only `number`s are claim counts and
 * display ratios for chart geometry.
 */
import { roundWidth, type AmountHistogram } from './amount-histogram.js';
import { claimCount, compactMoney, countOf, countText, currencySymbol, groupDecimal, humanizeAmounts } from './display-numbers.js';
import { formatMoneyHuman, type Cents } from './money.js';
import type { Manifest, Summary, SummaryClass } from './report-input.js';
import { roundingMethod } from './rounding/index.js';
import { unpaidView, type UnpaidView } from './report-unpaid.js';
import { crossChecks, type Check, type LedgerTally } from './report-checks.js';

export type { Check, LedgerTally, LedgerUnpaid } from './report-checks.js';

/** An amount and how people read it (`$57,090,833.33`). */
export interface Money {
  cents: Cents;
  text: string;
  /** For tight places on a chart: `$57.09M`, `$42.5K`, `$512.34`. Rounded half-up; display only. */
  short: string;
}

export type WaterfallKind = 'gross' | 'interest' | 'deduction' | 'net' | 'paid' | 'residual';

/**
 * One bar of the waterfall. A bar spans `base` to `base + cents`: the fund and the net stand on
 * zero; a deduction hangs from what was left before it down to what is left after it; the
 * residual sits on top of what was paid.
 */
export interface WaterfallStep {
  kind: WaterfallKind;
  label: string;
  amount: Money;
  base: Cents;
  /** How the amount was reached (a deduction's rule), when there is something to say. */
  note?: string;
  /** The level of the dashed line to the next bar, when it is not the one its kind implies. */
  connect?: Cents;
}

export interface Waterfall {
  steps: WaterfallStep[];
  /** The tallest bar's top: the chart's full height. */
  top: Cents;
  /** Gridlines: round amounts from 0 up to `top`. */
  ticks: Money[];
}

export interface ClassRow {
  id: string;
  /** `weight 6` or `30% of net`. */
  share: string;
  claims: string;
  eligible: string;
  paid: string;
  capped: string;
  belowMinimum: string;
  points: string;
  amount: Money;
  smallest: Money | null;
  largest: Money | null;
  /**
   * The value of one point, as summary.json gives it, with separators and the currency symbol; for
   * a class whose every paid claim was capped, `all capped at $25.00` instead (the pool's point
   * value paid none of its claims).
   */
  pointValue: string;
  /** Every paid claim of the class was capped. */
  allCapped: boolean;
}

export interface HistogramBar {
  lo: Money;
  hi: Money;
  /** `$27.84`, `$27.84–$27.85` or `$25.00–$29.99`. */
  label: string;
  count: number;
  countText: string;
}

export interface HistogramView {
  kind: AmountHistogram['kind'];
  width: Money | null;
  bars: HistogramBar[];
  total: number;
  totalText: string;
  /** The tallest bar's count, for scaling. */
  maxCount: number;
  /** Equal width: the bars' edges, from the first bar's lower edge to the last bar's upper edge. */
  edges: Money[];
}

export interface FileRow {
  /** `claims` for every input other than the plan (a second distribution has several). */
  role: 'plan' | 'claims' | 'output';
  file: string;
  sha256: string;
  detail: string;
}

export interface ReportModel {
  caseName: string;
  currency: string;
  mode: Summary['mode'];
  tool: { name: string; version: string };
  planFile: string;
  planSha256: string;
  seed: string;
  figures: { fund: Money; deductions: Money; net: Money; paid: Money; residual: Money };
  paidClaims: string;
  totalClaims: string;
  waterfall: Waterfall;
  deductions: { label: string; rule: string; amount: Money; remaining: Money }[];
  classes: ClassRow[];
  totals: { claims: string; eligible: string; paid: string; amount: Money };
  histogram: HistogramView;
  /** Why claims went unpaid, and notes on the claims as read; null when there is nothing to say. */
  unpaid: UnpaidView | null;
  /** The method in words, one paragraph per rule. */
  method: string[];
  files: FileRow[];
  checks: Check[];
}

/**
 * Builds the report's view model.
 * @param summary summary.json, checked and in cents
 * @param manifest manifest.json, checked
 * @param ledger what streaming ledger.csv found
 */
export function buildReportModel(summary: Summary, manifest: Manifest, ledger: LedgerTally): ReportModel {
  const symbol = currencySymbol(summary.currency);
  const money = (cents: Cents): Money => ({ cents, text: formatMoneyHuman(cents, symbol), short: compactMoney(cents, symbol) });
  const { totals } = summary;

  return {
    caseName: summary.case,
    currency: summary.currency,
    mode: summary.mode,
    tool: manifest.tool,
    planFile: manifest.plan.file,
    planSha256: manifest.plan.sha256,
    seed: summary.seed,
    figures: {
      fund: money(summary.fund.fund),
      deductions: money(summary.totalDeductions),
      net: money(summary.net),
      paid: money(totals.amount),
      residual: money(totals.residual),
    },
    paidClaims: countText(totals.paid),
    totalClaims: countOf(totals.claims, 'claim'),
    waterfall: buildWaterfall(summary, money),
    deductions: summary.deductions.map((d) => ({
      label: d.label,
      rule: humanizeAmounts(d.rule, symbol),
      amount: money(d.amount),
      remaining: money(d.remaining),
    })),
    classes: summary.classes.map((c) => classRow(c, money, symbol, summary.maximumPayment)),
    totals: {
      claims: countText(totals.claims),
      eligible: countText(totals.eligible),
      paid: countText(totals.paid),
      amount: money(totals.amount),
    },
    histogram: histogramView(ledger.histogram, money),
    unpaid: unpaidView(summary, (c) => money(c).text),
    method: methodInWords(summary, money),
    files: fileRows(manifest),
    checks: crossChecks(summary, manifest, ledger, (c) => money(c).text),
  };
}

/** Gross fund → interest → each deduction → net; then net split into paid and residual. */
export function buildWaterfall(summary: Summary, money: (c: Cents) => Money): Waterfall {
  const { gross, interest, fund } = summary.fund;
  const steps: WaterfallStep[] = [{ kind: 'gross', label: 'Gross fund', amount: money(gross), base: 0n }];
  if (interest > 0n) steps.push({ kind: 'interest', label: 'Interest', amount: money(interest), base: gross });
  let left = fund;
  for (const d of summary.deductions) {
    left -= d.amount;
    steps.push({
      kind: 'deduction',
      label: d.label,
      amount: money(d.amount),
      base: left,
      note: humanizeAmounts(d.rule, currencySymbol(summary.currency)),
    });
  }
  steps.push({ kind: 'net', label: 'Net settlement fund', amount: money(summary.net), base: 0n });
  steps.push({ kind: 'paid', label: 'Paid to claimants', amount: money(summary.totals.amount), base: 0n });
  steps.push({
    kind: 'residual',
    label: 'Residual',
    amount: money(summary.totals.residual),
    base: summary.totals.amount,
  });
  const top = steps.reduce((m, s) => (s.base + s.amount.cents > m ? s.base + s.amount.cents : m), 0n);
  return { steps, top, ticks: axisTicks(top).map(money) };
}

/** Round gridline amounts: 0 and multiples of a 1-2-5 step in whole dollars, about five of them. */
export function axisTicks(top: Cents): Cents[] {
  if (top <= 0n) return [0n];
  const step = roundWidth((top + 4n) / 5n < 100n ? 100n : (top + 4n) / 5n);
  const ticks: Cents[] = [];
  for (let t = 0n; t <= top; t += step) ticks.push(t);
  return ticks;
}

function classRow(c: SummaryClass, money: (c: Cents) => Money, symbol: string, maximum: Cents | null): ClassRow {
  const share =
    c.poolPercent !== null && c.poolPercent !== undefined
      ? `${c.poolPercent}% of net`
      : c.weight !== null && c.weight !== undefined
        ? `weight ${c.weight}`
        : '';
  const allCapped = c.paid > 0 && c.capped === c.paid;
  return {
    id: c.id,
    share,
    claims: countText(c.claims),
    eligible: countText(c.eligible),
    paid: countText(c.paid),
    capped: countText(c.capped),
    belowMinimum: countText(c.belowMinimum),
    points: groupDecimal(c.points),
    amount: money(c.amount),
    smallest: c.smallest === null ? null : money(c.smallest),
    largest: c.largest === null ? null : money(c.largest),
    pointValue: allCapped
      ? `all capped at ${maximum === null ? 'the maximum' : money(maximum).text}`
      : c.pointValue === null
        ? '—'
        : `${symbol}${groupDecimal(c.pointValue)}`,
    allCapped,
  };
}

/** A histogram with its amounts as text for the page (`money` formats one amount). */
export function histogramView(h: AmountHistogram, money: (c: Cents) => Money): HistogramView {
  const bars = h.buckets.map((b) => {
    const lo = money(b.lo);
    const hi = money(b.hi);
    return { lo, hi, label: b.lo === b.hi ? lo.text : `${lo.text}–${hi.text}`, count: b.count, countText: countText(b.count) };
  });
  return {
    kind: h.kind,
    width: h.width === undefined ? null : money(h.width),
    bars,
    total: h.total,
    totalText: countText(h.total),
    maxCount: bars.reduce((m, b) => Math.max(m, b.count), 0),
    edges:
      h.kind === 'equal-width' && h.buckets.length > 0
        ? [...h.buckets.map((b) => money(b.lo)), money((h.buckets.at(-1)?.hi ?? 0n) + 1n)]
        : [],
  };
}

/** The allocation method as an auditor would write it down, from what the summary records. */
export function methodInWords(summary: Summary, money: (c: Cents) => Money): string[] {
  const out: string[] = [];
  const seed = `seed "${summary.seed}"`;
  if (summary.mode === 'weights') {
    const weights = summary.classes.map((c) => `${c.id} ${c.weight ?? '?'}`).join(', ');
    out.push(
      `Shares are pro rata to points: a claim's points are its class weight times its units (${weights}). ` +
        `One pool holds the whole net fund of ${money(summary.net).text}.`,
    );
  } else {
    const pools = summary.classes.map((c) => `${c.id} ${c.poolPercent ?? '?'}%`).join(', ');
    out.push(
      `Each class is its own pool with a fixed percent of the net fund (${pools}). The pools' cents are ` +
        `split by largest remainder, ties broken by SHA-256(seed:class_id), ${seed}. Within a pool, shares are pro rata to units.`,
    );
  }
  const pointValues = summary.pools
    .map((p) => `${p.id}: ${p.pointValue === null ? 'no one paid' : `${currencySymbol(summary.currency)}${groupDecimal(p.pointValue)}`}`)
    .join(', ');
  out.push(roundingMethod(summary.rounding).reportParagraph(summary.rounding, { centsPlaced: summary.totals.centsPlaced, seed, pointValues }));
  const below = summary.classes.reduce((n, c) => n + c.belowMinimum, 0);
  const capped = summary.classes.reduce((n, c) => n + c.capped, 0);
  if (summary.minimumPayment !== null) {
    out.push(
      `Minimum payment ${money(summary.minimumPayment).text}: claims whose payment would be smaller are not paid ` +
        `(${claimCount(below)} here); their share goes to the others.`,
    );
  }
  if (summary.maximumPayment !== null) {
    out.push(
      `Maximum payment ${money(summary.maximumPayment).text}: no claim is paid more ` +
        `(${claimCount(capped)} capped here); the excess goes to the others.`,
    );
  }
  const recipient = summary.residualRecipient ? ` goes to the ${summary.residualRecipient.replace(/^the /i, '')}` : ' is residual';
  out.push(`The residual of ${money(summary.totals.residual).text}${recipient}.`);
  return out;
}

export function fileRows(manifest: Manifest): FileRow[] {
  const rows = (n: number | undefined): string => (n === undefined ? '' : `, ${countOf(n, 'row')}`);
  const inputs: FileRow[] = [];
  if (manifest.claims) {
    inputs.push({ role: 'claims', file: manifest.claims.file, sha256: manifest.claims.sha256, detail: `claims${rows(manifest.claims.rows)}` });
  }
  for (const [what, ref] of Object.entries(manifest.inputs ?? {})) {
    inputs.push({ role: 'claims', file: ref.file, sha256: ref.sha256, detail: `${what}${rows(ref.rows)}` });
  }
  return [
    { role: 'plan', file: manifest.plan.file, sha256: manifest.plan.sha256, detail: 'plan' },
    ...inputs,
    ...manifest.outputs.map((o) => ({
      role: 'output' as const,
      file: o.file,
      sha256: o.sha256,
      detail: `output, ${countOf(o.bytes, 'byte')}${o.rows === undefined ? '' : `, ${countOf(o.rows, 'row')}`}`,
    })),
  ];
}
