/**
 * `payout redistribute` says at the terminal why claims of the round were paid nothing, in one
 * "Not paid: …" line as allocate does: uncashed, not paid in the first round, below the minimum,
 * no room under the maximum over both rounds, a share under one cent. The real binary on small
 * plans made to hit every reason; the counts are those of the round's ledger and of its report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roundTwoUnpaid } from '../../src/core/redistribute-unpaid.js';
import { roundTwoUnpaidLine } from '../../src/cli/render-redistribution.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const CLAIMS = [
  'claim_id,class,units,status',
  'A,members,50,approved',
  'B,members,10,approved',
  'C,members,10,approved',
  'D,members,10,approved',
  'E,members,10,approved',
  'F,members,1,approved',
  'G,members,10,approved',
  'R,members,10,rejected',
].join('\n');

const plan = (name: string, extra: Record<string, string>) =>
  JSON.stringify({ name, currency: 'USD', gross: '500.00', classes: [{ id: 'members', weight: '1' }], seed: 'not-paid', ...extra });

/** The second round's ledger: outcome and amount by claim id. */
function ledger(dir: string): Record<string, string> {
  const rows = readFileSync(join(dir, 'ledger.csv'), 'utf8').trim().split('\n').slice(1);
  return Object.fromEntries(rows.map((r) => r.split(',')).map(([id, , , outcome, amount]) => [id, `${outcome} ${amount}`]));
}

describe('payout redistribute: the "Not paid" line', () => {
  const dir = tempDir();
  const claims = dir.write('claims.csv', `${CLAIMS}\n`);
  const uncashed = dir.write('uncashed.csv', 'claim_id\nG\n');

  async function rounds(planText: string, name: string, extra: string[] = []) {
    const planFile = dir.write(`${name}.json`, planText);
    const r1 = await runCli(['allocate', '--plan', planFile, claims, '--out', dir.path(`${name}-1`), '--quiet']);
    expect(r1.stderr).toBe('');
    expect(r1.code).toBe(0);
    const out = dir.path(`${name}-2`);
    const r2 = await runCli(['redistribute', '--plan', planFile, '--from', dir.path(`${name}-1`), '--uncashed', uncashed, '--out', out, ...extra]);
    expect(r2.stderr).toBe('');
    expect(r2.code).toBe(0);
    return { out, stdout: r2.stdout };
  }

  it('uncashed, not paid in the first round, below the minimum, no room under the maximum: each counted, as the report counts them', async () => {
    // Round 1: A capped at $150.00, the others $68.63 or so, F $6.86, R rejected. Round 2: G's $68.63
    // over B–F: F's $1.67 is below the $5.00 minimum, A has no room left.
    const { out, stdout } = await rounds(plan('Every reason', { maximumPayment: '150.00', minimumPayment: '5.00' }), 'capped', ['--report']);
    expect(ledger(out)).toMatchObject({ A: 'capped 0.00', F: 'below_minimum 0.00', G: 'uncashed 0.00', R: 'ineligible 0.00' });
    const lines = stdout.split('\n');
    expect(lines).toContain('Not paid: 4 claims (uncashed 1; not paid in the first round 1; below the minimum 1; no room under the maximum $150.00 over both rounds 1)');
    // Among the notes, after the minimum and the cap, before the totals.
    const at = lines.findIndex((l) => l.startsWith('Not paid: '));
    expect(lines.slice(at - 2, at + 3)).toEqual([
      '1 claim would get less than the minimum payment $5.00: nothing',
      '1 claim capped at maximumPayment $150.00 over both rounds',
      lines[at],
      '',
      'Paid to claimants  $68.63',
    ]);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    for (const [reason, count] of [['uncashed', 1], ['notPaidFirstRound', 1], ['belowMinimum', 1], ['cappedToZero', 1], ['total', 4]] as const) {
      expect(report).toContain(`data-unpaid="${reason}" data-count="${count}"`);
    }
  });

  it('a share under one cent; --quiet and --json print no such line', async () => {
    // No minimum, no maximum; costs leave $0.03 for six claims: four are paid $0.00.
    const { out, stdout } = await rounds(plan('Under a cent', { seed: 'under-a-cent' }), 'cent', ['--costs', '49.47']);
    expect(Object.values(ledger(out)).filter((x) => x === 'paid 0.00')).toHaveLength(4);
    expect(stdout).toContain('\nNot paid: 6 claims (uncashed 1; not paid in the first round 1; a share under one cent 4)\n');
    const planFile = dir.path('cent.json');
    const from = dir.path('cent-1');
    const quiet = await runCli(['redistribute', '--plan', planFile, '--from', from, '--uncashed', uncashed, '--costs', '49.47', '--out', dir.path('quiet'), '--quiet']);
    expect([quiet.code, quiet.stdout]).toEqual([0, '']);
    const json = await runCli(['redistribute', '--plan', planFile, '--from', from, '--uncashed', uncashed, '--costs', '49.47', '--out', dir.path('json'), '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toContain('Not paid');
    expect(json.stdout).toBe(readFileSync(join(out, 'summary.json'), 'utf8'));
  });
});

describe('roundTwoUnpaid and its line', () => {
  const totals = { claims: 1_240_000, paid: 1_000_000, uncashed: 200_000, ineligible: 38_000, belowMinimum: 1_000 };

  it('takes the summary counts; counts the capped and the paid at 0.00 from the cells, less the rows given a remainder cent', () => {
    const cells = [
      { count: 600, outcome: 'capped' as const, floor: 0n, extraCount: 0 },
      { count: 400, outcome: 'paid' as const, floor: 0n, extraCount: 100 },
      { count: 1_000_000, outcome: 'paid' as const, floor: 1n, extraCount: 5 },
      { count: 5, outcome: 'capped' as const, floor: 2_500n, extraCount: 0 },
    ];
    const u = roundTwoUnpaid(totals, cells);
    expect(u).toEqual({ claims: 240_000, uncashed: 200_000, notPaidFirstRound: 38_000, belowMinimum: 1_000, cappedToZero: 600, roundedToZero: 300 });
    expect(roundTwoUnpaidLine(u, { maximumPayment: '1000.00' })).toBe(
      'Not paid: 240,000 claims (uncashed 200,000; not paid in the first round 38,000; below the minimum 1,000; no room under the maximum $1,000.00 over both rounds 600; a share under one cent 300)',
    );
  });

  it('every claim paid: no line; one claim: singular', () => {
    expect(roundTwoUnpaidLine(roundTwoUnpaid({ claims: 3, paid: 3, uncashed: 0, ineligible: 0, belowMinimum: 0 }, []), { maximumPayment: null })).toBeNull();
    expect(roundTwoUnpaidLine(roundTwoUnpaid({ claims: 3, paid: 2, uncashed: 1, ineligible: 0, belowMinimum: 0 }, []), { maximumPayment: null })).toBe('Not paid: 1 claim (uncashed 1)');
  });
});
