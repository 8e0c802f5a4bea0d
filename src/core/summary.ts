/**
 * summary.json (docs/spec.md §5, docs/outputs.md): the allocation's totals as plain JSON data with a
 * fixed key order, so the same inputs give the same bytes on every run and machine.
 */
import { exactDecimal, formatRationalHalfEven, type Rational } from './decimal.js';
import { formatMoney, type Cents } from './money.js';
import type { Plan } from './plan.js';
import type { Allocation } from './allocate.js';
import type { NetFund } from './fund.js';
import type { ClaimTable } from './claims.js';
import { eligibleStatusFlags } from './points.js';
import { placedCount } from './rounding/method.js';

export const SUMMARY_FORMAT = 'payout-summary/1';

const money = (c: Cents): string => formatMoney(c);
const moneyOrNull = (c: Cents | null): string | null => (c === null ? null : formatMoney(c));

/** Points are exact decimals (weight × units); written in their shortest form. */
export function pointsText(r: Rational): string {
  return exactDecimal(r) ?? formatRationalHalfEven(r, 6);
}

/** Cents per point → currency units per point, 6 decimals, half-even (information only). */
export function perPointText(centsPerPoint: Rational | null): string | null {
  return centsPerPoint === null ? null : formatRationalHalfEven({ n: centsPerPoint.n, d: centsPerPoint.d * 100n }, 6);
}

/** The fund, each deduction and the net, as the summary and the estimate print them. */
export function netFundJson(f: NetFund): Pick<SummaryJson, 'fund' | 'deductions' | 'totalDeductions' | 'net'> {
  return {
    fund: { gross: money(f.gross), interest: money(f.interest), fund: money(f.fund) },
    deductions: f.deductions.map((d) => ({ label: d.label, rule: d.rule, amount: money(d.amount), remaining: money(d.remaining) })),
    totalDeductions: money(f.totalDeductions),
    net: money(f.net),
  };
}

export interface SummaryJson {
  format: string;
  case: string;
  currency: string;
  mode: Plan['mode'];
  rounding: Plan['rounding'];
  seed: string;
  fund: { gross: string; interest: string; fund: string };
  deductions: { label: string; rule: string; amount: string; remaining: string }[];
  totalDeductions: string;
  net: string;
  minimumPayment: string | null;
  maximumPayment: string | null;
  pools: {
    id: string;
    net: string;
    eligiblePoints: string;
    paidPoints: string;
    pointValue: string | null;
    paid: string;
    residual: string;
    centsPlaced: number;
  }[];
  classes: {
    id: string;
    weight: string | null;
    poolPercent: string | null;
    claims: number;
    eligible: number;
    paid: number;
    capped: number;
    belowMinimum: number;
    ineligible: number;
    eligiblePoints: string;
    points: string;
    amount: string;
    smallest: string | null;
    largest: string | null;
    pointValue: string | null;
  }[];
  totals: { claims: number; eligible: number; paid: number; amount: string; residual: string; centsPlaced: number };
  unpaid: UnpaidJson;
  residualRecipient: string | null;
  check: { paidPlusResidual: string; net: string; balanced: boolean };
  /**
   * Warnings about the claims an administrator must see in the record of the run: claim ids
   * that differ but look alike (`lookalike_claim_id`), blank statuses read as approved
   * (`blank_status`). Each present only when there are some, so the summary of a run without
   * them is as it always was.
   */
  warnings?: { lookAlikeClaimIds?: number; blankStatuses?: number };
  /** The Merkle root over the ledger's rows (docs/receipts.md): added once the ledger is made. */
  receipts?: ReceiptsJson;
}

/**
 * Why claims were paid nothing, counted: the claims whose status is not eligible, by status (most
 * first, then by status); those removed by the minimum payment; those capped at a maximum of 0.00;
 * those paid (outcome `paid`) a share under one cent that the remainder rule left at 0.00. `claims`
 * is their sum: every claim of the ledger whose amount is 0.00.
 */
export interface UnpaidJson {
  claims: number;
  byStatus: { status: string; claims: number }[];
  belowMinimum: number;
  cappedToZero: number;
  roundedToZero: number;
}

/**
 * `unpaid.byStatus`: the statuses with claims, the most first, then by status (code-unit order),
 * as a classes plan's and a bucket plan's summary write them.
 */
export function byStatusJson(counts: Iterable<{ status: string; claims: number }>): { status: string; claims: number }[] {
  return [...counts]
    .filter((x) => x.claims > 0)
    .map(({ status, claims }) => ({ status, claims }))
    .sort((a, b) => b.claims - a.claims || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0));
}

