/**
 * `payout compare` of two bucket plans (docs/compare.md, "Bucket plans"): per claim on its total,
 * per bucket on what each pays, the amounts exactly those of two `payout allocate` runs; a bucket
 * plan against a plan of classes, claim by claim on the total, each plan's groups on their own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareBucketAllocations } from '../../src/core/buckets/compare.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { mixedInputs, plan, run } from './helpers.js';

const tmp = tempDir();
const FIX = join(ROOT, 'fixtures/equifax-buckets');
const PLAN = join(FIX, 'plan.json');
const CLAIMS = join(FIX, 'claims.csv');

/** Plan B: the time bucket's cap raised to $40,000 (80% of the $50,000 claimed), cash $100 flat (no reduction). */
function planB(): string {
  const p = JSON.parse(readFileSync(PLAN, 'utf8')) as { buckets: Record<string, unknown>[]; seed: string };
  p.buckets[1]!.totalCap = '40000.00';
  p.buckets[2]!.amount = '100.00';
  p.seed = 'equifax-b';
  return tmp.write('plan-b.json', JSON.stringify(p, null, 2));
}

const ledgerAmounts = (dir: string): Map<string, string> =>
  new Map(readFileSync(join(dir, 'ledger.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => [l.split(',')[0]!, l.split(',').at(-1)!]));

describe('payout compare of two bucket plans', () => {
  it('compares claim by claim and bucket by bucket; the diff CSV has the amounts of two allocate runs', async () => {
    const b = planB();
    const out = tmp.path('diff.csv');
    const r = await runCli(['compare', '--plan', PLAN, '--plan', b, CLAIMS, '--out', out, '--html', tmp.path('cmp.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/bucket\s+claims\s+paid A\s+paid B/);
    expect(r.stdout).toMatch(/time\s+120\s+120\s+120\s+\$31,000\.00\s+\$40,000\.00\s+\+\$9,000\.00/);
    expect(r.stdout).toMatch(/cash\s+300\s+300\s+300\s+\$31,000\.00\s+\$30,000\.00\s+-\$1,000\.00/);
    expect(r.stdout).toMatch(/residual\s+\$25,654\.40\s+\$17,654\.40\s+-\$8,000\.00/);
    expect(r.stdout).toMatch(/EQ0001\s+documented\+time\s+\$20,310\.00\s+\$20,400\.00\s+\+\$90\.00/);
    expect(readFileSync(tmp.path('cmp.html'), 'utf8')).toContain('By bucket');

    const [ra, rb] = [tmp.path('a'), tmp.path('b')];
    expect((await runCli(['allocate', '--plan', PLAN, CLAIMS, '--out', ra])).code).toBe(0);
    expect((await runCli(['allocate', '--plan', b, CLAIMS, '--out', rb])).code).toBe(0);
    const [a1, b1] = [ledgerAmounts(ra), ledgerAmounts(rb)];
    const diff = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(diff[0]).toBe('claim_id,buckets,amount_a,amount_b,change');
    expect(diff).toHaveLength(343);
    for (const line of diff.slice(1)) {
      const [id, , amountA, amountB, change] = line.split(',');
      expect([amountA, amountB]).toEqual([a1.get(id!), b1.get(id!)]);
      expect(Math.round(Number(amountB) * 100) - Math.round(Number(amountA) * 100)).toBe(Math.round(Number(change) * 100));
    }
    expect(diff).toContain('EQ0341,,0.00,0.00,0.00');
    expect(diff).toContain('EQ0011,documented+time+cash,1492.89,1534.56,41.67');
  });

  it('--json names the grouping; the classes of the JSON are the buckets', async () => {
    const r = await runCli(['compare', '--plan', PLAN, '--plan', planB(), CLAIMS, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { groupedBy: string; classes: { id: string }[]; gain: number; lose: number; unchanged: number };
    expect(doc.groupedBy).toBe('bucket');
    expect(doc.classes.map((c) => c.id)).toEqual(['documented', 'time', 'cash']);
    expect([doc.gain, doc.lose, doc.unchanged]).toEqual([120, 220, 2]);
  });

  it('a bucket one plan lacks pays 0 under it', () => {
    const a = plan({ buckets: [{ id: 'flat', label: 'F', kind: 'flat', amount: '10.00' }, { id: 'loss', label: 'L', kind: 'documented', amountColumn: 'loss' }] });
    const b = plan({ buckets: [{ id: 'flat', label: 'F', kind: 'flat', amount: '20.00' }] });
    const rows = [{ claim_id: 'A1', loss: '5.00' }, { claim_id: 'A2', loss: '' }];
    const cmp = compareBucketAllocations({ plan: a, ...run(a, rows) }, { plan: b, ...run(b, rows.map(({ claim_id }) => ({ claim_id }))) });
    expect(cmp.classes.map((k) => [k.id, k.amountA, k.amountB, k.paidA, k.paidB])).toEqual([
      ['flat', 2000n, 4000n, 2, 2],
      ['loss', 500n, 0n, 1, 0],
    ]);
    expect(cmp.largestMoves.map((m) => [m.claimId, m.classId, m.change])).toEqual([
      ['A2', 'flat', 1000n],
      ['A1', 'flat+loss', 500n],
    ]);
  });

  it('reads the claims with --delimiter and --map as allocate does; a --map field neither plan has is refused (exit 2)', async () => {
    const b = planB();
    const plain = await runCli(['compare', '--plan', PLAN, '--plan', b, CLAIMS, '--json']);
    // The same claims, ;-separated, with claim_id under another name.
    const text = readFileSync(CLAIMS, 'utf8').replace(/^claim_id/, 'ClaimNumber').replaceAll(',', ';');
    const other = tmp.write('claims-semicolon.csv', text);
    const mapped = await runCli(['compare', '--plan', PLAN, '--plan', b, other, '--delimiter', ';', '--map', 'claim_id=ClaimNumber', '--json']);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(mapped.stdout).toBe(plain.stdout);
    const unknown = await runCli(['compare', '--plan', PLAN, '--plan', b, CLAIMS, '--map', 'units=Units']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--map units=Units: unknown field "units"');
  });
});

describe('payout compare of a bucket plan and a plan of classes', () => {
  it('compares claim by claim on the total, either way round; the amounts are those of two allocate runs', async () => {
    const { claims, classes } = mixedInputs(ROOT, tmp.write);
    const out = tmp.path('mixed-diff.csv');
    const r = await runCli(['compare', '--plan', PLAN, '--plan', classes, claims, '--out', out, '--html', tmp.path('mixed.html')], { env: { NO_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Plan A pays by bucket, plan B by class: the per-bucket and per-class figures are not comparable;');
    expect(r.stdout).toMatch(/time\s+120\s+120\s+\$31,000\.00/);
    expect(r.stdout).toMatch(/all\s+342\s+340\s+\$300,000\.00/);
    expect(r.stdout).toMatch(/residual\s+\$25,654\.40\s+\$0\.00\s+-\$25,654\.40/);
    expect(r.stdout).toMatch(/claim_id\s+buckets A\s+class B\s+under A\s+under B\s+change/);

    const [ra, rb] = [tmp.path('mixed-a'), tmp.path('mixed-b')];
    expect((await runCli(['allocate', '--plan', PLAN, claims, '--out', ra])).code).toBe(0);
    expect((await runCli(['allocate', '--plan', classes, claims, '--out', rb])).code).toBe(0);
    const [a1, b1] = [ledgerAmounts(ra), ledgerAmounts(rb)];
    const diff = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(diff[0]).toBe('claim_id,buckets_a,class_b,amount_a,amount_b,change');
    expect(diff).toHaveLength(343);
    for (const line of diff.slice(1)) {
      const [id, , , amountA, amountB, change] = line.split(',');
      expect([amountA, amountB]).toEqual([a1.get(id!), b1.get(id!)]);
      expect(Math.round(Number(amountB) * 100) - Math.round(Number(amountA) * 100)).toBe(Math.round(Number(change) * 100));
    }
    expect(diff[1]).toBe(`EQ0001,documented+time,all,20310.00,${b1.get('EQ0001')},${(Math.round(Number(b1.get('EQ0001')) * 100 - 2031000) / 100).toFixed(2)}`);
    const page = readFileSync(tmp.path('mixed.html'), 'utf8');
    expect(page).toContain('<h2>By bucket under A, by class under B</h2>');
    expect(page).toContain("the per-bucket and per-class figures are each plan's own and are not comparable");

    // The other way round: the same claims, every change the opposite.
    const back = await runCli(['compare', '--plan', classes, '--plan', PLAN, claims, '--json']);
    expect(back.code, back.stderr).toBe(0);
    const doc = JSON.parse(back.stdout) as {
      groupedBy: string;
      classes: unknown[];
      gain: number;
      lose: number;
      groupsA: { by: string; rows: { id: string; amount: string }[] };
      groupsB: { by: string; rows: { id: string; paid: number; amount: string }[] };
      largestMoves: { claimId: string; groupA: string; groupB: string; change: string }[];
    };
    const forth = JSON.parse((await runCli(['compare', '--plan', PLAN, '--plan', classes, claims, '--json'])).stdout) as typeof doc;
    expect([doc.gain, doc.lose]).toEqual([forth.lose, forth.gain]);
    expect(doc.groupedBy).toBe('mixed');
    expect(doc.classes).toEqual([]);
    expect(doc.groupsA).toEqual({ by: 'class', rows: [{ id: 'all', claims: 342, paid: 340, amount: '300000.00' }] });
    expect(doc.groupsB.by).toBe('bucket');
    expect(doc.groupsB.rows.map((g) => [g.id, g.paid, g.amount])).toEqual([
      ['documented', 20, '212345.60'],
      ['time', 120, '31000.00'],
      ['cash', 300, '31000.00'],
    ]);
    expect(doc.largestMoves[0]).toMatchObject({ groupA: 'all', groupB: 'documented+time' });
  });

  it('--map entries go to the plan that has the field; a file one plan cannot read is refused (exit 1)', async () => {
    const { claims, classes } = mixedInputs(ROOT, tmp.write);
    const plain = await runCli(['compare', '--plan', PLAN, '--plan', classes, claims, '--json']);
    const renamed = tmp.write('mixed-renamed.csv', readFileSync(claims, 'utf8').replace(/^claim_id,status,documented_loss/, 'ClaimNumber,status,OOP Loss'));
    const mapped = await runCli(['compare', '--plan', PLAN, '--plan', classes, renamed, '--map', 'claim_id=ClaimNumber', '--map', 'documented_loss=OOP Loss', '--json']);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(mapped.stdout.replace(renamed, claims)).toBe(plain.stdout);

    // A file without the class column: the plan of classes cannot read it (exit 1, its problems listed).
    const bucketOnly = await runCli(['compare', '--plan', PLAN, '--plan', classes, CLAIMS]);
    expect(bucketOnly.code).toBe(1);
    expect(bucketOnly.stderr).toContain('missing column "class"');
  });
});
