/**
 * `payout accounting` end to end on fixtures/tiktok (one round) and fixtures/facebook-round2 (two
 * rounds): every figure of its JSON and CSV against the same figures recomputed in ./independent.ts
 * from plan.json and the ledger CSVs; then one test per refusal.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { deductions, fromCents, ledger, outcomes, pct, statsByClass, toCents } from './independent.js';

const tmp = tempDir();
const TIKTOK = join(ROOT, 'fixtures/tiktok');
const FB = join(ROOT, 'fixtures/facebook-round2');
const tt = tmp.path('tiktok');
const fb1 = tmp.path('fb1');
const fb2 = tmp.path('fb2');
const PAYMENTS = join(ROOT, 'fixtures/payments');
const p1 = tmp.path('p1');
const pay1 = tmp.path('pay1');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  const [a, b] = await Promise.all([
    runCli(['allocate', '--plan', join(TIKTOK, 'plan.json'), join(TIKTOK, 'claims.csv'), '--out', tt, '--quiet']),
    runCli(['allocate', '--plan', join(FB, 'plan.json'), join(FB, 'claims.csv'), '--out', fb1, '--quiet']),
  ]);
  expect([a.code, b.code]).toEqual([0, 0]);
  const r = await runCli(['redistribute', '--plan', join(FB, 'plan.json'), '--from', fb1, '--uncashed', join(FB, 'uncashed.csv'), '--costs', '12329.50', '--out', fb2, '--quiet']);
  expect(r.code).toBe(0);
  const plan = join(PAYMENTS, 'plan.json');
  const claims = join(PAYMENTS, 'claims.csv');
  expect((await runCli(['allocate', '--plan', plan, claims, '--out', p1, '--quiet'])).code).toBe(0);
  const pay = await runCli(['pay', '--plan', plan, claims, '--from', p1, '--elections', join(PAYMENTS, 'elections.csv'), '--out', pay1]);
  expect(pay.code).toBe(0);
});

/** The round's figures of the JSON against the ledger, recomputed. */
function expectRound(round: Json, dir: string): void {
  const rows = ledger(dir);
  // The receipts root is published as the run recorded it (docs/receipts.md).
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Json;
  expect(round.receiptsRoot).toBe(summary.receipts?.root ?? null);
  expect(round.receiptsRoot).toMatch(/^[0-9a-f]{64}$/);
  expect(round.claims).toBe(rows.length);
  expect(Object.fromEntries((round.outcomes as Json[]).map((o) => [o.outcome, { count: o.count, percent: o.percent }]))).toEqual(outcomes(rows));
  const want = statsByClass(rows);
  const got = new Map((round.classes as Json[]).map((s) => [s.id ?? '', s]));
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [id, w] of want) {
    const g = got.get(id)!;
    expect({ claims: g.claims, payments: g.payments, total: g.total, average: g.average, median: g.median, smallest: g.smallest, largest: g.largest }).toEqual(w);
  }
}

