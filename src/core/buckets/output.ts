/**
 * The files of a bucket plan's run: ledger.csv (one amount column per bucket, in funding order,
 * then the total) and summary.json (per-bucket figures: claimed, cap, set aside, funded, paid,
 * reduction). Deterministic text: same inputs, same bytes.
 */
import { formatRationalHalfEven, ratDiv, ratSub, type Rational } from '../decimal.js';
import { computeNetFund, type NetFund } from '../fund.js';
import { formatMoney } from '../money.js';
import { csvField, textCell } from '../csv-cell.js';
import type { BucketAllocation } from './allocate.js';
import { bucketLedgerColumns, type BucketClaim } from './claims.js';
import type { BucketPlan } from './plan.js';
import { placedCount } from '../rounding/method.js';
import type { ExpectedLedger } from '../ledger-compare.js';
import { byStatusJson, type ReceiptsJson } from '../summary.js';

export const BUCKET_SUMMARY_FORMAT = 'payout-bucket-summary/1';

/** The ledger's header: the bucket columns (bucketLedgerColumns), then the --keep columns as named. */
export function bucketLedgerHeader(plan: BucketPlan, keep: readonly string[] = []): string {
  return `${[...bucketLedgerColumns(plan), ...keep.map(csvField)].join(',')}\n`;
}

/** The ledger's rows in input order, in chunks of text; a claim's --keep cells close its row. */
export function* bucketLedgerRows(claims: readonly BucketClaim[], alloc: BucketAllocation, rowsPerChunk = 4096): Generator<string> {
  let out = '';
  for (const [i, c] of claims.entries()) {
    const kept = c.kept === undefined ? '' : c.kept.map((k) => `,${textCell(k)}`).join('');
    out += `${textCell(c.id)},${textCell(c.status)},${alloc.outcomes[i]},${alloc.cents[i]!.map(formatMoney).join(',')},${formatMoney(alloc.totals[i]!)}${kept}\n`;
    if ((i + 1) % rowsPerChunk === 0) {
      yield out;
      out = '';
    }
  }
  if (out !== '') yield out;
}

/**
 * The ledger cell by cell, as read back (formula guards removed, quoting undone): what `verify`
 * compares ledger.csv with, and the rows the receipts root is made of (docs/receipts.md).
 */
export function bucketLedger(plan: BucketPlan, claims: readonly BucketClaim[], alloc: BucketAllocation, keep: readonly string[] = []): ExpectedLedger {
  const standard = bucketLedgerColumns(plan);
  const amountColumn = standard.length - 1;
  return {
    columns: [...standard, ...keep],
    idColumn: 'claim_id',
    amountColumn: 'amount',
    count: claims.length,
    id: (row) => claims[row]!.id,
    cell(row, col) {
      const c = claims[row]!;
      if (col === 0) return c.id;
      if (col === 1) return c.status;
      if (col === 2) return alloc.outcomes[row]!;
      if (col === amountColumn) return formatMoney(alloc.totals[row]!);
      if (col > amountColumn) return c.kept?.[col - amountColumn - 1] ?? '';
      return formatMoney(alloc.cents[row]![col - 3]!);
    },
  };
}

/** Exact cents written in the currency unit with 6 decimals, half-even (information only). */
const money6 = (r: Rational): string => formatRationalHalfEven({ n: r.n, d: r.d * 100n }, 6);

export interface BucketSummaryJson {
  format: string;
  case: string;
  currency: string;
  mode: 'buckets';
  rounding: { method: 'largest-remainder'; ties: string };
  seed: string;
  fund: { gross: string; interest: string; fund: string };
  deductions: { label: string; rule: string; amount: string; remaining: string }[];
  net: string;
  buckets: {
    id: string;
    label: string;
    kind: string;
    order: number;
    protected: boolean;
    residual: boolean;
    perClaimCap: string | null;
    totalCap: string | null;
    claims: number;
    claimed: string | null;
    points: string | null;
    setAside: string;
    funded: string;
    paid: string;
    reductionPercent: string | null;
    centsPlaced: number;
  }[];
  claims: { rows: number; eligible: number; paid: number; belowMinimum: number; nothingClaimed: number; ineligible: number };
  unpaid: BucketUnpaidJson;
  minimumPayment: string | null;
  totalPaid: string;
  residual: string;
  residualRecipient: string | null;
  /**
   * What the reading found that the record of the run must show: rows whose blank status was read
   * as approved (`blank_status`). Present only when there are some, as in a classes summary.
   */
  warnings?: { blankStatuses: number };
  /** The Merkle root over the ledger's rows (docs/receipts.md): the last key, added once the ledger is made. */
  receipts?: ReceiptsJson;
}

