/**
 * `payout explain --plan PLAN DIR UNCASHED.csv DIR2 CLAIM_ID…`: a second round's claims explained.
 * Every claim of fixtures/facebook-round2 agrees with the round-2 ledger (through the binary, which
 * also checks each claim's row of DIR2/ledger.csv, and through the core with the tie ranks checked);
 * the cap over both rounds, a claim with no room and the minimum rule's round are explained with
 * numbers worked by hand; and the exit codes.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainRoundTwoRows } from '../../src/app/explain.js';
import type { RoundTwoExplained } from '../../src/app/explain.js';
import { explainRoundTwoClaim, type RoundTwoClaimReport } from '../../src/core/explain-redistribution.js';
import type { Plan } from '../../src/core/plan.js';
import { availableFor, type Available } from '../../src/core/first-round.js';
import { redistribute, roundTwoSeed } from '../../src/core/redistribute.js';
import { tieKeyer } from '../../src/io/hash.js';
import { computeRedistribution } from '../../src/app/redistribute.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { makeFirstRound, money, share, uncashedFlags, type FirstRow } from '../redistribute/first-round.js';

const FIXTURE = join(ROOT, 'fixtures/facebook-round2');
const PLAN = join(FIXTURE, 'plan.json');
const UNCASHED = join(FIXTURE, 'uncashed.csv');
const dir = tempDir();
const round1 = dir.path('round1');
const round2 = dir.path('round2');

function ledgerRows(file: string): Map<string, { outcome: string; amount: string; line: number }> {
  const rows = new Map<string, { outcome: string; amount: string; line: number }>();
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .forEach((l, i) => {
      const [id, , , outcome, amount] = l.split(',');
      rows.set(id!, { outcome: outcome!, amount: amount!, line: i + 2 });
    });
  return rows;
}

beforeAll(async () => {
  const r1 = await runCli(['allocate', '--plan', PLAN, join(FIXTURE, 'claims.csv'), '--out', round1, '--quiet']);
  expect(r1.code, r1.stderr).toBe(0);
  const r2 = await runCli(['redistribute', '--plan', PLAN, '--from', round1, '--uncashed', UNCASHED, '--costs', '12329.50', '--out', round2, '--quiet']);
  expect(r2.code, r2.stderr).toBe(0);
});

describe('explain on fixtures/facebook-round2 agrees with the round-2 ledger', () => {
  it('for every one of its 2,040 claims, through the binary', async () => {
    const ledger = ledgerRows(join(round2, 'ledger.csv'));
    const r = await runCli(['explain', '--plan', PLAN, round1, UNCASHED, round2, ...ledger.keys(), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { format: string; seed: string; available: { available: string }; claims: RoundTwoExplained[] };
    expect(doc.format).toBe('payout-explain-round2/1');
    expect(doc.seed).toBe('facebook-bipa-fixture:round-2');
    expect(doc.available.available).toBe('55954.50');
    expect(doc.claims).toHaveLength(2040);
    for (const c of doc.claims) {
      const row = ledger.get(c.claimId)!;
      expect(`${c.claimId} ${c.outcome} ${c.amount}`).toBe(`${c.claimId} ${row.outcome} ${row.amount}`);
      expect(c.ledger).toMatchObject({ line: row.line, agrees: true });
      expect(BigInt(c.amountCents), c.claimId).toBe(BigInt(c.cents.floorCents) + (c.cents.remainderCent ? 1n : 0n));
    }
    expect(doc.claims.reduce((a, c) => a + BigInt(c.amountCents), 0n)).toBe(5_595_450n);
  });

  it('ranks the tie set consistently: the 1,770 smallest keys of the 1,828 got the cents', async () => {
    const run = await computeRedistribution({ planFile: PLAN, fromDir: round1, uncashedFile: UNCASHED, costs: 1_232_950n });
    const reports = explainRoundTwoRows(run, Array.from({ length: run.first.table.count }, (_, i) => i), UNCASHED);
    const tied = reports.filter((r) => r.cents.tie !== null);
    expect(tied).toHaveLength(1828);
    expect(new Set(tied.map((r) => r.cents.tie!.rank)).size).toBe(1828);
    for (const r of tied) {
      const t = r.cents.tie!;
      expect(t).toMatchObject({ size: 1828, cents: 1770, keyInput: `facebook-bipa-fixture:round-2:${r.claimId}` });
      expect(r.cents.remainderCent, r.claimId).toBe(t.rank <= t.cents);
      expect(t.key <= t.cutoffKey, r.claimId).toBe(r.cents.remainderCent);
    }
    const uncashed = reports.filter((r) => r.status === 'uncashed');
    expect(uncashed).toHaveLength(172);
    expect(uncashed.every((r) => r.uncashedLine !== null && r.pool === null && r.amount === '0.00')).toBe(true);
  });
});

describe('payout explain DIR UNCASHED.csv DIR2 (the binary)', () => {
  it('prints every step for a claim, with numbers worked by hand', async () => {
    const r = await runCli(['explain', '--plan', PLAN, round1, UNCASHED, round2, 'FB-00001', 'FB-00003']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    for (const line of [
      `Claim FB-00001, second round (${join(round1, 'ledger.csv')} line 2)`,
      '  first round  paid $397.00, exact share $397.000000',
      '+ 172 uncashed payments',
      '= Available',
      '  1,828 cashed claims, 725,716.000000 points',
      // 5,595,450 × 397 / 725,716 = 2,797,725 / 914 = 3,060.968… cents
      'Share, in cents: 5,595,450 × 397.000000 / 725,716.000000',
      '  = 2,797,725/914 cents ≈ 3,060.968271 cents',
      'Minimum: $5.00 on the second-round amount, met',
      '  remainder: 885/914 cent (0.968271)',
      '  tie: 1,828 claims share this remainder and 1,770 cents remain for them, to the smallest keys',
      '  key: SHA-256("facebook-bipa-fixture:round-2:FB-00001") = ',
      'Amount: $30.61 (3,061 cents, with a remainder cent)',
      `${join(round2, 'ledger.csv')} line 2: paid $30.61 ✓ agrees`,
      `  status       uncashed: listed in ${UNCASHED} line 2; its first payment comes back to the fund and it takes no part`,
      'Amount: $0.00 (uncashed: takes no part in the second round)',
    ]) {
      expect(r.stdout).toContain(line);
    }
  });

  it('exits 1 when DIR2/ledger.csv does not hold what the inputs give', async () => {
    const tampered = dir.path('tampered');
    cpSync(round2, tampered, { recursive: true });
    const ledger = join(tampered, 'ledger.csv');
    writeFileSync(ledger, readFileSync(ledger, 'utf8').replace('FB-00001,illinois,397.00,paid,30.61', 'FB-00001,illinois,397.00,paid,31.61'));
    const r = await runCli(['explain', '--plan', PLAN, round1, UNCASHED, tampered, 'FB-00001']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Amount: $30.61');
    expect(r.stdout).toContain(`${ledger} line 2: paid $31.61 ✗ differs from what these inputs give`);
    expect(r.stderr).toContain(`${ledger}: FB-00001: not what these inputs give`);
  });

  it('refuses unknown claim ids, naming every one (exit 2)', async () => {
    const r = await runCli(['explain', '--plan', PLAN, round1, UNCASHED, round2, 'FB-00001', 'FB-NOPE', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(round1, 'ledger.csv')}: no claim with claim_id "FB-NOPE", "nope" (they are not in the first round's 2,040 rows)`);
    expect(r.stdout).toBe('');
  });

  it('says how to call it when the folders are not given as verify takes them (exit 2)', async () => {
    const second = await runCli(['explain', '--plan', PLAN, round2, 'FB-00001']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("is a second round's folder: give the first round's folder and the uncashed list before it, payout explain --plan PLAN DIR UNCASHED.csv DIR2 CLAIM_ID…");
    const firstOnly = await runCli(['explain', '--plan', PLAN, round1, 'FB-00001']);
    expect(firstOnly.code).toBe(2);
    expect(firstOnly.stderr).toContain('payout explain --plan PLAN DIR UNCASHED.csv DIR2 CLAIM_ID… (a first-round claim: payout explain --plan PLAN CLAIMS.csv CLAIM_ID…)');
    const notSecond = await runCli(['explain', '--plan', PLAN, round1, UNCASHED, round1, 'FB-00001']);
    expect(notSecond.code).toBe(2);
    expect(notSecond.stderr).toContain('was made by payout allocate, not payout redistribute');
  });

  it('warns when an input is not the file DIR2 was made from', async () => {
    const list = dir.write('uncashed-other.csv', readFileSync(UNCASHED, 'utf8').replace(/\r\n$/, '\r\n\r\n'));
    const r = await runCli(['explain', '--plan', PLAN, round1, list, round2, 'FB-00001']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${list} is not the file ${round2} was made from`);
  });
});

describe('explain of a second round: the cap over both rounds and the minimum rule', () => {
  type RoundPlan = Pick<Plan, 'maximumPayment' | 'minimumPayment' | 'rounding' | 'seed'>;
  const plan = (p: Partial<RoundPlan>): RoundPlan => ({ maximumPayment: null, minimumPayment: null, rounding: { method: 'largest-remainder' }, seed: 's', ...p });
  const paid = (id: string, amount: string, cls = 'x'): FirstRow => ({ id, class: cls, outcome: 'paid', amount: money(amount) });

  function explainAll(p: RoundPlan, rows: FirstRow[], residual: string): Map<string, RoundTwoClaimReport> {
    const first = makeFirstRound(rows);
    const flags = uncashedFlags(rows, []);
    const available = availableFor(first, flags, money(residual), 0n) as Available;
    const key = tieKeyer(roundTwoSeed(p));
    const r = redistribute(p, first, flags, available, key);
    return new Map(rows.map((x, row) => [x.id, explainRoundTwoClaim(p, first, r, row, key, { uncashed: 'uncashed.csv', uncashedLine: null })]));
  }

  it('a claim capped at its room, and the others sharing what is left', () => {
    // cap 400.00, 100.00 available: A (397.00 paid, room 3.00) is capped; B share 91.00 pro rata
    const rows = [paid('A1', '397.00'), paid('A2', '397.00'), paid('A3', '397.00'), paid('B1', '100.00'), paid('B2', '100.00')];
    const e = explainAll(plan({ maximumPayment: money('400.00') }), rows, '100.00');
    expect(e.get('A1')).toMatchObject({
      outcome: 'capped',
      cap: { maximum: '400.00', room: '3.00', noRoom: false, applied: true },
      // λ = 9,100 cents / 200.00 of share = 91/2 cents per 1.00; 91/2 × 397 = 36127/2 > 300
      share: { formula: 'min(300, 91/2 × 397.000000 = 36127/2) = 300 (its room)', cents: { fraction: '300' } },
      amount: '3.00',
    });
    expect(e.get('B1')).toMatchObject({
      outcome: 'paid',
      share: { formula: '(10000 − 900) × 100.000000 / 200.000000', cents: { fraction: '4550' } },
      pool: { cappedClaims: 3, cappedTotal: '9.00', paidClaims: 2, paidPoints: '200.000000', perFirstRoundShare: '0.455000' },
      amount: '45.50',
    });
  });

  it('a claim with no room left under the cap', () => {
    const rows = [paid('full', '400.00'), paid('wide', '200.00')];
    const e = explainAll(plan({ maximumPayment: money('400.00'), minimumPayment: money('5.00') }), rows, '50.00');
    expect(e.get('full')).toMatchObject({ outcome: 'capped', share: null, cap: { room: '0.00', noRoom: true, applied: true }, amount: '0.00' });
    expect(e.get('full')!.pool).toMatchObject({ noRoomClaims: 1, paidClaims: 1 });
  });

  it('the round of the minimum rule that removed claims of equal share, a cent apart in the first round', () => {
    const nationwide = (i: number, amount: string): FirstRow => ({ ...paid(`N${i}`, amount, 'nationwide'), share: share('40.532500') });
    const illinois = (i: number, amount: string): FirstRow => ({ ...paid(`I${i}`, amount, 'illinois'), share: share('243.195000') });
    const rows = [...[1, 2, 3, 4, 5, 6].map((i) => nationwide(i, '40.53')), nationwide(7, '40.54'), nationwide(8, '40.54'), illinois(1, '243.19'), illinois(2, '243.20')];
    const e = explainAll(plan({ minimumPayment: money('5.00') }), rows, '90.00');
    // 9,000 cents × 40.5325 / 810.65 = 450 cents < 500: round 1 of 1, all 8 together
    for (const id of ['N1', 'N8']) {
      expect(e.get(id)).toMatchObject({
        outcome: 'below_minimum',
        share: null,
        minimum: { minimum: '5.00', removed: { step: 1, steps: 1, removedWithIt: 8, shareAtStepCents: { fraction: '450' } } },
        amount: '0.00',
      });
    }
    expect(e.get('I1')).toMatchObject({ outcome: 'paid', share: { formula: '9000 × 243.195000 / 486.390000', cents: { fraction: '4500' } }, amount: '45.00' });
  });
});
