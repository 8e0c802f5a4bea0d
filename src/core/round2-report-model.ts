/**
 * The view model of a second round's report (`payout report DIR2` after `payout redistribute`):
 * where the money came from (first-round residual + uncashed payments − costs = available), who
 * shared it and by which rule (docs/spec.md §6 and §6a), what was paid, and the cross-checks of
 * ledger.csv against summary.json. Pure: no I/O, no clock; money stays bigint cents with its
 * text beside it, as in report-model.ts, whose pieces (waterfall ticks, histogram, file rows,
 * checks) it shares.
 */
import type { AmountHistogram } from './amount-histogram.js';
import { claimCount, compactMoney, countOf, countText, currencySymbol, groupDecimal } from './display-numbers.js';
import { formatMoneyHuman, type Cents } from './money.js';
import { axisTicks, fileRows, histogramView, type Check, type FileRow, type HistogramView, type Money, type Waterfall, type WaterfallStep } from './report-model.js';
import type { Manifest } from './report-input.js';
import type { Round2Class, Round2Summary } from './round2-report-input.js';
import { unpaidRow, type UnpaidRow, type UnpaidView } from './report-unpaid.js';

/** What streaming a second round's ledger.csv found. */
export interface Round2LedgerTally {
  rows: number;
  /** Σ amount over all rows. */
  amountCents: Cents;
  /** Rows with an amount above 0. */
  paidClaims: number;
  outcomes: { paid: number; capped: number; belowMinimum: number; uncashed: number; ineligible: number };
  /**
   * Rows paid 0.00, by outcome: `capped` ones had no room under the maximum, `paid` ones a share
   * under one cent; `other`, rows of an outcome a second round does not write.
   */
  unpaid: { uncashed: number; ineligible: number; belowMinimum: number; capped: number; paid: number; other: number };
  /** Σ first_amount of the `uncashed` rows. */
  uncashedFirstCents: Cents;
  /** Σ first_amount of the cashed rows (`paid`, `capped`, `below_minimum`). */
  cashedFirstCents: Cents;
  /** The amounts above 0. */
  histogram: AmountHistogram;
}

export interface Round2ClassRow {
  id: string;
  claims: string;
  cashed: string;
  uncashed: string;
  ineligible: string;
  belowMinimum: string;
  capped: string;
  paid: string;
  /** Σ points of the cashed claims: first-round exact shares (or amounts, after a bucket plan). */
  points: string;
  amount: Money;
  smallest: Money | null;
  largest: Money | null;
}

export interface Round2ReportModel {
  caseName: string;
  currency: string;
  tool: { name: string; version: string };
  planFile: string;
  planSha256: string;
  seed: string;
  firstSeed: string;
  /** True after a bucket plan: the points are the first-round amounts. */
  byAmount: boolean;
  figures: { returned: Money; costs: Money; available: Money; paid: Money; residual: Money };
  firstRound: { claims: string; paid: string; amount: Money; residual: Money };
  sources: { label: string; how: string; sign: '' | '+' | '−' | '='; amount: Money; field: string }[];
  uncashedClaims: string;
  /** Rows of ledger.csv. */
  ledgerRows: string;
  paidClaims: string;
  totalClaims: string;
  /**
   * Who share the available amount, the subject and verb of the rule's sentence and the word for
   * their points (`The 1,828 claims that cashed their first payment share`, `their`; `The 1 claim
   * that cashed its first payment shares`, `its`); null when no claim cashed.
   */
  sharedBy: { subject: string; their: string } | null;
  /** `0.077102 per 1.00 of first-round share`, or null when no claim was paid below its room. */
  perShare: string | null;
  /** `first-round exact share` or `first-round amount`, as summary.json says. */
  points: string;
  waterfall: Waterfall;
  classes: Round2ClassRow[];
  totals: Round2ClassRow;
  /** Every row of ledger.csv by its outcome (the checks compare these counts with summary.json). */
  outcomes: { outcome: string; label: string; count: number; countText: string }[];
  /** The minimum's effect in words, or null when the plan has none. */
  minimum: string | null;
  /** Who got nothing in this round and why, from ledger.csv (checked against summary.json below). */
  unpaid: UnpaidView;
  histogram: HistogramView;
  method: string[];
  files: FileRow[];
  checks: Check[];
}

