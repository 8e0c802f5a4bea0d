/**
 * The report's "Claims not paid" section: why claims went unpaid (summary.json `unpaid`), counted
 * by reason, and what the reading of the claims found that a reader must know (summary.json
 * `warnings`: blank statuses read as approved, look-alike claim ids). A bucket plan's page and a
 * second round's page draw the same table from their own reasons. Pure; worded and formatted here.
 */
import { claimCount, countOf, countText } from './display-numbers.js';
import type { Cents } from './money.js';
import type { Summary } from './report-input.js';

export type UnpaidReason =
  | 'status'
  | 'belowMinimum'
  | 'cappedToZero'
  | 'roundedToZero'
  /** A bucket plan: eligible, nothing claimed in any bucket. */
  | 'noEntitlement'
  /** A bucket plan: claimed only in buckets that had nothing for the claim. */
  | 'unfunded'
  /** A second round: the first payment was not cashed. */
  | 'uncashed'
  /** A second round: not paid in the first round. */
  | 'notPaidFirstRound';

export interface UnpaidRow {
  reason: UnpaidReason;
  /** The status, for `status` rows. */
  status?: string;
  label: string;
  count: number;
  countText: string;
}

export interface UnpaidView {
  /** null when summary.json has no `unpaid` (written by an older payout). */
  rows: UnpaidRow[] | null;
  total: { count: number; text: string; /** `4,000 claims`: the claims the count is of. */ of: string } | null;
  /** Sentences about the claims as read: blank statuses, look-alike ids (none: empty). */
  notes: { kind: 'blankStatuses' | 'lookAlikeClaimIds'; count: number; text: string }[];
}

/** The section's content, or null when there is nothing to say (no `unpaid`, no warnings). */
export function unpaidView(summary: Summary, moneyText: (c: Cents) => string): UnpaidView | null {
  const u = summary.unpaid;
  const notes: UnpaidView['notes'] = [];
  const blank = summary.warnings?.blankStatuses ?? 0;
  if (blank > 0) {
    notes.push({
      kind: 'blankStatuses',
      count: blank,
      text: `${claimCount(blank)} had a blank status and ${blank === 1 ? 'was' : 'were'} read as approved (the plan's blankStatus); payout validate lists them with their lines.`,
    });
  }
  const lookAlike = summary.warnings?.lookAlikeClaimIds ?? 0;
  if (lookAlike > 0) {
    notes.push({
      kind: 'lookAlikeClaimIds',
      count: lookAlike,
      text: `${claimCount(lookAlike)} ${lookAlike === 1 ? 'has a claim id that differs' : 'have claim ids that differ'} from another only in letter case, accents or invisible characters; payout validate lists them.`,
    });
  }
  if (u === undefined && notes.length === 0) return null;
  if (u === undefined) return { rows: null, total: null, notes };
  return { ...unpaidRows(u, summary.minimumPayment, summary.totals.claims, moneyText), notes };
}

/** One row of the table. */
export function unpaidRow(reason: UnpaidReason, count: number, label: string, status?: string): UnpaidRow {
  return { reason, ...(status !== undefined ? { status } : {}), label, count, countText: countText(count) };
}

/** summary.json's `unpaid` of a classes plan or of a bucket plan (docs/outputs.md): the counts the table is made of. */
export interface UnpaidCounts {
  claims: number;
  byStatus: { status: string; claims: number }[];
  belowMinimum: number;
  cappedToZero?: number;
  noEntitlement?: number;
  unfunded?: number;
  roundedToZero: number;
}

/**
 * The table's rows and total from an `unpaid` block: statuses first, then each other reason with
 * claims, in the order of summary.json. `of` is the number of claims in all.
 */
export function unpaidRows(
  u: UnpaidCounts,
  minimumPayment: Cents | null,
  of: number,
  moneyText: (c: Cents) => string,
): Pick<UnpaidView, 'rows' | 'total'> {
  const rows: UnpaidRow[] = u.byStatus.map((s) => unpaidRow('status', s.claims, `Status “${s.status}”: not an eligible status`, s.status));
  if (u.belowMinimum > 0) {
    const min = minimumPayment === null ? '' : ` of ${moneyText(minimumPayment)}`;
    rows.push(unpaidRow('belowMinimum', u.belowMinimum, `Below the minimum payment${min}: removed by the minimum rule`));
  }
  if ((u.cappedToZero ?? 0) > 0) rows.push(unpaidRow('cappedToZero', u.cappedToZero!, `Capped at the maximum payment of ${moneyText(0n)}`));
  if ((u.noEntitlement ?? 0) > 0) rows.push(unpaidRow('noEntitlement', u.noEntitlement!, 'Eligible, but nothing claimed in any bucket'));
  if ((u.unfunded ?? 0) > 0) {
    const why = `the buckets funded before them left no money, or a cap of ${moneyText(0n)}`;
    rows.push(unpaidRow('unfunded', u.unfunded!, `Claimed only in buckets that had nothing for them (${why})`));
  }
  if (u.roundedToZero > 0) rows.push(unpaidRow('roundedToZero', u.roundedToZero, `A share under one cent, left at ${moneyText(0n)} by the remainder rule`));
  return { rows, total: { count: u.claims, text: countText(u.claims), of: countOf(of, 'claim') } };
}
