/**
 * Golden scenarios (fixtures/<case>/, STYLE item 7): every case is run in-process, as `payout
 * allocate` runs it, and its ledger.csv and summary.json must equal expected/ byte for byte.
 * The expected files were made by payout and then checked by hand (fixtures/<case>/README.md) and by
 * scripts/reference-allocate.py (reference.test.ts). After a deliberate change of output, rewrite
 * them with `UPDATE_GOLDEN=1 npx vitest run test/allocate/scenarios.test.ts` and check the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { allocate, amountOf } from '../../src/core/allocate.js';
import { formatMoney } from '../../src/core/money.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makePlan, makeTable } from '../helpers/make-table.js';
import { allocateScenario, REQUIRED_SCENARIOS, scenarios, type Scenario } from './scenario-files.js';

const all = scenarios();
const update = process.env.UPDATE_GOLDEN === '1';

const cents = (money: string): bigint => {
  if (!/^\d+\.\d{2}$/.test(money)) throw new Error(`not money: ${money}`);
  return BigInt(money.replace('.', ''));
};

function writeGolden(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

describe('allocation scenarios (fixtures/<case>/expected)', () => {
  it('has every required scenario, each with expected outputs and a README with its hand check', () => {
    const names = all.map((s) => s.name);
    for (const name of REQUIRED_SCENARIOS) expect(names, name).toContain(name);
    for (const s of all) {
      expect(existsSync(join(s.dir, 'README.md')), `${s.name}/README.md`).toBe(true);
      if (!update) expect(existsSync(s.expectedLedger) && existsSync(s.expectedSummary), `${s.name}/expected`).toBe(true);
    }
  });

  it.each(all.map((s) => [s.name, s] as const))('%s: ledger.csv and summary.json as expected, byte for byte', async (_, s) => {
    const run = await allocateScenario(s);
    if (update) {
      writeGolden(s.expectedLedger, run.ledger);
      writeGolden(s.expectedSummary, run.summary);
    }
    expect(run.ledger).toBe(readFileSync(s.expectedLedger, 'utf8'));
    expect(run.summary).toBe(readFileSync(s.expectedSummary, 'utf8'));
  });
});

/**
 * The golden files themselves obey docs/spec.md §4, read from the files alone, so a golden file
 * regenerated from a broken build cannot pass unnoticed.
 */
describe('the golden files obey docs/spec.md §4', () => {
  it.each(all.map((s) => [s.name, s] as const))('%s', (_, s: Scenario) => {
    const plan = JSON.parse(readFileSync(s.plan, 'utf8')) as {
      classes: { id: string; poolPercent?: string }[];
      maximumPayment?: string | null;
      minimumPayment?: string | null;
      rounding?: { method: string };
    };
    const summary = JSON.parse(readFileSync(s.expectedSummary, 'utf8')) as {
      net: string;
      totals: { amount: string; residual: string; claims: number };
    };
    const ledger = parse(readFileSync(s.expectedLedger, 'utf8'), { columns: true }) as Record<string, string>[];
    const claims = parse(readFileSync(s.claims, 'utf8'), { bom: true, columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()) }) as Record<
      string,
      string
    >[];

    // one row per claim, in input order
    expect(ledger.map((r) => r.claim_id!.replace(/^'(?=[=+\-@\t\r'])/, ''))).toEqual(claims.map((r) => r.claim_id!.trim()));
    expect(summary.totals.claims).toBe(ledger.length);

    // Σ amounts + residual = net
    const paid = ledger.reduce((a, r) => a + cents(r.amount!), 0n);
    expect(paid).toBe(cents(summary.totals.amount));
    expect(paid + cents(summary.totals.residual)).toBe(cents(summary.net));

    const max = plan.maximumPayment ? cents(plan.maximumPayment) : null;
    const min = plan.minimumPayment ? cents(plan.minimumPayment) : null;
    const perPoint = plan.rounding?.method === 'per-point';
    const pools = plan.classes.every((c) => c.poolPercent !== undefined);
    const byPoints = new Map<string, bigint[]>();
    for (const r of ledger) {
      const amount = cents(r.amount!);
      expect(['paid', 'capped', 'below_minimum', 'ineligible']).toContain(r.outcome);
      if (r.outcome === 'ineligible' || r.outcome === 'below_minimum') {
        expect(amount, r.claim_id).toBe(0n);
        continue;
      }
      if (max !== null) expect(amount, r.claim_id).toBeLessThanOrEqual(max);
      if (r.outcome === 'capped') expect(amount, r.claim_id).toBe(max);
      if (min !== null) expect(amount, r.claim_id).toBeGreaterThanOrEqual(min);
      const group = `${pools ? r.class : 'all'}|${r.points}`;
      byPoints.set(group, [...(byPoints.get(group) ?? []), amount]);
    }
    // equal points in a pool: at most a cent apart (largest remainder), equal (per-point)
    for (const [group, amounts] of byPoints) {
      const spread = amounts.reduce((a, b) => (b > a ? b : a)) - amounts.reduce((a, b) => (b < a ? b : a));
      expect(spread, group).toBeLessThanOrEqual(perPoint ? 0n : 1n);
    }
  });
});

/** The examples of docs/allocation.md, so the document cannot drift from the code. */
describe('docs/allocation.md examples', () => {
  const amounts = (gross: string, points: Record<string, string>, seed: string): Record<string, string> => {
    const plan = makePlan({ gross, classes: [{ id: 'members', weight: '1' }], seed });
    const ids = Object.keys(points);
    const table = makeTable(plan, ids.map((id) => ({ id, class: 'members', units: points[id]! })));
    const alloc = allocate(plan, table, tieKeyer(plan.seed));
    return Object.fromEntries(ids.map((id, row) => [id, formatMoney(amountOf(alloc, row))]));
  };

  it('worked example: $100.00 over three 1-point claims; the leftover cent to the smallest key', () => {
    const key = tieKeyer('worked-example');
    expect(key('A')).toBe('15e2dc8773e459693174b6ad9cfeaf11d8e89648a402ebdfce2054ed50ae50f0');
    expect(key('B')).toBe('1e2e4684553164d2875f22320195d3653c3b81cd1f985fd1320f1feba158d715');
    expect(key('C')).toBe('966ae14cd768e7cc3997713b1dfe3d5ce64ce4dbaecb32713e5f787b61b7b012');
    expect(amounts('100.00', { A: '1', B: '1', C: '1' }, 'worked-example')).toEqual({ A: '33.34', B: '33.33', C: '33.33' });
  });

  it('not monotone: one more cent in the fund moves a cent from A (1 point) to B and C (3 points each)', () => {
    const points = { A: '1', B: '3', C: '3' };
    expect(amounts('100.06', points, 'non-monotone')).toEqual({ A: '14.30', B: '42.88', C: '42.88' });
    expect(amounts('100.07', points, 'non-monotone')).toEqual({ A: '14.29', B: '42.89', C: '42.89' });
  });
});
