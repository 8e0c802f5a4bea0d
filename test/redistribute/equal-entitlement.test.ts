/**
 * The remainder cent of the first round must not decide the second (docs/redistribute.md, "Why the
 * exact share"). A TikTok-shaped first round made by `payout allocate` itself: 8 nationwide claims
 * (weight 1) and 2 Illinois claims (weight 6) over $810.75, so a nationwide claim's exact share is
 * 4,053.75 cents: 7 are paid $40.54 (the remainder cents) and 1 is paid $40.53. The second round,
 * pro rata to the ledger's share column, treats the 8 alike, with a minimum of $5.00 that points in
 * cents would have split them by (4,053 × λ < 500 ≤ 4,054 × λ once the $40.53s are removed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

const PLAN = {
  name: 'Equal entitlement, amounts a cent apart',
  currency: 'USD',
  gross: '810.75',
  interest: '0.00',
  deductions: [],
  classes: [
    { id: 'nationwide', weight: '1' },
    { id: 'illinois', weight: '6' },
  ],
  eligibleStatuses: ['approved'],
  minimumPayment: '5.00',
  maximumPayment: null,
  residualRecipient: null,
  rounding: { method: 'largest-remainder' },
  seed: 'equal-entitlement',
};

const rowsOf = (file: string): string[][] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

describe('second round: claims of equal first-round share are treated alike', () => {
  const plan = dir.write('plan.json', JSON.stringify(PLAN, null, 2));
  const claims = dir.write(
    'claims.csv',
    'claim_id,class,units,status\n' +
      Array.from({ length: 8 }, (_, i) => `N${i + 1},nationwide,1,approved\n`).join('') +
      'I1,illinois,1,approved\nI2,illinois,1,approved\n',
  );
  const round1 = dir.path('round1');
  const uncashed = dir.write('uncashed.csv', 'claim_id\nI1\n');
  let i1 = 0n;

  /** Round 2 with the given available amount: costs = I1's first payment − available. */
  async function round2(name: string, available: bigint): Promise<Map<string, [string, string, string]>> {
    const costs = i1 - available;
    const out = dir.path(name);
    const r = await runCli(['redistribute', '--plan', plan, '--from', round1, '--uncashed', uncashed, '--costs', (Number(costs) / 100).toFixed(2), '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const verified = await runCli(['verify', '--plan', plan, round1, uncashed, out]);
    expect(verified.code, verified.stdout).toBe(0);
    return new Map(rowsOf(join(out, 'ledger.csv')).map(([id, , first, outcome, amount]) => [id!, [first!, outcome!, amount!]]));
  }

  beforeAll(async () => {
    const r = await runCli(['allocate', '--plan', plan, claims, '--out', round1, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const ledger = rowsOf(join(round1, 'ledger.csv'));
    i1 = BigInt(ledger.find((row) => row[0] === 'I1')![7]!.replace('.', ''));
  });

  it('the first round paid equal shares $40.53 and $40.54', () => {
    // 8 × 0.75 + 2 × 0.5 = 7 leftover cents: the 8 nationwide remainders (0.75) come first, 7 cents for 8
    const nationwide = rowsOf(join(round1, 'ledger.csv')).filter((row) => row[1] === 'nationwide');
    expect(new Set(nationwide.map((row) => row[6]))).toEqual(new Set(['40.537500']));
    expect(nationwide.map((row) => row[7]).sort()).toEqual(['40.53', ...Array(7).fill('40.54')]);
  });

  it('below the minimum: all 8 are removed together, none paid while another is not', async () => {
    // $65.00 over 8 × 40.5375 + 243.225 = 567.525 of share: a nationwide claim 4.64 < 5.00.
    // With points = cents paid, 6,500 × 4,053 / 56,753 = 464.2 < 500 would remove the $40.53 claim
    // alone, and then 6,500 × 4,054 / 52,700 = 500.02: the seven $40.54 claims would get $5.00.
    const ledger = await round2('low', 6_500n);
    const nationwide = [...ledger].filter(([id]) => id.startsWith('N')).map(([, v]) => v);
    expect(nationwide.map(([, outcome, amount]) => `${outcome} ${amount}`)).toEqual(Array(8).fill('below_minimum 0.00'));
    expect(ledger.get('I2')).toEqual(['243.22', 'paid', '65.00']);
    // payout explain says why, for the $40.53 claim and a $40.54 one alike
    const paidCents = rowsOf(join(round1, 'ledger.csv')).filter((row) => row[1] === 'nationwide');
    const ids = ['40.53', '40.54'].map((a) => paidCents.find((row) => row[7] === a)![0]!);
    const r = await runCli(['explain', '--plan', plan, round1, uncashed, dir.path('low'), ...ids]);
    expect(r.code, r.stderr).toBe(0);
    // 6,500 × 40.5375 / 567.525 = 3250/7 cents
    const removed =
      'Minimum: $5.00 on the second-round amount: removed in round 1 of 1, as the smallest points value: it would have had a share of ' +
      '3,250/7 cents (464.285714), below the minimum; all 8 claims with 40.537500 points were removed together, whatever their first amount';
    expect(r.stdout.split(removed)).toHaveLength(3);
    expect(r.stdout).toContain('first round  paid $40.53, exact share $40.537500');
    expect(r.stdout).toContain('first round  paid $40.54, exact share $40.537500');
  });

  it('above the minimum: all 8 are paid, at most a cent apart, whatever their first amount', async () => {
    // $120.00: a nationwide claim 12,000 × 40.5375 / 567.525 = 857.14 cents, Illinois 5,142.86;
    // floors 11,998: one cent to Illinois (remainder 0.86), one to a nationwide claim by key
    const ledger = await round2('high', 12_000n);
    const nationwide = [...ledger].filter(([id]) => id.startsWith('N')).map(([, v]) => v);
    expect(nationwide.every(([, outcome]) => outcome === 'paid')).toBe(true);
    expect(nationwide.map(([, , amount]) => amount).sort()).toEqual([...Array(7).fill('8.57'), '8.58']);
    expect(ledger.get('I2')).toEqual(['243.22', 'paid', '51.43']);
    const summary = JSON.parse(readFileSync(join(dir.path('high'), 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary.points).toBe('first-round exact share');
  });
});
