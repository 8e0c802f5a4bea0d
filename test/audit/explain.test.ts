/**
 * `payout explain`: the explanation of every claim agrees with the ledger (TikTok: all 3,000
 * claims against the ledger `payout allocate` wrote; every other scenario against its golden
 * ledger), tie ranks are consistent with who got a cent, the minimum rule's round and the cap are
 * explained with the hand-checked numbers of the fixtures' READMEs, and the CLI's exit codes.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocate.js';
import type { ClaimReport } from '../../src/core/explain-report.js';
import { explainRows, findClaimRows } from '../../src/app/explain.js';
import { readClaims } from '../../src/io/claims-reader.js';
import { tieKeyer } from '../../src/io/hash.js';
import { readLedger } from '../../src/io/ledger-reader.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { scenarios } from '../allocate/scenario-files.js';

const tmp = tempDir();

/** The tie-break key, memoised: explainClaim hashes a claim's whole tie set to rank it. */
function memoKey(seed: string): (id: string) => string {
  const key = tieKeyer(seed);
  const cache = new Map<string, string>();
  return (id) => {
    let k = cache.get(id);
    if (k === undefined) cache.set(id, (k = key(id)));
    return k;
  };
}

/** Every claim of a scenario explained, in input order. */
async function explainAll(planFile: string, claimsFile: string): Promise<ClaimReport[]> {
  const { plan } = await loadPlan(planFile);
  const { table } = await readClaims(claimsFile, plan);
  const key = memoKey(plan.seed);
  const alloc = allocate(plan, table, key);
  return explainRows(plan, table, alloc, Array.from({ length: table.count }, (_, i) => i), key);
}

async function ledgerRows(file: string): Promise<Map<string, Record<string, string>>> {
  const rows = new Map<string, Record<string, string>>();
  await readLedger(file, ['claim_id', 'outcome', 'share', 'amount'], (r) => rows.set(r.cells.claim_id!, r.cells));
  return rows;
}

function expectAgrees(reports: ClaimReport[], ledger: Map<string, Record<string, string>>): void {
  expect(reports.length).toBe(ledger.size);
  for (const r of reports) {
    const row = ledger.get(r.claimId);
    expect(row, r.claimId).toBeDefined();
    expect(`${r.claimId} ${r.outcome} ${r.amount}`).toBe(`${r.claimId} ${row!.outcome} ${row!.amount}`);
    expect(r.share?.ledger ?? '0.000000', r.claimId).toBe(row!.share);
    // amount = floor + the remainder cent
    expect(BigInt(r.amountCents), r.claimId).toBe(BigInt(r.cents.floorCents) + (r.cents.remainderCent ? 1n : 0n));
  }
}

