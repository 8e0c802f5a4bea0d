/**
 * `payout redistribute` after a bucket plan (docs/spec.md §6a): the leftover goes to the claims
 * that cashed, pro rata to their first-round amount, one pool. The real binary on
 * fixtures/equifax-buckets, its ledger compared byte for byte with the plain per-row reference of
 * test/redistribute/reference.ts, `payout verify` and `payout explain` of the folder, and every
 * refusal.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMoney, formatMoney } from '../../src/core/money.js';
import type { FirstRoundOutcome } from '../../src/core/first-round.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { reference } from '../redistribute/reference.js';
import type { FirstRow } from '../redistribute/first-round.js';

const tmp = tempDir();
const FIX = join(ROOT, 'fixtures/equifax-buckets');
const PLAN = join(FIX, 'plan.json');

/** The first round's ledger as the reference reads it: points are the amounts (no share given). */
function firstRows(ledger: string): FirstRow[] {
  const [header, ...lines] = ledger.trimEnd().split('\n');
  const cols = header!.split(',');
  const at = (name: string): number => cols.indexOf(name);
  return lines.map((l) => {
    const f = l.split(',');
    return { id: f[at('claim_id')]!, class: 'all', outcome: f[at('outcome')]! as FirstRoundOutcome, amount: parseMoney(f[at('amount')]!)! };
  });
}

/** What docs/spec.md §6a gives, written as the ledger's bytes from the reference's amounts. */
function expectedLedger(rows: FirstRow[], uncashed: string[], available: bigint, minimumPayment: bigint | null, seed: string): string {
  const ref = reference({ maximumPayment: null, minimumPayment, rounding: { method: 'largest-remainder' }, seed }, rows, new Set(uncashed), available);
  const body = rows.map((r, i) => `${r.id},all,${formatMoney(r.amount)},${ref.outcome[i]},${formatMoney(ref.amount[i]!)}\n`).join('');
  return `claim_id,class,first_amount,outcome,amount\n${body}`;
}

/** Rewrites a file of a run's folder and its hash in the manifest, so only payout's own checks can catch it. */
function rewrite(dir: string, name: string, change: (text: string) => string): void {
  const path = join(dir, name);
  const text = change(readFileSync(path, 'utf8'));
  writeFileSync(path, text);
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { outputs: { file: string; sha256: string }[] };
  manifest.outputs.find((o) => o.file === name)!.sha256 = createHash('sha256').update(text).digest('hex');
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
}

