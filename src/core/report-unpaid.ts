/**
 * The report's "Claims not paid" section: why claims went unpaid (summary.json `unpaid`), counted
 * by reason, and what the reading of the claims found that a reader must know (summary.json
 * `warnings`: blank statuses read as approved, look-alike claim ids). Pure; worded and formatted here.
 */
import { claimCount, countText } from './display-numbers.js';
import type { Cents } from './money.js';
import type { Summary } from './report-input.js';

export type UnpaidReason = 'status' | 'belowMinimum' | 'cappedToZero' | 'roundedToZero';

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
  total: { count: number; text: string; of: string } | null;
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
  const row = (reason: UnpaidReason, count: number, label: string, status?: string): UnpaidRow => ({
    reason,
    ...(status !== undefined ? { status } : {}),
    label,
    count,
    countText: countText(count),
  });
  const rows: UnpaidRow[] = u.byStatus.map((s) => row('status', s.claims, `Status “${s.status}”: not an eligible status`, s.status));
  if (u.belowMinimum > 0) {
    const min = summary.minimumPayment === null ? '' : ` of ${moneyText(summary.minimumPayment)}`;
    rows.push(row('belowMinimum', u.belowMinimum, `Below the minimum payment${min}: removed by the minimum rule`));
  }
  if (u.cappedToZero > 0) rows.push(row('cappedToZero', u.cappedToZero, `Capped at the maximum payment of ${moneyText(0n)}`));
  if (u.roundedToZero > 0) rows.push(row('roundedToZero', u.roundedToZero, `A share under one cent, left at ${moneyText(0n)} by the remainder rule`));
  return { rows, total: { count: u.claims, text: countText(u.claims), of: countText(summary.totals.claims) }, notes };
}