export function buildRound2ReportModel(summary: Round2Summary, manifest: Manifest, ledger: Round2LedgerTally): Round2ReportModel {
  const symbol = currencySymbol(summary.currency);
  const money = (cents: Cents): Money => ({ cents, text: formatMoneyHuman(cents, symbol), short: compactMoney(cents, symbol) });
  const a = summary.available;
  const t = summary.totals;
  const byAmount = summary.points === 'first-round amount';
  const unit = byAmount ? 'paid in the first round' : 'of first-round share';
  return {
    caseName: summary.case,
    currency: summary.currency,
    tool: manifest.tool,
    planFile: manifest.plan.file,
    planSha256: manifest.plan.sha256,
    seed: summary.seed,
    firstSeed: summary.firstRound.seed,
    byAmount,
    figures: {
      returned: money(a.firstRoundResidual + a.uncashedAmount),
      costs: money(a.costs),
      available: money(a.available),
      paid: money(t.amount),
      residual: money(t.residual),
    },
    firstRound: { claims: countOf(summary.firstRound.claims, 'claim'), paid: countText(summary.firstRound.paid), amount: money(summary.firstRound.amount), residual: money(summary.firstRound.residual) },
    sources: [
      { label: 'First-round residual', how: 'what the first round did not pay (its summary.json)', sign: '', amount: money(a.firstRoundResidual), field: 'firstRoundResidual' },
      { label: 'Uncashed payments', how: uncashedHow(a.uncashedClaims), sign: '+', amount: money(a.uncashedAmount), field: 'uncashedAmount' },
      { label: 'Costs', how: 'the costs of the second distribution, held back from it', sign: '−', amount: money(a.costs), field: 'costs' },
      { label: 'Available', how: 'for the claimants who cashed', sign: '=', amount: money(a.available), field: 'available' },
    ],
    uncashedClaims: countText(a.uncashedClaims),
    ledgerRows: countText(ledger.rows),
    paidClaims: countText(t.paid),
    totalClaims: countOf(t.claims, 'claim'),
    sharedBy: sharedBy(t.eligible),
    perShare: summary.perFirstRoundShare === null ? null : `${symbol}${groupDecimal(summary.perFirstRoundShare)} per ${symbol}1.00 ${unit}`,
    points: summary.points,
    waterfall: round2Waterfall(summary, money),
    classes: summary.classes.map((c) => classRow(c, money)),
    totals: classRow({ ...t, id: 'All classes', smallest: null, largest: null }, money),
    outcomes: (
      [
        ['paid', 'Paid (cashed in the first round)', ledger.outcomes.paid],
        ['capped', 'Capped at the maximum over both rounds (paid up to their room, 0 with none)', ledger.outcomes.capped],
        ['below_minimum', 'Removed by the minimum payment', ledger.outcomes.belowMinimum],
        ['uncashed', 'Uncashed in the first round: nothing now', ledger.outcomes.uncashed],
        ['ineligible', 'Not paid in the first round: nothing now', ledger.outcomes.ineligible],
      ] as const
    )
      .filter(([outcome, , count]) => count !== 0 || outcome === 'paid' || outcome === 'uncashed')
      .map(([outcome, label, count]) => ({ outcome, label, count, countText: countText(count) })),
    minimum:
      summary.minimumPayment === null
        ? null
        : t.belowMinimum === 0
          ? `No claim was removed by the minimum payment of ${money(summary.minimumPayment).text}.`
          : `${claimCount(t.belowMinimum)} whose second amount would have been below the minimum payment of ${money(summary.minimumPayment).text} ${t.belowMinimum === 1 ? 'was' : 'were'} removed (all claims of one points value together) and paid nothing; their share went to the others.`,
    unpaid: round2Unpaid(summary, ledger, money),
    histogram: histogramView(ledger.histogram, money),
    method: round2Method(summary, money),
    files: fileRows(manifest),
    checks: round2Checks(summary, manifest, ledger, money),
  };
}

