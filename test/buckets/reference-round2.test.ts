/**
 * `payout redistribute` against the independent reference scripts/reference-redistribute.py
 * (docs/spec.md §6 and §6a, written from the page in Python): the same second-round ledger.csv,
 * byte for byte, after bucket plans (with and without a minimum) and plans of classes (a cap, a
 * minimum, per-point rounding), with uncashed lists and costs drawn from a seeded generator.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const SCRIPT = join(ROOT, 'scripts/reference-redistribute.py');
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const hasPython = !python.error && python.status === 0;
const tmp = tempDir();

/** A small deterministic generator (the cases are the same on every run). */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

interface Case {
  name: string;
  plan: string;
  claims: string;
}

function planVariant(base: string, name: string, change: Record<string, unknown>): string {
  const p = JSON.parse(readFileSync(base, 'utf8')) as Record<string, unknown>;
  return tmp.write(`${name}.json`, JSON.stringify({ ...p, ...change }, null, 2));
}

const equifax = (f: string): string => join(ROOT, 'fixtures/equifax-buckets', f);
const fixture = (dir: string, f: string): string => join(ROOT, 'fixtures', dir, f);

const cases: Case[] = [
  { name: 'buckets', plan: equifax('plan.json'), claims: equifax('claims.csv') },
  { name: 'buckets-min-25', plan: planVariant(equifax('plan.json'), 'buckets-min-25', { minimumPayment: '25.00' }), claims: equifax('claims.csv') },
  { name: 'buckets-min-90', plan: planVariant(equifax('plan.json'), 'buckets-min-90', { minimumPayment: '90.00' }), claims: equifax('claims.csv') },
  { name: 'classes-cap', plan: fixture('cap-binds', 'plan.json'), claims: fixture('cap-binds', 'claims.csv') },
  { name: 'classes-min', plan: fixture('minimum-removes', 'plan.json'), claims: fixture('minimum-removes', 'claims.csv') },
  {
    name: 'classes-per-point',
    plan: planVariant(fixture('tiktok', 'plan.json'), 'tiktok-per-point', { rounding: { method: 'per-point', decimals: 2 }, minimumPayment: '30.00' }),
    claims: fixture('tiktok', 'claims.csv'),
  },
];

describe.skipIf(!hasPython)('the second round against scripts/reference-redistribute.py', () => {
  for (const [n, c] of cases.entries()) {
    it(`${c.name}: the same ledger.csv, byte for byte`, async () => {
      const first = tmp.path(`${c.name}-1`);
      const r1 = await runCli(['allocate', '--plan', c.plan, c.claims, '--out', first, '--quiet']);
      expect(r1.code, r1.stderr).toBe(0);
      const rows = readFileSync(join(first, 'ledger.csv'), 'utf8').trimEnd().split('\n');
      const cols = rows[0]!.split(',');
      const paid = rows.slice(1).map((l) => l.split(',')).filter((f) => ['paid', 'capped'].includes(f[cols.indexOf('outcome')]!) && f[cols.indexOf('amount')] !== '0.00');
      const random = rng(1000 + n);
      const uncashed = paid.filter(() => random() < 0.15).map((f) => f[cols.indexOf('claim_id')]!);
      const back = paid.filter((f) => uncashed.includes(f[cols.indexOf('claim_id')]!)).reduce((s, f) => s + Math.round(Number(f[cols.indexOf('amount')]) * 100), 0);
      const costs = Math.floor(back * random() * 0.5);
      const costsText = `${Math.floor(costs / 100)}.${String(costs % 100).padStart(2, '0')}`;
      const list = tmp.write(`${c.name}-uncashed.csv`, `claim_id\n${uncashed.join('\n')}\n`);
      const second = tmp.path(`${c.name}-2`);
      const r2 = await runCli(['redistribute', '--plan', c.plan, '--from', first, '--uncashed', list, '--costs', costsText, '--out', second, '--quiet']);
      expect(r2.code, r2.stderr).toBe(0);
      const ref = spawnSync('python3', [SCRIPT, c.plan, first, list, costsText], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(ref.status, ref.stderr).toBe(0);
      expect(readFileSync(join(second, 'ledger.csv'), 'utf8')).toBe(ref.stdout);
    });
  }
});
