/** The second distribution's rules (docs/spec.md §6), one example each, worked by hand. */
import { describe, expect, it } from 'vitest';
import { ratEq } from '../../src/core/decimal.js';
import type { Plan } from '../../src/core/plan.js';
import { availableFor, matchUncashed, type Available } from '../../src/core/first-round.js';
import {
  perShareUnit,
  redistribute,
  roundTwoSeed,
  type Redistribution,
} from '../../src/core/redistribute.js';
import { amountOf } from '../../src/core/cell-cents.js';
import { fillWithRooms } from '../../src/core/redistribute-fill.js';
import {
  buildRedistributionSummary,
  redistributionLedger,
  redistributionLedgerChunks,
  redistributionLedgerHeader,
} from '../../src/core/redistribute-output.js';
import { tieKeyer, sha256Hex } from '../../src/io/hash.js';
import { makeFirstRound, money, share, uncashedFlags, type FirstRow } from './first-round.js';

type RoundPlan = Pick<Plan, 'maximumPayment' | 'minimumPayment' | 'rounding' | 'seed'>;
const plan = (p: Partial<RoundPlan> = {}): RoundPlan => ({
  maximumPayment: null,
  minimumPayment: null,
  rounding: { method: 'largest-remainder' },
  seed: 's',
  ...p,
});

const paid = (id: string, amount: string, cls = 'x'): FirstRow => ({ id, class: cls, outcome: 'paid', amount: money(amount) });

function second(p: RoundPlan, rows: FirstRow[], uncashed: string[], opts: { residual?: string; costs?: string } = {}) {
  const first = makeFirstRound(rows);
  const flags = uncashedFlags(rows, uncashed);
  const available = availableFor(first, flags, money(opts.residual ?? '0'), money(opts.costs ?? '0')) as Available;
  const r = redistribute(p, first, flags, available, tieKeyer(roundTwoSeed(p)));
  const out = (row: number) => [r.cells[r.cellOf[row]!]!.outcome, (Number(amountOf(r, row)) / 100).toFixed(2)];
  return { first, r, rows: rows.map((_, row) => out(row)) };
}

describe('redistribute: the Facebook shape (equal first payments)', () => {
  it('pays the uncashed amounts less costs pro rata, a cent apart at most', () => {
    const rows = Array.from({ length: 10 }, (_, i) => paid(`FB-${i}`, '397.00'));
    rows.push({ id: 'FB-R', class: 'x', outcome: 'ineligible', amount: 0n });
    const { r, rows: out } = second(plan(), rows, ['FB-3', 'FB-7'], { costs: '100.00' });
    // available = 2 × 397.00 − 100.00 = 694.00 over 8 cashed claims: 86.75 each, exactly
    expect(r.available).toMatchObject({ uncashedClaims: 2, uncashedAmount: 79_400n, available: 69_400n });
    expect(out).toEqual([
      ...['paid', 'paid', 'paid', 'uncashed', 'paid', 'paid', 'paid', 'uncashed', 'paid', 'paid'].map((o) => [o, o === 'paid' ? '86.75' : '0.00']),
      ['ineligible', '0.00'],
    ]);
    expect(r.residual).toBe(0n);
    // λ per 1.00 of first-round share: 694.00 / (8 × 397.00)
    expect(ratEq(perShareUnit(r.level!), { n: 69_400n, d: 8n * 39_700n })).toBe(true);
  });

  it('places the leftover cents by largest remainder with the round-2 key', () => {
    const rows = Array.from({ length: 3 }, (_, i) => paid(`C${i}`, '397.00'));
    const { r, rows: out } = second(plan({ seed: 'fb' }), rows, [], { residual: '100.00' });
    // 10,000 cents over 3: 3,333 each, one leftover cent to the smallest SHA-256("fb:round-2:" + id)
    const key = (id: string) => sha256Hex(`fb:round-2:${id}`);
    const winner = ['C0', 'C1', 'C2'].sort((a, b) => (key(a) < key(b) ? -1 : 1))[0];
    expect(out).toEqual(['C0', 'C1', 'C2'].map((id) => ['paid', id === winner ? '33.34' : '33.33']));
    expect(r.tie).toMatchObject({ size: 3, cents: 1, cutoffKey: key(winner!) });
    expect(r.centsPlaced).toBe(1n);
  });

  it('under per-point rounding floors every share and keeps the rest as residual', () => {
    const rows = Array.from({ length: 3 }, (_, i) => paid(`C${i}`, '397.00'));
    const { r, rows: out } = second(plan({ rounding: { method: 'per-point', decimals: 2 } }), rows, [], { residual: '100.00' });
    expect(out).toEqual([['paid', '33.33'], ['paid', '33.33'], ['paid', '33.33']]);
    expect(r.residual).toBe(1n);
    expect(r.centsPlaced).toBe(0n);
  });
});

