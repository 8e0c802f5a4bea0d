/** `payout validate --plan BUCKET_PLAN CLAIMS.csv`: every row checked; what each bucket is claimed. */
import { validateBucketClaims } from '../../app/validate-buckets.js';
import { formatMoneyHuman, parseMoney } from '../../core/money.js';
import { colorFor } from '../style.js';
import { grouped, renderTable } from '../table.js';
import { writeBucketWarnings } from '../render-buckets.js';
import { parseClaimsOptions, type ClaimsCliOptions } from './claims-options.js';
import { countOf } from '../../core/display-numbers.js';

export async function runValidateBuckets(claimsFile: string, o: ClaimsCliOptions & { plan: string; json?: boolean; errorsOut?: string }): Promise<void> {
  const claims = parseClaimsOptions(o, 'buckets');
  const v = await validateBucketClaims({ planFile: o.plan, claimsFile, claims, ...(o.errorsOut !== undefined ? { errorsOut: o.errorsOut } : {}) });
  writeBucketWarnings(v.warnings, claims.maxErrors, false);
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ claims: v.claims, eligible: v.eligible, buckets: v.buckets, errors: 0, warnings: v.warnings.length }, null, 2)}\n`);
    return;
  }
  const c = colorFor(process.stdout);
  const rows = v.buckets.map((b) => [b.id, grouped(b.claims), b.unit === 'money' ? formatMoneyHuman(parseMoney(b.claimed) ?? 0n) : `${b.claimed} points`]);
  const lines = [
    `${claimsFile}: ${countOf(v.claims, 'claim')}, ${grouped(v.eligible)} eligible, no errors${v.warnings.length > 0 ? `, ${countOf(v.warnings.length, 'warning')}` : ''}`,
    '',
    ...renderTable(['bucket', 'claims', 'claimed (per-claim caps applied)'], rows, ['left', 'right', 'right']),
    '',
    c.green('valid'),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