/**
 * The "Claims not paid" table of a second round: ledger.csv's rows paid 0.00 by reason (uncashed
 * in the first round, not paid in the first round, removed by the minimum, no room under the
 * maximum over both rounds, a share under one cent), each only when there are some.
 */
export function round2Unpaid(summary: Round2Summary, ledger: Round2LedgerTally, money: (c: Cents) => Money): UnpaidView {
  const u = ledger.unpaid;
  const rows: UnpaidRow[] = [];
  if (u.uncashed > 0) rows.push(unpaidRow('uncashed', u.uncashed, 'Did not cash the first payment (in the uncashed list): its amount came back for the others'));
  if (u.ineligible > 0) rows.push(unpaidRow('notPaidFirstRound', u.ineligible, 'Not paid in the first round: only claims paid then share the second'));
  if (u.belowMinimum > 0) {
    const min = summary.minimumPayment === null ? '' : ` of ${money(summary.minimumPayment).text}`;
    rows.push(unpaidRow('belowMinimum', u.belowMinimum, `Below the minimum payment${min}: removed by the minimum rule`));
  }
  if (u.capped > 0) {
    const max = summary.maximumPayment === null ? '' : ` of ${money(summary.maximumPayment).text}`;
    rows.push(unpaidRow('cappedToZero', u.capped, `No room under the maximum payment${max} over both rounds`));
  }
  if (u.paid > 0) {
    const how = summary.rounding.method === 'per-point' ? 'floored to the cent' : `left at ${money(0n).text} by the remainder rule`;
    rows.push(unpaidRow('roundedToZero', u.paid, `A share under one cent, ${how}`));
  }
  const total = rows.reduce((n, r) => n + r.count, 0);
  return { rows, total: { count: total, text: countText(total), of: countOf(ledger.rows, 'claim') }, notes: [] };
}

function classRow(c: Round2Class, money: (c: Cents) => Money): Round2ClassRow {
  return {
    id: c.id,
    claims: countText(c.claims),
    cashed: countText(c.eligible),
    uncashed: countText(c.uncashed),
    ineligible: countText(c.ineligible),
    belowMinimum: countText(c.belowMinimum),
    capped: countText(c.capped),
    paid: countText(c.paid),
    points: groupDecimal(c.eligibleFirstShare),
    amount: money(c.amount),
    smallest: c.smallest === null ? null : money(c.smallest),
    largest: c.largest === null ? null : money(c.largest),
  };
}

/** First-round residual → uncashed payments → costs → available; then available split into paid and residual. */
export function round2Waterfall(summary: Round2Summary, money: (c: Cents) => Money): Waterfall {
  const a = summary.available;
  const steps: WaterfallStep[] = [
    { kind: 'gross', label: 'First-round residual', amount: money(a.firstRoundResidual), base: 0n },
    { kind: 'interest', label: 'Uncashed payments', amount: money(a.uncashedAmount), base: a.firstRoundResidual },
  ];
  if (a.costs > 0n) {
    const left = a.firstRoundResidual + a.uncashedAmount - a.costs;
    steps.push({ kind: 'deduction', label: 'Costs', amount: money(a.costs), base: left < 0n ? 0n : left, note: 'costs of the second distribution' });
  }
  steps.push({ kind: 'net', label: 'Available', amount: money(a.available), base: 0n });
  steps.push({ kind: 'paid', label: 'Paid to claimants', amount: money(summary.totals.amount), base: 0n });
  steps.push({ kind: 'residual', label: 'Residual', amount: money(summary.totals.residual), base: summary.totals.amount });
  const top = steps.reduce((m, s) => (s.base + s.amount.cents > m ? s.base + s.amount.cents : m), 0n);
  return { steps, top, ticks: axisTicks(top).map(money) };
}

