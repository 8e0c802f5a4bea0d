/** A bucket plan's allocation as people read it at the terminal: the fund, each bucket's waterfall, the check. */
import { countOf, moneyText } from '../core/display-numbers.js';
import type { ChalkInstance } from 'chalk';
import type { BucketSummaryJson } from '../core/buckets/output.js';
import { grouped, renderTable } from './table.js';
import { renderFundHead, unpaidLine } from './render-summary.js';
import type { Problem } from '../core/problems.js';
import { renderProblemLines, renderTotals } from './render-validate.js';
import { colorFor } from './style.js';

/** Six-decimal exact figures shown to the cent (information only; the files keep the six). */
const human6 = (m: string | null): string => (m === null ? '-' : moneyText(m.replace(/^(\d+\.\d\d)\d*$/, '$1')));

export function renderBucketSummary(s: BucketSummaryJson, c: ChalkInstance): string[] {
  const out: string[] = renderFundHead(s, c);
  const rows = s.buckets.map((b) => [
    b.id,
    b.kind + (b.protected ? ', protected' : '') + (b.residual ? ', residual' : ''),
    grouped(b.claims),
    b.claimed === null ? `${b.points ?? ''} points` : human6(b.claimed),
    moneyText(b.totalCap),
    moneyText(b.paid),
    b.reductionPercent === null ? '-' : `${b.reductionPercent.replace(/0+$/, '').replace(/\.$/, '')}%`,
  ]);
  out.push(...renderTable(['bucket', 'kind', 'claims', 'claimed', 'total cap', 'paid', 'reduction'], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right']), '');
  out.push(`Paid ${c.bold(moneyText(s.totalPaid))} to ${grouped(s.claims.paid)} of ${countOf(s.claims.rows, 'claim')}; residual ${moneyText(s.residual)}.`);
  if (s.claims.belowMinimum > 0) out.push(`${countOf(s.claims.belowMinimum, 'claim')} below the minimum payment ${moneyText(s.minimumPayment)}.`);
  const unpaid = unpaidLine(s);
  if (unpaid !== null) out.push(unpaid);
  return out;
}

/**
 * The warnings of a bucket plan's reading on stderr, as a classes plan's (claims-reading.ts): the
 * first `max` listed, then the count; with --quiet the count alone, in one line.
 */
export function writeBucketWarnings(warnings: readonly Problem[], max: number, quiet: boolean): void {
  if (warnings.length === 0) return;
  const c = colorFor(process.stderr);
  const lines = quiet ? [] : renderProblemLines([...warnings], 'warning', warnings.length, max, c);
  lines.push(renderTotals(0, warnings.length, c) + (quiet ? ' (warnings not shown with --quiet: payout validate lists them)' : ''));
  process.stderr.write(`${lines.join('\n')}\n`);
}