describe('redistribute: the cap over both rounds', () => {
  it('caps a claim at maximumPayment − its first amount and gives the excess to the others', () => {
    // cap 400.00: A (397.00) has 3.00 of room, B (100.00) has 300.00. 100.00 available.
    const rows = [paid('A1', '397.00'), paid('A2', '397.00'), paid('A3', '397.00'), paid('B1', '100.00'), paid('B2', '100.00')];
    const { r, rows: out } = second(plan({ maximumPayment: money('400.00') }), rows, [], { residual: '100.00' });
    // pro rata, A would get 28.54 > 3.00: capped; B share the remaining 91.00
    expect(out).toEqual([['capped', '3.00'], ['capped', '3.00'], ['capped', '3.00'], ['paid', '45.50'], ['paid', '45.50']]);
    expect(r.residual).toBe(0n);
  });

  it('gives 0 (outcome capped) to a claim with no room, or room below the minimum', () => {
    const rows = [paid('full', '400.00'), paid('narrow', '397.00'), paid('wide', '200.00')];
    const { rows: out, r } = second(plan({ maximumPayment: money('400.00'), minimumPayment: money('5.00') }), rows, [], { residual: '50.00' });
    expect(out).toEqual([['capped', '0.00'], ['capped', '0.00'], ['paid', '50.00']]);
    expect(r.classes[0]).toMatchObject({ eligible: 3, paid: 1, capped: 2 });
  });

  it('leaves the money as residual when every claim reaches its room', () => {
    const rows = [paid('A', '390.00'), paid('B', '380.00')];
    const { rows: out, r } = second(plan({ maximumPayment: money('400.00') }), rows, [], { residual: '100.00' });
    expect(out).toEqual([['capped', '10.00'], ['capped', '20.00']]);
    expect(r.residual).toBe(7_000n);
  });

  it('calls a share exactly at the room capped', () => {
    // A: 200.00 paid, room 200.00 (threshold 1); B: 100.00 paid, room 300.00 (threshold 3).
    // 300.00 available: λ = 1 exactly, so A's share equals its room.
    const fill = fillWithRooms(30_000n, [
      { points: 20_000n, count: 1n, room: 20_000n },
      { points: 10_000n, count: 1n, room: 30_000n },
    ], null);
    expect(fill.shares.map((s) => s.outcome)).toEqual(['capped', 'paid']);
    expect(fill.shares.map((s) => s.share.n / s.share.d)).toEqual([20_000n, 10_000n]);
    expect(fill.exactTotal).toBe(30_000n);
  });
});