describe('explain agrees with the ledger', () => {
  const out = tmp.path('tiktok');
  let reports: ClaimReport[] = [];

  beforeAll(async () => {
    const r = await runCli(['allocate', '--plan', join(ROOT, 'fixtures/tiktok/plan.json'), join(ROOT, 'fixtures/tiktok/claims.csv'), '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    reports = await explainAll(join(ROOT, 'fixtures/tiktok/plan.json'), join(ROOT, 'fixtures/tiktok/claims.csv'));
  });

  it('for every one of the 3,000 TikTok claims', async () => {
    expectAgrees(reports, await ledgerRows(join(out, 'ledger.csv')));
    const total = reports.reduce((a, r) => a + BigInt(r.amountCents), 0n);
    expect(total).toBe(BigInt(reports[0]!.fund.netCents));
  });

  it('ranks the TikTok tie set consistently: the claims with the smallest keys got the cents', () => {
    const tied = reports.filter((r) => r.cents.tie !== null);
    const tie = tied[0]!.cents.tie!;
    expect(tied).toHaveLength(tie.size);
    expect(new Set(tied.map((r) => r.cents.tie!.rank)).size).toBe(tie.size);
    for (const r of tied) {
      const t = r.cents.tie!;
      expect(r.cents.remainderCent, r.claimId).toBe(t.rank <= t.cents);
      expect(t.key <= t.cutoffKey, r.claimId).toBe(r.cents.remainderCent);
      expect(t.keyInput).toBe(`tiktok-mdl-2948:${r.claimId}`);
    }
    // the other remainders: larger ones all got a cent, the tie set got the rest
    const larger = reports.filter((r) => r.outcome === 'paid' && r.cents.tie === null);
    expect(larger.every((r) => r.cents.level === 'all' && r.cents.remainderCent)).toBe(true);
    expect(larger.length + tie.cents).toBe(Number(reports[0]!.cents.leftoverCents));
  });

  it.each(scenarios().filter((s) => s.name !== 'tiktok').map((s) => [s.name, s] as const))('for every claim of %s (golden ledger)', async (_, s) => {
    expectAgrees(await explainAll(s.plan, s.claims), await ledgerRows(s.expectedLedger));
  });
});

describe('explain, step by step', () => {
  const fixture = (name: string) => [join(ROOT, `fixtures/${name}/plan.json`), join(ROOT, `fixtures/${name}/claims.csv`)] as const;
  const byId = async (name: string) => new Map((await explainAll(...fixture(name))).map((r) => [r.claimId, r]));

  it('the TikTok share as a fraction of cents', async () => {
    const r = (await byId('tiktok')).get('TT-0000002')!;
    expect(r.share).toEqual({ formula: '5709083333 × 1 / 4254', cents: { fraction: '5709083333/4254', decimal: '1342050.618947' }, ledger: '13420.506189' });
    expect(r.fund.deductions.map((d) => d.amount)).toEqual(['30666666.67', '1200000.00', '3000000.00', '42500.00']);
    expect(r.pool).toMatchObject({ id: 'all', eligiblePoints: '4254', paidPoints: '4254', eligibleClaims: 2824 });
    expect(r.cents).toMatchObject({ floorCents: '1342050', remainderCents: { fraction: '2633/4254' }, leftoverCents: '1775', largerRemainders: 286, level: 'tie' });
  });

  it('the round of the minimum rule that removed a claim (fixtures/minimum-removes)', async () => {
    const m = await byId('minimum-removes');
    // round 1: λ = 10,001/56, p = 1 → 178.59 cents < 500; round 2: λ = 10,001/50, p = 2 → 400.04 < 500
    expect(m.get('B-01')!.minimum.removed).toMatchObject({ step: 1, steps: 2, removedWithIt: 6, shareAtStepCents: { fraction: '10001/56' } });
    expect(m.get('E-01')!.minimum.removed).toMatchObject({ step: 2, steps: 2, removedWithIt: 5, shareAtStepCents: { fraction: '10001/25' } });
    const b02 = m.get('B-02')!;
    expect(b02.minimum.removed).toBeNull();
    expect(b02.share?.formula).toBe('10001 × 10 / 40');
    expect(b02.cents.tie).toMatchObject({ rank: 1, size: 4, cents: 1 });
    expect(b02.amount).toBe('25.01');
  });

  it('the cap by water-filling (fixtures/cap-binds)', async () => {
    const c = await byId('cap-binds');
    expect(c.get('M-07')!).toMatchObject({ outcome: 'capped', cap: { applied: true }, share: { formula: 'min(15000, 20000/3 × 2.25 = 15000) = 15000 (the cap)' } });
    expect(c.get('M-02')!.share?.formula).toBe('(115000 − 15000 × 5) × 1 / 6');
    expect(c.get('M-02')!.cap).toEqual({ maximum: '150.00', applied: false });
    expect(c.get('M-05')!).toMatchObject({ outcome: 'ineligible', pool: null, share: null, amount: '0.00' });
  });

  it('finds claims by id, and names the ones that are not there', async () => {
    const { plan } = await loadPlan(fixture('minimum-removes')[0]);
    const { table } = await readClaims(fixture('minimum-removes')[1], plan);
    expect(findClaimRows(table, ['E-01', 'B-01'])).toEqual({ rows: [2, 0] });
    expect(findClaimRows(table, ['E-01', 'X', 'Y'])).toEqual({ unknown: ['X', 'Y'] });
  });
});

describe('payout explain (the binary)', () => {
  const args = ['explain', '--plan', join(ROOT, 'fixtures/tiktok/plan.json'), join(ROOT, 'fixtures/tiktok/claims.csv')];

  it('prints every step for each claim asked', async () => {
    const r = await runCli([...args, 'TT-0000002', 'TT-0000011']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    for (const line of [
      'Claim TT-0000002 (',
      '  Net settlement fund',
      'Share, in cents: 5,709,083,333 × 1 / 4,254',
      '  = 5,709,083,333/4,254 cents ≈ 1,342,050.618947 cents = $13,420.506189 (ledger share)',
      '  2,824 eligible claims, 4,254 points',
      '  one point is worth 5,709,083,333/4,254 cents (1,342,050.618947)',
      "  − Attorneys' fees (33.3333333333% of the fund $92,000,000.00, rounded half-up)",
      '  key: SHA-256("tiktok-mdl-2948:TT-0000002") = ',
      'Claim TT-0000011 (',
      '  all 286 claims with this remainder get a cent',
    ]) {
      expect(r.stdout).toContain(line);
    }
    expect(r.stdout).toMatch(/rank [\d,]+ of 2,538 → (a cent|no cent)/);
    expect(r.stdout).toMatch(/Amount: \$13,420\.5[01] /);
  });

  it('prints JSON with --json', async () => {
    const r = await runCli([...args, 'TT-0000002', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { format: string; seed: string; claims: ClaimReport[] };
    expect(doc.format).toBe('payout-explain/1');
    expect(doc.claims).toHaveLength(1);
    expect(doc.claims[0]).toMatchObject({ claimId: 'TT-0000002', line: 3, outcome: 'paid', points: '1' });
  });

  it('refuses unknown claim ids, naming every one (exit 2), and says nothing else', async () => {
    const r = await runCli([...args, 'TT-0000002', 'TT-NOPE', 'nope']);
    expect(r.code).toBe(2);
    // The file's 9 duplicate-email warnings are not told: the unknown ids are the one thing to fix.
    expect(r.stderr).toBe(`payout: ${join(ROOT, 'fixtures/tiktok/claims.csv')}: no claim with claim_id "TT-NOPE", "nope" (they are not in the file's 3,000 valid rows)\n`);
    expect(r.stdout).toBe('');
  });

  it('counts the claims file\'s warnings in one line; --warnings lists them', async () => {
    const r = await runCli([...args, 'TT-0000002']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('0 errors, 9 warnings (not listed: add --warnings to list them, or run payout validate)\n');
    const listed = await runCli([...args, 'TT-0000002', '--warnings']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr.match(/^warning: .*claims\.csv:\d+: email: same email as line/gm)).toHaveLength(9);
    expect(listed.stderr).toContain('0 errors, 9 warnings\n');
    expect(listed.stdout).toBe(r.stdout);
  });

  it('lists every error of a claims file that fails, with the warnings counted (exit 1)', async () => {
    const r = await runCli(['explain', '--plan', join(ROOT, 'fixtures/errors/plan.json'), join(ROOT, 'fixtures/errors/many-problems.csv'), 'X']);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/^error: /gm)).toHaveLength(10);
    expect(r.stderr).not.toMatch(/^warning: /m);
  });

  it('needs at least one claim id (exit 2)', async () => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('at least one claim id');
  });
});

describe('payout explain says one as one', () => {
  const plan = tmp.write(
    'lone-plan.json',
    JSON.stringify({ name: 'One of each', currency: 'USD', gross: '100.00', deductions: [], classes: [{ id: 'all', weight: '1' }], minimumPayment: '5.00', seed: 'lone' }),
  );

  it('one claim of 1 point: "1 eligible claim, 1 point", no leftover cent said as none', async () => {
    const claims = tmp.write('lone-one.csv', 'claim_id,class,units\nA,all,1\n');
    const r = await runCli(['explain', '--plan', plan, claims, 'A']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  1 eligible claim, 1 point\n');
    expect(r.stdout).toContain("  the pool's floors leave no cent over\n");
    expect(r.stdout).not.toMatch(/\b1 points\b|0 cents left after the floors go/);
  });

  it('a claim the minimum removes alone: "the only claim with 1 point", not "all 1 claim … were"', async () => {
    // A has 1 point of 101: $0.99, below the $5.00 minimum; B alone has 100 points.
    const claims = tmp.write('lone-two.csv', 'claim_id,class,units\nA,all,1\nB,all,100\n');
    const r = await runCli(['explain', '--plan', plan, claims, 'A']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/below the minimum; it was the only claim with 1 point\n/);
    expect(r.stdout).not.toContain('all 1 claim');
  });
});