/** The subject of the rule's sentence, agreeing with the number of claims that cashed (null: none did). */
function sharedBy(cashed: number): { subject: string; their: string } | null {
  if (cashed === 0) return null;
  return cashed === 1 ? { subject: 'The 1 claim that cashed its first payment shares', their: 'its' } : { subject: `The ${countOf(cashed, 'claim')} that cashed their first payment share`, their: 'their' };
}

/** What the uncashed payments are, in the table of sources: one amount per claim of the list. */
const uncashedHow = (n: number): string =>
  n === 0 ? 'none: the uncashed list names no claim' : n === 1 ? 'the first-round amount of the 1 claim in the uncashed list' : `the first-round amounts of the ${countOf(n, 'claim')} in the uncashed list`;

/** The same in the method's sentence. */
const uncashedAmounts = (n: number): string => (n === 0 ? 'no claim in the uncashed list' : n === 1 ? 'the first-round amount of 1 claim' : `the first-round amounts of ${countOf(n, 'claim')}`);

/** Where the cents left after the floors go, agreeing with their number (none: said so). */
const leftoverCents = (k: number): string => (k === 0 ? 'no cent was left over here; any leftover cents would go' : k === 1 ? 'the 1 leftover cent goes' : `the ${countOf(k, 'leftover cent')} go`);

/** The second round's rule as an auditor would write it down (docs/spec.md §6, §6a). */
export function round2Method(summary: Round2Summary, money: (c: Cents) => Money): string[] {
  const a = summary.available;
  const byAmount = summary.points === 'first-round amount';
  const out = [
    `Available = first-round residual ${money(a.firstRoundResidual).text} + uncashed payments ${money(a.uncashedAmount).text} ` +
      `(${uncashedAmounts(a.uncashedClaims)}) − costs ${money(a.costs).text} = ${money(a.available).text}.`,
    `It goes to the claims that cashed: paid${byAmount ? '' : ' or capped'} in the first round with an amount above 0 and not in the uncashed list ` +
      `(${countText(summary.totals.eligible)} here). The others get nothing now: uncashed, or not paid in the first round.`,
    byAmount
      ? 'Shares are pro rata to the first-round amount (a bucket plan, docs/spec.md §6a): one pool; the buckets\' caps do not apply to the second round.'
      : 'Shares are pro rata to the first-round exact share (the share column of the first ledger, docs/spec.md §6), so claims of equal entitlement are treated alike whatever cent the first round paid them.',
  ];
  if (summary.maximumPayment !== null) {
    out.push(
      `Maximum payment ${money(summary.maximumPayment).text} over both rounds: a claim's room is the maximum less its first-round amount ` +
        `(${claimCount(summary.totals.capped)} capped here); the excess goes to the others.`,
    );
  }
  if (summary.minimumPayment !== null) {
    out.push(
      `Minimum payment ${money(summary.minimumPayment).text} on the second-round amount: while the claims with the smallest points would get less, ` +
        `they are all removed and the shares recomputed (${claimCount(summary.totals.belowMinimum)} removed here).`,
    );
  }
  const seed = `seed "${summary.seed}" (the first round's "${summary.firstRound.seed}" + ":round-2")`;
  out.push(
    summary.rounding.method === 'per-point'
      ? `Cents per point: every exact share is floored to the cent, so claims of equal points and room get equal amounts; what is left is residual; ${seed}.`
      : `Cents by largest remainder: each claim gets the floor of its exact share in cents; ${leftoverCents(summary.totals.centsPlaced)} one each ` +
          `to the largest remainders, ties broken by SHA-256(seed:claim_id), the smaller hex key first, ${seed}.`,
  );
  const recipient = summary.residualRecipient ? ` goes to the ${summary.residualRecipient.replace(/^the /i, '')}` : ' is residual';
  out.push(`The residual of ${money(summary.totals.residual).text}${recipient}.`);
  return out;
}

const check = (label: string, failure: string, ok: boolean, detail: string): Check => ({ label, failure, ok, detail });