describe('redistribute: points are the first-round exact share (the ledger\'s share column)', () => {
  // A TikTok-shaped first round: 8 nationwide claims of equal entitlement, exact share 40.532500
  // each, paid 40.53 (6 of them) or 40.54 (2, the remainder cents); 2 Illinois claims of share
  // 243.195000, paid 243.19 and 243.20. Minimum 5.00.
  const nationwide = (i: number, amount: string): FirstRow => ({ ...paid(`N${i}`, amount, 'nationwide'), share: share('40.532500') });
  const illinois = (i: number, amount: string): FirstRow => ({ ...paid(`I${i}`, amount, 'illinois'), share: share('243.195000') });
  const rows = [
    ...[1, 2, 3, 4, 5, 6].map((i) => nationwide(i, '40.53')),
    nationwide(7, '40.54'),
    nationwide(8, '40.54'),
    illinois(1, '243.19'),
    illinois(2, '243.20'),
  ];
  const min5 = plan({ minimumPayment: money('5.00') });

  it('would split claims of equal entitlement by the remainder cent if points were the amount paid', () => {
    // The hazard, shown with points = the amount in cents (share left to default to the amount):
    // 9,000 cents × 4053 / 81065 = 449.97 < 500, so every 40.53 claim is removed; then
    // 9,000 × 4054 / 56747 = 642.97 ≥ 500: the 40.54 claims are paid. One cent decides $0 or $6.43.
    const centPoints = rows.map(({ share: _, ...r }) => r);
    const { rows: out } = second(min5, centPoints, [], { residual: '90.00' });
    expect(out.slice(0, 8).map(([o]) => o)).toEqual([...Array(6).fill('below_minimum'), 'paid', 'paid']);
    expect(out[6]![1]).toMatch(/^6\.4[23]$/);
  });

  it('keeps or removes claims of equal share together: all removed when their share is below the minimum', () => {
    // Σ points = 8 × 40.5325 + 2 × 243.195 = 810.65; a nationwide claim: 90.00 × 40.5325 / 810.65
    // = 4.50 < 5.00, so all 8 are removed together, whatever they were paid; Illinois shares 90.00.
    const { rows: out, r } = second(min5, rows, [], { residual: '90.00' });
    expect(out).toEqual([...Array(8).fill(['below_minimum', '0.00']), ['paid', '45.00'], ['paid', '45.00']]);
    expect(r.fill).toMatchObject({ eligibleClaims: 10, belowMinimumClaims: 8, removedValues: 1, paidClaims: 2 });
    expect(r.residual).toBe(0n);
  });

  it('pays claims of equal share amounts at most a cent apart when they meet the minimum', () => {
    // 200.05 over 810.65 of share: a nationwide claim 20,005 × 0.05 = 1,000.25 cents, an Illinois
    // claim 20,005 × 0.3 = 6,001.5. Floors 20,002, 3 cents left: both Illinois remainders (0.5),
    // then one of the 8 nationwide (0.25), by the round-2 key. The 40.53s and 40.54s alike.
    const { rows: out, r } = second(min5, rows, [], { residual: '200.05' });
    expect(out.slice(0, 8).every(([o, a]) => o === 'paid' && (a === '10.00' || a === '10.01'))).toBe(true);
    expect(out.slice(0, 8).filter(([, a]) => a === '10.01')).toHaveLength(1);
    expect(out.slice(8)).toEqual([['paid', '60.02'], ['paid', '60.02']]);
    expect(r.residual).toBe(0n);
    // per 1.00 of first-round share: 200.05 / 810.65
    expect(ratEq(perShareUnit(r.level!), { n: 20_005n, d: 81_065n })).toBe(true);
  });

  it('uses the amount paid, not the share, for the cap over both rounds', () => {
    // cap 50.00: room 9.47 for a 40.53 claim, 9.46 for a 40.54 claim; 200.05 would give ~10.00
    const { rows: out } = second(plan({ maximumPayment: money('50.00') }), rows.slice(0, 8), [], { residual: '200.05' });
    expect(out).toEqual([...Array(6).fill(['capped', '9.47']), ['capped', '9.46'], ['capped', '9.46']]);
  });

  it('removes a points value with all its groups, even when one of them would be capped once another is gone', () => {
    // A and B: equal points, rooms 5.21 and 5.20 (amounts a cent apart); C: 10× the points, no cap.
    // With all three, λ = 5900/1200 and A, B get 491.67 cents < 500: both go. Removing only A would
    // raise λ to 5900/1100 and cap B at its room 520 ≥ 500: the split the rule must not make.
    const fill = fillWithRooms(5_900n, [
      { points: 100n, count: 1n, room: 521n },
      { points: 100n, count: 1n, room: 520n },
      { points: 1_000n, count: 1n, room: null },
    ], 500n);
    expect(fill.shares.map((s) => s.outcome)).toEqual(['below_minimum', 'below_minimum', 'paid']);
    expect(fill.removedValues).toBe(1);
    expect(fill.exactTotal).toBe(5_900n);
  });
});

describe('redistribute: the minimum applies to the second-round amount', () => {
  it('removes the smallest first amounts while their second amount is below the minimum', () => {
    const rows = [paid('small', '10.00'), paid('big', '1000.00')];
    const { rows: out, r } = second(plan({ minimumPayment: money('5.00') }), rows, [], { residual: '101.00' });
    // pro rata: small 1.00 < 5.00: removed; big gets all 101.00
    expect(out).toEqual([['below_minimum', '0.00'], ['paid', '101.00']]);
    expect(r.classes[0]).toMatchObject({ belowMinimum: 1, paid: 1 });
  });

  it('pays nobody when even the largest would get less than the minimum', () => {
    const { rows: out, r } = second(plan({ minimumPayment: money('5.00') }), [paid('a', '397.00'), paid('b', '397.00')], [], { residual: '9.00' });
    expect(out).toEqual([['below_minimum', '0.00'], ['below_minimum', '0.00']]);
    expect(r.residual).toBe(900n);
  });
});