describe('payout accounting, recomputed independently', () => {
  it('fixtures/tiktok: the fund, each deduction and its percent, claims by outcome, payments per class', async () => {
    const out = tmp.path('tiktok.csv');
    const r = await runCli(['accounting', tt, '--out', out, '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as Json;
    const d = deductions(join(TIKTOK, 'plan.json'));
    expect(a.fund).toBe(fromCents(d.fund));
    expect((a.deductions as Json[]).map((x) => ({ label: x.label, amount: x.amount, percent: x.percentOfFund }))).toEqual(d.lines);
    expect(a.net).toBe(fromCents(d.net));
    expect(a.rounds).toHaveLength(1);
    expectRound(a.rounds[0], tt);
    const rows = ledger(tt);
    const paid = rows.reduce((s, x) => s + toCents(x.amount!), 0n);
    expect(a.rounds[0].uncashed).toBeNull();
    expect(a.residual.amount).toBe(fromCents(d.net - paid));
    expect(a.distributed).toBe(fromCents(paid));
    expect(a.balanced).toBe(true);
    expect(a.claimsFiled).toBe(rows.length);
    for (const f of a.notice as Json[]) expect(f.count).toBeNull();

    // The CSV holds the same figures; facts that were not given say so.
    const csv = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    const line = (section: string, item: string, cls = '', round = '') => csv.find((l) => l.section === section && l.item === item && l.class === cls && l.round === round);
    expect(line('deductions', "Attorneys' fees")).toMatchObject({ amount: d.lines[0]!.amount, percent: d.lines[0]!.percent, percent_of: 'fund' });
    expect(line('class and notice', 'Objections')).toMatchObject({ count: '', amount: '', source: 'not given' });
    expect(line('payments', 'Median payment', 'illinois', '1')?.amount).toBe(statsByClass(rows).get('illinois')?.median);
    expect(line('claims by outcome', 'ineligible', '', '1')).toMatchObject(
      { count: String(outcomes(rows).ineligible!.count), percent: outcomes(rows).ineligible!.percent },
    );
  });

  it('fixtures/facebook-round2: both rounds, the uncashed payments, the costs and where the fund went', async () => {
    const facts = tmp.write('facts.json', JSON.stringify({ classMembers: 5600, noticesSent: 5500, noticesReturned: 210, optOuts: 3, objections: 1, noticeMethods: ['email', 'postcard'], source: 'fixture' }));
    const r = await runCli(['accounting', fb1, fb2, '--facts', facts, '--out', tmp.path('fb.csv'), '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as Json;
    const d = deductions(join(FB, 'plan.json'));
    expect((a.deductions as Json[]).map((x) => x.amount)).toEqual(d.lines.map((l) => l.amount));
    expect(a.rounds).toHaveLength(2);
    expectRound(a.rounds[0], fb1);
    expectRound(a.rounds[1], fb2);

    const r1 = ledger(fb1);
    const r2 = ledger(fb2);
    const uncashed = r2.filter((x) => x.outcome === 'uncashed');
    const uncashedValue = uncashed.reduce((s, x) => s + toCents(x.first_amount!), 0n);
    const paid1 = r1.reduce((s, x) => s + toCents(x.amount!), 0n);
    const paid2 = r2.reduce((s, x) => s + toCents(x.amount!), 0n);
    expect(a.rounds[0].uncashed).toEqual({ count: uncashed.length, amount: fromCents(uncashedValue), percentOfPayments: pct(BigInt(uncashed.length), BigInt(r1.filter((x) => toCents(x.amount!) > 0n).length)), percentOfAmount: pct(uncashedValue, paid1) });
    expect(a.rounds[1].uncashed).toBeNull();
    const costs = toCents('12329.50');
    expect(a.rounds[1].costs).toBe('12329.50');
    const available = d.net - paid1 + uncashedValue - costs;
    expect(a.rounds[1].available).toBe(fromCents(available));
    expect(a.residual).toEqual({ amount: fromCents(available - paid2), recipient: 'cy pres recipients named by the court', round: 2 });
    expect(a.distributed).toBe(fromCents(paid1 - uncashedValue + paid2));
    expect(a.balanced).toBe(true);

    // Facts with their percent of the class members; claims filed as a percent of them too.
    const notice = Object.fromEntries((a.notice as Json[]).map((f) => [f.key, [f.count, f.percent]]));
    expect(notice).toEqual({ classMembers: [5600, null], noticesSent: [5500, pct(5500n, 5600n)], noticesReturned: [210, pct(210n, 5600n)], optOuts: [3, pct(3n, 5600n)], objections: [1, pct(1n, 5600n)] });
    expect([a.claimsFiled, a.claimsFiledPercent]).toEqual([r1.length, pct(BigInt(r1.length), 5600n)]);
    expect(a.noticeMethods).toEqual(['email', 'postcard']);
  });
});

describe('payout accounting --payments', () => {
  it("counts and sums the pay folder's payments by method, as payments.csv has them", async () => {
    const r = await runCli(['accounting', p1, '--payments', pay1, '--out', tmp.path('paid.csv'), '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as Json;
    const want = new Map<string, { round: number; method: string; payments: number; amount: bigint }>();
    for (const p of parse(readFileSync(join(pay1, 'payments.csv')), { columns: true }) as Record<string, string>[]) {
      const w = want.get(p.method!) ?? { round: Number(p.round), method: p.method!, payments: 0, amount: 0n };
      w.payments++;
      w.amount += toCents(p.amount!);
      want.set(p.method!, w);
    }
    const got = (a.paymentMethods as Json[]).map((m) => ({ ...m, amount: toCents(m.amount) }));
    expect(got).toEqual([...want.values()].sort((x, y) => (x.method < y.method ? -1 : 1)));
    expect(want.size).toBe(4); // ach, check, paypal, venmo
    // Every payment of the ledger, once: the methods add up to the round's amount paid.
    const paid = ledger(p1).reduce((s, x) => s + toCents(x.amount!), 0n);
    expect(got.reduce((s, m) => s + m.amount, 0n)).toBe(paid);
    const csv = parse(readFileSync(tmp.path('paid.csv')), { columns: true }) as Record<string, string>[];
    expect(csv.filter((l) => l.section === 'payment methods').map((l) => [l.round, l.item, l.count, l.source])).toEqual(
      got.map((m) => ['1', m.method, String(m.payments), 'payments']),
    );
  });
});

describe('payout accounting refuses', () => {
  const run = (...args: string[]) => runCli(['accounting', ...args]);

  it('facts with an unknown key or a count as a string (exit 2), naming each', async () => {
    const facts = tmp.write('bad-facts.json', JSON.stringify({ objection: 2, optOuts: '3' }));
    const r = await run(tt, '--facts', facts, '--out', tmp.path('x.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('objection');
    expect(r.stderr).toContain('optOuts');
    expect(existsSync(tmp.path('x.csv'))).toBe(false);
  });

  it('a ledger edited after the run (exit 1)', async () => {
    const copy = tmp.path('edited');
    cpSync(tt, copy, { recursive: true });
    const file = join(copy, 'ledger.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/,13420\.51\n/, ',13420.52\n'));
    const r = await run(copy, '--out', tmp.path('edited.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ledger.csv does not match the SHA-256 in manifest.json');
    expect(existsSync(tmp.path('edited.csv'))).toBe(false);
  });

  it('a second round named first (exit 2), and a second round of another first round (exit 1)', async () => {
    const first = await run(fb2, '--out', tmp.path('y.csv'));
    expect(first.code).toBe(2);
    expect(first.stderr).toContain("a second round's folder");
    const other = await run(tt, fb2, '--out', tmp.path('y.csv'));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('was not computed from');
  });

  it('a folder that is not an output folder (exit 2)', async () => {
    const r = await run(tmp.path('nowhere'), '--out', tmp.path('z.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('manifest.json: not found');
  });

  it('a folder that is not a pay folder (exit 2), and a pay folder of another ledger (exit 1)', async () => {
    const r = await run(tt, '--payments', tmp.path('pay'), '--out', tmp.path('p.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('payout pay');
    expect(existsSync(tmp.path('p.csv'))).toBe(false);
    const other = await run(tt, '--payments', pay1, '--out', tmp.path('p.csv'));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('paid a ledger that is not one of');
    expect(existsSync(tmp.path('p.csv'))).toBe(false);
  });

  it('an existing --out file without --force (exit 2)', async () => {
    const kept = tmp.write('kept.csv', 'old\n');
    const r = await run(tt, '--out', kept);
    expect(r.code).toBe(2);
    expect(readFileSync(kept, 'utf8')).toBe('old\n');
  });
});
