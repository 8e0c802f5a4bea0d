/** `payout validate --plan BUCKET_PLAN CLAIMS.csv`: every row checked; what each bucket is claimed. */
import { validateBucketClaims } from '../../app/validate-buckets.js';
import { UsageError } from '../../core/errors.js';
import { formatMoneyHuman, parseMoney } from '../../core/money.js';
import { colorFor } from '../style.js';
import { grouped, renderTable } from '../table.js';

export async function runValidateBuckets(claimsFile: string, o: { plan: string; json?: boolean; errorsOut?: string; map?: string[]; delimiter?: string }): Promise<void> {
  if (o.errorsOut !== undefined) throw new UsageError('--errors-out: not available with a bucket plan yet; the errors are listed on stderr');
  if ((o.map?.length ?? 0) > 0 || (o.delimiter !== undefined && o.delimiter !== ',')) {
    throw new UsageError('--map and --delimiter: not available with a bucket plan; the plan names the columns, the file is comma-separated');
  }
  const v = await validateBucketClaims({ planFile: o.plan, claimsFile });
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ claims: v.claims, eligible: v.eligible, buckets: v.buckets, errors: 0 }, null, 2)}\n`);
    return;
  }
  const c = colorFor(process.stdout);
  const rows = v.buckets.map((b) => [b.id, grouped(b.claims), b.unit === 'money' ? formatMoneyHuman(parseMoney(b.claimed) ?? 0n) : `${b.claimed} points`]);
  const lines = [
    `${claimsFile}: ${grouped(v.claims)} claims, ${grouped(v.eligible)} eligible, no errors`,
    '',
    ...renderTable(['bucket', 'claims', 'claimed (per-claim caps applied)'], rows, ['left', 'right', 'right']),
    '',
    c.green('valid'),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