function round2Checks(summary: Round2Summary, manifest: Manifest, ledger: Round2LedgerTally, money: (c: Cents) => Money): Check[] {
  const a = summary.available;
  const t = summary.totals;
  const o = ledger.outcomes;
  const sum = a.firstRoundResidual + a.uncashedAmount - a.costs;
  const paidPlusResidual = t.amount + t.residual;
  const manifestRows = manifest.outputs.find((f) => f.file === 'ledger.csv')?.rows;
  const cashed = o.paid + o.capped + o.belowMinimum;
  return [
    check(
      'First-round residual plus uncashed less costs is the available amount',
      'first-round residual plus uncashed less costs is not the available amount',
      sum === a.available,
      `${money(a.firstRoundResidual).text} + ${money(a.uncashedAmount).text} − ${money(a.costs).text} = ${money(sum).text}`,
    ),
    check('Paid plus residual is the available amount', 'paid plus residual is not the available amount', paidPlusResidual === a.available, `${money(t.amount).text} + ${money(t.residual).text} = ${money(paidPlusResidual).text}`),
    check('ledger.csv amounts add up to the amount paid', 'ledger.csv amounts do not add up to the amount paid', ledger.amountCents === t.amount, `Σ amount = ${money(ledger.amountCents).text}`),
    check(
      'ledger.csv has the paid claims of the summary',
      'ledger.csv does not have the paid claims of the summary',
      ledger.paidClaims === t.paid,
      `${countText(ledger.paidClaims)} paid above 0 of ${countOf(ledger.rows, 'row')}; summary ${countText(t.paid)}`,
    ),
    check(
      "ledger.csv's uncashed claims are the summary's",
      "ledger.csv's uncashed claims are not the summary's",
      o.uncashed === a.uncashedClaims && o.uncashed === t.uncashed && ledger.uncashedFirstCents === a.uncashedAmount,
      `${countText(o.uncashed)} uncashed, Σ first_amount = ${money(ledger.uncashedFirstCents).text}`,
    ),
    check(
      "ledger.csv's cashed claims are the summary's",
      "ledger.csv's cashed claims are not the summary's",
      cashed === t.eligible && o.belowMinimum === t.belowMinimum && o.capped === t.capped && o.ineligible === t.ineligible && ledger.cashedFirstCents === t.eligibleFirstAmount,
      `${countText(cashed)} cashed (${countText(o.belowMinimum)} below the minimum, ${countText(o.capped)} capped), Σ first_amount = ${money(ledger.cashedFirstCents).text}; ${countText(o.ineligible)} not eligible`,
    ),
    unpaidCheck(t, ledger, money),
    check(
      'ledger.csv has one row per claim',
      'ledger.csv does not have one row per claim',
      ledger.rows === t.claims && (manifestRows === undefined || manifestRows === ledger.rows),
      `${countOf(ledger.rows, 'row')}; summary ${countOf(t.claims, 'claim')}${manifestRows === undefined ? '' : `; manifest ${countOf(manifestRows, 'row')}`}`,
    ),
  ];
}

/**
 * The table of claims not paid against summary.json: every row paid 0.00 has a reason (claims less
 * those paid above 0), and the uncashed, not paid in the first round and below the minimum are the
 * summary's counts (all of those rows are paid 0.00).
 */
function unpaidCheck(t: Round2Summary['totals'], ledger: Round2LedgerTally, money: (c: Cents) => Money): Check {
  const u = ledger.unpaid;
  const reasons = u.uncashed + u.ineligible + u.belowMinimum + u.capped + u.paid;
  return check(
    "ledger.csv's claims not paid are the summary's",
    "ledger.csv's claims not paid are not the summary's",
    u.other === 0 && reasons === t.claims - t.paid && u.uncashed === t.uncashed && u.ineligible === t.ineligible && u.belowMinimum === t.belowMinimum && u.capped <= t.capped,
    `${countOf(reasons + u.other, 'row')} paid ${money(0n).text}${u.other > 0 ? ` (${countText(u.other)} of an unknown outcome)` : ''}; summary ${countOf(t.claims, 'claim')}, ${countText(t.paid)} paid above 0`,
  );
}