async function firstRound(name: string, plan = PLAN): Promise<string> {
  const dir = tmp.path(name);
  const r = await runCli(['allocate', '--plan', plan, join(FIX, 'claims.csv'), '--out', dir]);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe('payout redistribute after a bucket plan', () => {
  it('pays the leftover to the claims that cashed, pro rata to their first-round amount; the reference gives the same bytes; verify agrees', async () => {
    const from = await firstRound('round1');
    // One claim of each group uncashed: 20,310.00, 1,492.89, 413.33, 155.00, 103.33.
    const uncashed = ['EQ0001', 'EQ0011', 'EQ0021', 'EQ0091', 'EQ0121'];
    const list = tmp.write('uncashed.csv', `claim_id\n${uncashed.join('\n')}\n`);
    const out = tmp.path('round2');
    const r = await runCli(['redistribute', '--plan', PLAN, '--from', from, '--uncashed', list, '--costs', '500.00', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Pro rata to the first-round amount:');

    const rows = firstRows(readFileSync(join(from, 'ledger.csv'), 'utf8'));
    const back = rows.filter((x) => uncashed.includes(x.id)).reduce((a, x) => a + x.amount, 0n);
    const available = 2_565_440n + back - 50_000n; // first-round residual 25,654.40 + uncashed − costs
    const ledger = readFileSync(join(out, 'ledger.csv'), 'utf8');
    expect(ledger).toBe(expectedLedger(rows, uncashed, available, null, 'equifax-1-1000'));

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, any>;
    expect(summary.points).toBe('first-round amount');
    expect(summary.available.available).toBe(formatMoney(available));
    expect(summary.firstRound).toEqual({ seed: 'equifax-1-1000', claims: 342, paid: 340, amount: '274345.60', residual: '25654.40' });
    expect(summary.classes.map((c: { id: string }) => c.id)).toEqual(['all']);
    expect(summary.totals).toMatchObject({ claims: 342, eligible: 335, uncashed: 5, ineligible: 2, paid: 335, residual: '0.00' });
    expect(summary.check.balanced).toBe(true);
    // Pro rata to the amount: a $20,310.00 claim gets 20310/103.33 times a $103.33 claim's, within a cent.
    const second = new Map(ledger.trimEnd().split('\n').slice(1).map((l) => [l.split(',')[0]!, parseMoney(l.split(',')[4]!)!]));
    const big = second.get('EQ0002')!;
    const small = second.get('EQ0122')!;
    expect(Number(big)).toBeCloseTo((Number(small) * 20310) / 103.33, -2);

    const v = await runCli(['verify', '--plan', PLAN, from, list, out]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toContain('Verified');

    const e = await runCli(['explain', '--plan', PLAN, from, list, out, 'EQ0012']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain('= the first-round amount (the amount column of');
    expect(e.stdout).toContain('points = first-round amount');
  });

  it('applies the plan\'s minimum payment to the second-round amount: the cash-only claims, below it, are all removed', async () => {
    const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as Record<string, unknown>;
    const planFile = tmp.write('plan-min.json', JSON.stringify({ ...plan, minimumPayment: '25.00' }, null, 2));
    const from = await firstRound('round1-min', planFile);
    const list = tmp.write('uncashed-min.csv', 'claim_id\nEQ0001\n');
    const out = tmp.path('round2-min');
    const r = await runCli(['redistribute', '--plan', planFile, '--from', from, '--uncashed', list, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = firstRows(readFileSync(join(from, 'ledger.csv'), 'utf8'));
    const available = 2_565_440n + 2_031_000n;
    const ledger = readFileSync(join(out, 'ledger.csv'), 'utf8');
    expect(ledger).toBe(expectedLedger(rows, ['EQ0001'], available, 2500n, 'equifax-1-1000'));
    // The 220 cash-only claims ($103.33 and $103.34) would get about $21: below $25.00. The $103.33
    // ones are the smallest points value and go first; with them gone, the $103.34 ones are still
    // under $25 and go too.
    const outcomes = ledger.trimEnd().split('\n').slice(1).filter((l) => /,10[3]\.3[34],/.test(l)).map((l) => l.split(',')[3]);
    expect(new Set(outcomes)).toEqual(new Set(['below_minimum']));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, any>;
    expect(summary.minimumPayment).toBe('25.00');
    expect(summary.totals.belowMinimum).toBe(220);
    expect(summary.check.balanced).toBe(true);
  });

  it('refuses a bucket plan with a classes first round, and a classes plan with a bucket first round (exit 2), writing nothing', async () => {
    const from = await firstRound('first');
    const uncashed = tmp.write('u1.csv', 'claim_id\nEQ0001\n');
    const ledger = readFileSync(join(from, 'ledger.csv'), 'utf8');

    const classes = join(ROOT, 'fixtures/minimum-removes/plan.json');
    const withFolder = await runCli(['redistribute', '--plan', classes, '--from', from, '--uncashed', uncashed, '--out', tmp.path('second-b')]);
    expect(withFolder.code).toBe(2);
    expect(withFolder.stderr).toContain(`--from ${from}: written from a bucket plan (summary.json "mode": "buckets"), but ${classes} is a plan of classes`);
    expect(existsSync(tmp.path('second-b'))).toBe(false);

    const classesFirst = tmp.path('classes-first');
    expect((await runCli(['allocate', '--plan', classes, join(ROOT, 'fixtures/minimum-removes/claims.csv'), '--out', classesFirst])).code).toBe(0);
    const withPlan = await runCli(['redistribute', '--plan', PLAN, '--from', classesFirst, '--uncashed', uncashed, '--out', tmp.path('second-c')]);
    expect(withPlan.code).toBe(2);
    expect(withPlan.stderr).toContain(`--from ${classesFirst}: written from a plan of classes, but ${PLAN} is a bucket plan`);
    expect(existsSync(tmp.path('second-c'))).toBe(false);
    expect(readFileSync(join(from, 'ledger.csv'), 'utf8')).toBe(ledger);
  });

  it('refuses an uncashed claim that was not paid in the first round (ineligible), naming its line and outcome (exit 1)', async () => {
    const from = await firstRound('first-bad');
    // EQ0341 and EQ0342 are denied: ineligible in the first round.
    const list = tmp.write('u2.csv', 'claim_id\nEQ0002\nEQ0341\n');
    const r = await runCli(['redistribute', '--plan', PLAN, '--from', from, '--uncashed', list, '--out', tmp.path('second-d')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('u2.csv:3: claim_id: "EQ0341" was not paid in the first round (outcome ineligible');
    expect(existsSync(tmp.path('second-d'))).toBe(false);
  });

  it('refuses a bucket ledger with an outcome a bucket plan does not write, and a bucket summary without totalPaid, naming them (exit 1, exit 2)', async () => {
    const from = await firstRound('first-outcome');
    rewrite(from, 'ledger.csv', (t) => t.replace('EQ0002,approved,paid,', 'EQ0002,approved,capped,'));
    const list = tmp.write('u4.csv', 'claim_id\n');
    const r = await runCli(['redistribute', '--plan', PLAN, '--from', from, '--uncashed', list, '--out', tmp.path('second-f')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ledger.csv:3: outcome: "capped" is not a first-round outcome (paid, below_minimum, nothing_claimed, ineligible)');

    const from2 = await firstRound('first-summary');
    rewrite(from2, 'summary.json', (t) => t.replace('"totalPaid"', '"paidTotal"'));
    const r2 = await runCli(['redistribute', '--plan', PLAN, '--from', from2, '--uncashed', list, '--out', tmp.path('second-g')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('summary.json: not a payout summary (residual, totalPaid and seed are needed)');
    expect(existsSync(tmp.path('second-g'))).toBe(false);
  });

  it('refuses a bucket ledger whose amounts no longer add up to its summary\'s totalPaid (exit 1)', async () => {
    const from = await firstRound('first-tampered');
    rewrite(from, 'ledger.csv', (t) => t.replace('EQ0002,approved,paid,20000.00,310.00,0.00,20310.00', 'EQ0002,approved,paid,20000.00,310.00,0.00,20310.01'));
    const list = tmp.write('u3.csv', 'claim_id\n');
    const r = await runCli(['redistribute', '--plan', PLAN, '--from', from, '--uncashed', list, '--out', tmp.path('second-e')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the amounts add up to $274,345.61, but');
    expect(r.stderr).toContain('says totalPaid is $274,345.60');
  });
});
