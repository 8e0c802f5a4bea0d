/**
 * `payout compare` end to end: the real binary against two separate `payout allocate` runs of the
 * same plans (TikTok, Illinois weight 6 vs 5), and one test per refusal.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { mixedInputs } from '../buckets/helpers.js';

const tmp = tempDir();
const PLAN6 = join(ROOT, 'fixtures/tiktok/plan.json');
const CLAIMS = join(ROOT, 'fixtures/tiktok/claims.csv');
const plan6 = JSON.parse(readFileSync(PLAN6, 'utf8')) as { classes: { id: string; weight: string }[] };
const PLAN5 = tmp.write(
  'plan5.json',
  JSON.stringify({ ...plan6, classes: plan6.classes.map((c) => (c.id === 'illinois' ? { ...c, weight: '5' } : c)) }, null, 2),
);

type Row = Record<string, string>;
const csv = (file: string): Row[] => parse(readFileSync(file), { columns: true }) as Row[];
const cents = (s: string): bigint => BigInt(s.replace('.', ''));

describe('payout compare on fixtures/tiktok, weights 6 vs 5', () => {
  it('reports the per-class totals and per-claim amounts of two separate allocate runs', async () => {
    const [a, b, cmp] = await Promise.all([
      runCli(['allocate', '--plan', PLAN6, CLAIMS, '--out', tmp.path('run6'), '--quiet']),
      runCli(['allocate', '--plan', PLAN5, CLAIMS, '--out', tmp.path('run5'), '--quiet']),
      runCli(['compare', '--plan', PLAN6, '--plan', PLAN5, CLAIMS, '--json', '--out', tmp.path('diff.csv')]),
    ]);
    expect([a.code, b.code, cmp.code]).toEqual([0, 0, 0]);
    expect(cmp.stderr).toContain('0 errors, 9 warnings'); // the fixture's duplicate emails, as allocate shows them
    const s6 = JSON.parse(readFileSync(tmp.path('run6/summary.json'), 'utf8')) as { classes: { id: string; amount: string; paid: number }[] };
    const s5 = JSON.parse(readFileSync(tmp.path('run5/summary.json'), 'utf8')) as typeof s6;
    const report = JSON.parse(cmp.stdout) as {
      claims: number;
      gain: number;
      lose: number;
      unchanged: number;
      classes: { id: string; amountA: string; amountB: string; change: string; paidA: number; paidB: number }[];
      largestMoves: { claimId: string; change: string }[];
    };
    expect(report.classes.map((c) => [c.id, c.amountA, c.amountB, c.paidA, c.paidB])).toEqual(
      s6.classes.map((c, i) => [c.id, c.amount, s5.classes[i]?.amount, c.paid, s5.classes[i]?.paid]),
    );
    // The weights moved money from Illinois to Nationwide: the per-class totals must differ.
    expect(report.classes.find((c) => c.id === 'illinois')?.change.startsWith('-')).toBe(true);

    // Every claim's amounts are the two ledgers' amounts; the counts follow from them.
    const l6 = csv(tmp.path('run6/ledger.csv'));
    const l5 = csv(tmp.path('run5/ledger.csv'));
    const diff = csv(tmp.path('diff.csv'));
    expect(diff.length).toBe(l6.length);
    let gain = 0;
    let lose = 0;
    diff.forEach((row, i) => {
      const x = l6[i]!;
      const y = l5[i]!;
      expect([row.claim_id, row.class, row.amount_a, row.amount_b]).toEqual([x.claim_id, x.class, x.amount, y.amount]);
      const change = cents(y.amount!) - cents(x.amount!);
      expect(cents(row.change!)).toBe(change);
      if (change > 0n) gain++;
      if (change < 0n) lose++;
    });
    expect([report.claims, report.gain, report.lose, report.unchanged]).toEqual([l6.length, gain, lose, l6.length - gain - lose]);
    expect(readFileSync(tmp.path('diff.csv'), 'utf8').split('\n')[0]).toBe('claim_id,class,amount_a,amount_b,change');
    // The largest move is an Illinois claim's loss of 1/6 of a share and more.
    expect(report.largestMoves.length).toBe(10);
    expect(report.largestMoves[0]?.change).toBe(diff.reduce((m, r) => (cents(r.change!) < cents(m) ? r.change! : m), '0.00'));
  });

  it('prints counts, class totals, a histogram and the largest moves at the terminal, and writes the HTML page', async () => {
    const r = await runCli(['compare', '--plan', PLAN6, '--plan', PLAN5, CLAIMS, '--top', '3', '--html', tmp.path('cmp.html')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gain under B\s+2,538 \(84\.6%\)/);
    expect(r.stdout).toMatch(/lose under B\s+286 \(9\.5%\)/);
    expect(r.stdout).toMatch(/unchanged\s+176 \(5\.9%\)/);
    expect(r.stdout).toContain('Change per claim (B − A)');
    expect(r.stdout).toContain('Largest moves (top 3)');
    expect(r.stdout).toMatch(/-\$8,583\.98\s+█+ 286/);
    const page = readFileSync(tmp.path('cmp.html'), 'utf8');
    expect(page).toContain('data-figure="gain" data-count="2538"');
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});

describe('payout compare with the classes listed in another order', () => {
  it('matches classes by id: the same weights change nothing', async () => {
    const reversed = tmp.write('reversed.json', JSON.stringify({ ...plan6, classes: [...plan6.classes].reverse() }));
    const r = await runCli(['compare', '--plan', PLAN6, '--plan', reversed, CLAIMS, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { unchanged: number; claims: number; classes: { id: string; change: string }[] };
    expect(report.unchanged).toBe(report.claims);
    expect(report.classes.map((c) => [c.id, c.change])).toEqual([['nationwide', '0.00'], ['illinois', '0.00']]);
  });
});

describe('payout compare refuses', () => {
  it('one plan (exit 2)', async () => {
    const r = await runCli(['compare', '--plan', PLAN6, CLAIMS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give exactly two plans');
  });

  it('plans with different classes (exit 2)', async () => {
    const other = tmp.write('other.json', JSON.stringify({ ...plan6, classes: [{ id: 'nationwide', weight: '1' }, { id: 'california', weight: '2' }] }));
    const r = await runCli(['compare', '--plan', PLAN6, '--plan', other, CLAIMS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lacks "illinois"');
    expect(r.stderr).toContain('adds "california"');
  });

  it('plans in two currencies, of either form (exit 2): names both plans, says why and what to do, writes nothing', async () => {
    const euros = tmp.write('plan-eur.json', JSON.stringify({ ...plan6, currency: 'EUR' }));
    const { claims, classes } = mixedInputs(ROOT, tmp.write);
    const classesInEuros = tmp.write('one-class-eur.json', JSON.stringify({ ...JSON.parse(readFileSync(classes, 'utf8')), currency: 'EUR' }));
    const bucketsInEuros = tmp.write('equifax-eur.json', JSON.stringify({ ...JSON.parse(readFileSync(join(ROOT, 'fixtures/equifax-buckets/plan.json'), 'utf8')), currency: 'EUR' }));
    const equifax = join(ROOT, 'fixtures/equifax-buckets/plan.json');
    const pairs = [
      { what: 'two plans of classes', a: PLAN6, b: euros, file: CLAIMS, currencies: ['USD', 'EUR'] },
      { what: 'a bucket plan against a plan of classes', a: equifax, b: classesInEuros, file: claims, currencies: ['USD', 'EUR'] },
      { what: 'two bucket plans', a: bucketsInEuros, b: equifax, file: join(ROOT, 'fixtures/equifax-buckets/claims.csv'), currencies: ['EUR', 'USD'] },
    ];
    for (const [i, { what, a, b, file, currencies }] of pairs.entries()) {
      const [out, page] = [tmp.path(`two-currencies-${i}.csv`), tmp.path(`two-currencies-${i}.html`)];
      const r = await runCli(['compare', '--plan', a, '--plan', b, file, '--out', out, '--html', page]);
      expect(r.code, what).toBe(2);
      expect(r.stderr, what).toBe(
        `payout: ${a} pays in ${currencies[0]} and ${b} in ${currencies[1]}: amounts in two currencies cannot be compared claim by claim; ` +
          'give two plans of one currency (the same "currency" in both, with the amounts of both in it)\n',
      );
      expect(r.stdout, what).toBe('');
      expect([existsSync(out), existsSync(page)], what).toEqual([false, false]);
    }
  });

  it('a claims file with errors (exit 1), writing nothing', async () => {
    const bad = tmp.write('bad.csv', 'claim_id,class\nA,nationwide\nB,ilinois\n');
    const r = await runCli(['compare', '--plan', PLAN6, '--plan', PLAN5, bad, '--out', tmp.path('bad-diff.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.csv:3');
    expect(existsSync(tmp.path('bad-diff.csv'))).toBe(false);
  });

  it('an existing --out file without --force (exit 2), leaving it as it was', async () => {
    const kept = tmp.write('kept.csv', 'old\n');
    const r = await runCli(['compare', '--plan', PLAN6, '--plan', PLAN5, CLAIMS, '--out', kept]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--force');
    expect(readFileSync(kept, 'utf8')).toBe('old\n');
    const forced = await runCli(['compare', '--plan', PLAN6, '--plan', PLAN5, CLAIMS, '--out', kept, '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(readFileSync(kept, 'utf8').startsWith('claim_id,class,amount_a,amount_b,change\n')).toBe(true);
  });

  it('a bad --top (exit 2)', async () => {
    const r = await runCli(['compare', '--plan', PLAN6, '--plan', PLAN5, CLAIMS, '--top', 'ten']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--top ten');
    const big = await runCli(['compare', '--plan', PLAN6, '--plan', PLAN5, CLAIMS, '--top', '1001']);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('up to 1000');
  });
});