describe('availableFor', () => {
  const rows = [paid('a', '397.00'), paid('b', '397.00')];
  const first = makeFirstRound(rows);
  const flags = uncashedFlags(rows, ['a']);

  it('is residual + uncashed − costs', () => {
    expect(availableFor(first, flags, 123n, 100n)).toEqual({ firstRoundResidual: 123n, uncashedClaims: 1, uncashedAmount: 39_700n, costs: 100n, available: 39_723n });
    expect(availableFor(first, flags, 123n, 39_823n)).toMatchObject({ available: 0n });
  });

  it('refuses costs above it', () => {
    expect(availableFor(first, flags, 123n, 39_824n)).toEqual({
      message: 'the costs $398.24 are more than the second round has: first-round residual $1.23 + uncashed $397.00 = $398.23',
    });
  });
});

describe('matchUncashed', () => {
  const rows: FirstRow[] = [
    paid('A', '10.00'),
    { id: 'B', class: 'x', outcome: 'below_minimum', amount: 0n },
    { id: 'C', class: 'x', outcome: 'capped', amount: money('50.00') },
    paid('=D', '10.00'),
  ];
  const first = makeFirstRound(rows);
  const files = { uncashed: 'uncashed.csv', ledger: 'r1/ledger.csv' };

  it('flags the listed claims; a formula guard kept from the ledger is undone', () => {
    const m = matchUncashed(first, [{ line: 2, claimId: 'C' }, { line: 3, claimId: "'=D" }], files);
    expect('uncashed' in m && [...m.uncashed]).toEqual([0, 0, 1, 1]);
  });

  it('reports every problem with its line', () => {
    const m = matchUncashed(
      first,
      [
        { line: 2, claimId: 'A' },
        { line: 3, claimId: 'Z' },
        { line: 4, claimId: 'B' },
        { line: 5, claimId: 'A' },
      ],
      files,
    );
    expect('problems' in m && m.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      'uncashed.csv:3: "Z" is not in the first-round ledger r1/ledger.csv',
      'uncashed.csv:4: "B" was not paid in the first round (outcome below_minimum, r1/ledger.csv:3): only a paid or capped claim has a payment to return',
      'uncashed.csv:5: "A" is listed twice (first on line 2)',
    ]);
  });
});

describe('the second-round files', () => {
  const rows = [paid('=A', '397.00', 'illinois'), paid('B', '397.00', 'illinois'), paid('C', '100.00', 'other'), { id: 'D', class: 'other', outcome: 'ineligible', amount: 0n } as FirstRow];
  const p = plan({ maximumPayment: money('400.00'), minimumPayment: money('1.00') });
  const { first, r } = second(p, rows, ['B'], { residual: '0.05', costs: '10.00' });

  it('writes claim_id,class,first_amount,outcome,amount with formula guards', () => {
    const text = redistributionLedgerHeader() + [...redistributionLedgerChunks(first, r)].join('');
    // available = 0.05 + 397.00 − 10.00 = 387.05; A has 3.00 of room, C gets the rest, 300.00 is its room
    expect(text).toBe(
      'claim_id,class,first_amount,outcome,amount\n' +
        "'=A,illinois,397.00,capped,3.00\n" +
        'B,illinois,397.00,uncashed,0.00\n' +
        'C,other,100.00,capped,300.00\n' +
        'D,other,0.00,ineligible,0.00\n',
    );
    expect(r.residual).toBe(8_405n);
    const expected = redistributionLedger(first, r);
    expect([0, 1, 2, 3, 4].map((col) => expected.cell(0, col))).toEqual(['=A', 'illinois', '397.00', 'capped', '3.00']);
  });

  it('summarises available, classes, totals and the check', () => {
    const s = buildRedistributionSummary(
      { name: 'case', currency: 'USD', minimumPayment: p.minimumPayment, maximumPayment: p.maximumPayment, residualRecipient: null },
      { seed: 's', claims: 4, paid: 3, amount: money('894.00'), residual: 5n },
      r as Redistribution,
    );
    expect(s.available).toEqual({
      rule: 'first-round residual + first-round amounts of the uncashed claims − costs',
      firstRoundResidual: '0.05',
      uncashedClaims: 1,
      uncashedAmount: '397.00',
      costs: '10.00',
      available: '387.05',
    });
    expect(s.classes.map((c) => [c.id, c.eligible, c.uncashed, c.ineligible, c.capped, c.amount])).toEqual([
      ['illinois', 1, 1, 0, 1, '3.00'],
      ['other', 1, 0, 1, 1, '300.00'],
    ]);
    expect(s.totals).toMatchObject({ amount: '303.00', residual: '84.05', paid: 2 });
    expect(s.check).toEqual({ paidPlusResidual: '387.05', available: '387.05', balanced: true });
    expect(s.perFirstRoundShare).toBeNull(); // everyone capped: no single rate describes the round
  });
});