/** The claims of `alloc` paid nothing, and why (see UnpaidJson). */
export function unpaidJson(plan: Pick<Plan, 'eligibleStatuses'>, alloc: Allocation, claims: Pick<ClaimTable, 'count' | 'statusIndex' | 'statuses'>): UnpaidJson {
  // A claim is ineligible exactly when its status is (points.ts): count the rows per status.
  const perStatus = new Array<number>(claims.statuses.length).fill(0);
  for (let i = 0; i < claims.count; i++) {
    const s = claims.statusIndex[i] as number;
    perStatus[s] = (perStatus[s] as number) + 1;
  }
  const eligible = eligibleStatusFlags(plan, claims.statuses);
  const byStatus = byStatusJson(
    claims.statuses.map((status, s) => ({ status, claims: eligible[s] === 1 ? 0 : (perStatus[s] as number) })),
  );
  let belowMinimum = 0;
  let cappedToZero = 0;
  let roundedToZero = 0;
  for (const cell of alloc.cells) {
    if (cell.outcome === 'below_minimum') belowMinimum += cell.count;
    else if (cell.floor === 0n && cell.outcome === 'capped') cappedToZero += cell.count - cell.extraCount;
    else if (cell.floor === 0n && cell.outcome === 'paid') roundedToZero += cell.count - cell.extraCount;
  }
  const ineligible = byStatus.reduce((n, x) => n + x.claims, 0);
  return { claims: ineligible + belowMinimum + cappedToZero + roundedToZero, byStatus, belowMinimum, cappedToZero, roundedToZero };
}

/** summary.json's and manifest.json's `receipts`: the encoding, the root (hex) and the number of leaves. */
export interface ReceiptsJson {
  encoding: string;
  root: string;
  leaves: number;
}

/** What the reading of the claims found that summary.json records (see SummaryJson.warnings). */
export interface ClaimsFindings {
  lookAlikeClaimIds: number;
  /** Rows whose status cell was blank and read as approved (plan `blankStatus: "approved"`). */
  blankStatuses?: number;
}

function findingsJson(findings: ClaimsFindings | undefined): SummaryJson['warnings'] | undefined {
  if (findings === undefined) return undefined;
  const out: NonNullable<SummaryJson['warnings']> = {};
  if (findings.lookAlikeClaimIds > 0) out.lookAlikeClaimIds = findings.lookAlikeClaimIds;
  if ((findings.blankStatuses ?? 0) > 0) out.blankStatuses = findings.blankStatuses as number;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * summary.json of an allocation. `claims` is the table it was made from (for the statuses of the
 * claims not paid); `findings`, what reading it found.
 */
export function buildSummary(
  plan: Plan,
  alloc: Allocation,
  claims: Pick<ClaimTable, 'count' | 'statusIndex' | 'statuses'>,
  findings?: ClaimsFindings,
): SummaryJson {
  const warnings = findingsJson(findings);
  const f = alloc.fund;
  const poolOfClass = (ci: number) => alloc.pools.find((p) => p.classIndex === ci) ?? alloc.pools[0];
  const pointValueOf = (p: Allocation['pools'][number] | undefined) =>
    p === undefined ? null : perPointText(p.pointValue ?? p.level);
  const classes = alloc.classes.map((c) => {
    const pc = plan.classes[c.classIndex];
    return {
      id: c.id,
      weight: pc?.weightText ?? null,
      poolPercent: pc?.poolPercentText ?? null,
      claims: c.claims,
      eligible: c.eligible,
      paid: c.paid,
      capped: c.capped,
      belowMinimum: c.belowMinimum,
      ineligible: c.ineligible,
      eligiblePoints: pointsText(c.eligiblePoints),
      points: pointsText(c.paidPoints),
      amount: money(c.amountPaid),
      smallest: moneyOrNull(c.smallest),
      largest: moneyOrNull(c.largest),
      pointValue: pointValueOf(poolOfClass(c.classIndex)),
    };
  });
  const sum = (k: 'claims' | 'eligible' | 'paid') => alloc.classes.reduce((a, c) => a + c[k], 0);
  const paidPlusResidual = alloc.totalPaid + alloc.residual;
  return {
    format: SUMMARY_FORMAT,
    case: plan.name,
    currency: plan.currency,
    mode: plan.mode,
    rounding: plan.rounding,
    seed: plan.seed,
    ...netFundJson(f),
    minimumPayment: moneyOrNull(plan.minimumPayment),
    maximumPayment: moneyOrNull(plan.maximumPayment),
    pools: alloc.pools.map((p) => ({
      id: p.classIndex === null ? 'all' : (plan.classes[p.classIndex]?.id ?? String(p.classIndex)),
      net: money(p.net),
      eligiblePoints: pointsText(p.eligiblePoints),
      paidPoints: pointsText(p.paidPoints),
      pointValue: pointValueOf(p),
      paid: money(p.paid),
      residual: money(p.residual),
      centsPlaced: placedCount(p.centsPlaced),
    })),
    classes,
    totals: {
      claims: sum('claims'),
      eligible: sum('eligible'),
      paid: sum('paid'),
      amount: money(alloc.totalPaid),
      residual: money(alloc.residual),
      centsPlaced: placedCount(alloc.centsPlaced),
    },
    unpaid: unpaidJson(plan, alloc, claims),
    residualRecipient: plan.residualRecipient,
    check: { paidPlusResidual: money(paidPlusResidual), net: money(f.net), balanced: paidPlusResidual === f.net },
    ...(warnings !== undefined ? { warnings } : {}),
  };
}

/** The bytes of summary.json: two-space JSON, LF, a final newline. */
export function summaryText(s: SummaryJson): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}