/**
 * Why claims were paid nothing (docs/outputs.md, `unpaid`), as a classes plan's summary says it,
 * with the reasons of a bucket plan: a status not eligible (by status, most first); removed by the
 * minimum payment; eligible but claiming nothing in any bucket; claiming only in buckets that had
 * nothing for them (exact share 0: the buckets funded before them left no money, or a total or
 * per-claim cap of 0.00); a share under one cent in every bucket, left at 0.00 by the remainder
 * rule. The last three are the ledger's
 * `nothing_claimed`. `claims` is their sum: every row of the ledger whose amount is 0.00.
 */
export interface BucketUnpaidJson {
  claims: number;
  byStatus: { status: string; claims: number }[];
  belowMinimum: number;
  noEntitlement: number;
  unfunded: number;
  roundedToZero: number;
}

/** The claims of `alloc` paid nothing, and why (see BucketUnpaidJson). */
export function bucketUnpaidJson(claims: readonly BucketClaim[], alloc: BucketAllocation): BucketUnpaidJson {
  const perStatus = new Map<string, number>();
  let belowMinimum = 0;
  let noEntitlement = 0;
  let unfunded = 0;
  let roundedToZero = 0;
  for (const [i, c] of claims.entries()) {
    const outcome = alloc.outcomes[i];
    if (outcome === 'ineligible') perStatus.set(c.status, (perStatus.get(c.status) ?? 0) + 1);
    else if (outcome === 'below_minimum') belowMinimum++;
    else if (alloc.totals[i] !== 0n) continue;
    else if (!c.inputs.some((x) => x.n > 0n)) noEntitlement++;
    else if (alloc.shares[i]!.every((x) => x.n === 0n)) unfunded++;
    else roundedToZero++;
  }
  const byStatus = byStatusJson([...perStatus].map(([status, n]) => ({ status, claims: n })));
  const ineligible = byStatus.reduce((n, x) => n + x.claims, 0);
  return { claims: ineligible + belowMinimum + noEntitlement + unfunded + roundedToZero, byStatus, belowMinimum, noEntitlement, unfunded, roundedToZero };
}

/** What the reading of the claims found that summary.json records (see BucketSummaryJson.warnings). */
export interface BucketClaimsFindings {
  blankStatuses: number;
}

export function buildBucketSummary(plan: BucketPlan, claims: readonly BucketClaim[], alloc: BucketAllocation, findings?: BucketClaimsFindings): BucketSummaryJson {
  const fund = computeNetFund(plan) as NetFund;
  const count = (o: string): number => alloc.outcomes.filter((x) => x === o).length;
  const summary: BucketSummaryJson = {
    format: BUCKET_SUMMARY_FORMAT,
    case: plan.name,
    currency: plan.currency,
    mode: 'buckets',
    rounding: { method: 'largest-remainder', ties: 'SHA-256(seed:bucket_id:claim_id)' },
    seed: plan.seed,
    fund: { gross: formatMoney(fund.gross), interest: formatMoney(fund.interest), fund: formatMoney(fund.fund) },
    deductions: fund.deductions.map((d) => ({ label: d.label, rule: d.rule, amount: formatMoney(d.amount), remaining: formatMoney(d.remaining) })),
    net: formatMoney(fund.net),
    buckets: alloc.buckets.map((f) => ({
      id: f.bucket.id,
      label: f.bucket.label,
      kind: f.bucket.kind,
      order: f.bucket.order,
      protected: f.bucket.protected,
      residual: f.bucket.residual,
      perClaimCap: f.bucket.perClaimCap === null ? null : formatMoney(f.bucket.perClaimCap),
      totalCap: f.bucket.totalCap === null ? null : formatMoney(f.bucket.totalCap),
      claims: f.claims,
      claimed: f.claimed === null ? null : money6(f.claimed),
      points: f.points === null ? null : formatRationalHalfEven(f.points, 6),
      setAside: money6(f.floor),
      funded: money6(f.funded),
      paid: formatMoney(f.paid),
      // (claimed − funded) / claimed: how much of what was claimed the bucket did not pay
      reductionPercent: f.claimed === null || f.claimed.n === 0n ? null : formatRationalHalfEven(ratDiv({ n: ratSub(f.claimed, f.funded).n * 100n, d: ratSub(f.claimed, f.funded).d }, f.claimed), 6),
      centsPlaced: placedCount(f.centsPlaced),
    })),
    claims: {
      rows: claims.length,
      eligible: claims.filter((c) => c.eligible).length,
      paid: count('paid'),
      belowMinimum: count('below_minimum'),
      nothingClaimed: count('nothing_claimed'),
      ineligible: count('ineligible'),
    },
    unpaid: bucketUnpaidJson(claims, alloc),
    minimumPayment: plan.minimumPayment === null ? null : formatMoney(plan.minimumPayment),
    totalPaid: formatMoney(alloc.paid),
    residual: formatMoney(alloc.residual),
    residualRecipient: plan.residualRecipient,
  };
  if ((findings?.blankStatuses ?? 0) > 0) summary.warnings = { blankStatuses: findings!.blankStatuses };
  return summary;
}

export function bucketSummaryText(s: BucketSummaryJson): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}
