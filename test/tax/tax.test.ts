/**
 * `payout tax` (docs/tax.md): the TIN rules and the grouping in core/tax.ts, then fixtures/tax
 * through the real binary: the 2025 and 2026 lists byte for byte and as recomputed in this test
 * from the two ledgers and the claims file with csv-parse (not payout's readers or sums); each bad
 * input with its exit code; and no full TIN on the terminal.
 */
import { readFileSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { backupWithholding, buildTaxList, maskTin, normaliseTin, thresholdOf, type RoundPayments } from '../../src/core/tax.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('core/tax.ts', () => {
  it('reads TINs of the three forms and refuses the rest', () => {
    expect(normaliseTin('123-45-6789')).toEqual({ status: 'ok', digits: '123456789' });
    expect(normaliseTin(' 12-3456789 ')).toEqual({ status: 'ok', digits: '123456789' });
    expect(normaliseTin('123456789')).toEqual({ status: 'ok', digits: '123456789' });
    expect(normaliseTin('')).toEqual({ status: 'missing' });
    expect(normaliseTin(undefined)).toEqual({ status: 'missing' });
    for (const bad of ['12345678', '1234567890', '123-456-789', '000-00-0000', 'ABC-12', '123 45 6789']) expect(normaliseTin(bad).status, bad).toBe('malformed');
  });

  it('masks a TIN to its last 4', () => {
    expect(maskTin('123-45-6789')).toBe('***-**-6789');
    expect(maskTin('12-3456789')).toBe('***-**-6789');
    expect(maskTin('98-76543')).toBe('****6543');
    expect(maskTin('')).toBe('(none)');
    expect(maskTin('12')).toBe('****');
  });

  it('knows 2025 and 2026 and no other year', () => {
    expect(thresholdOf(2025)).toBe(60000n);
    expect(thresholdOf(2026)).toBe(200000n);
    expect(thresholdOf(2027)).toBeUndefined();
    expect(thresholdOf(2024)).toBeUndefined();
  });

  it('24% backup withholding rounds half-up to the cent', () => {
    expect(backupWithholding(303000n)).toBe(72720n);
    expect(backupWithholding(1n)).toBe(0n); // 0.24 cent
    expect(backupWithholding(3n)).toBe(1n); // 0.72 cent
    expect(backupWithholding(25n)).toBe(6n); // 6.00 cents
  });

  it('sums over rounds and claims by TIN, takes back uncashed first-round payments, flags at the threshold', () => {
    const r1: RoundPayments = { dir: 'r1', command: 'allocate', paid: new Map([['a', 100000n], ['b', 100000n], ['c', 199999n], ['u', 50000n]]), returned: new Map() };
    const r2: RoundPayments = { dir: 'r2', command: 'redistribute', paid: new Map([['a', 1n], ['b', 0n], ['c', 1n], ['u', 0n]]), returned: new Map([['u', 50000n]]) };
    const list = buildTaxList(2026, 200000n, [r1, r2], new Map([['a', '111-11-1111'], ['b', '111111111'], ['c', ''], ['u', '222-22-2222']]));
    expect(list.taxpayers.map((t) => [t.key, t.total, t.reportable, t.claims.map((c) => c.claimId)])).toEqual([
      ['tin:111111111', 200001n, true, ['a', 'b']],
      ['claim:c', 200000n, true, ['c']],
    ]);
    expect(list.rounds).toEqual([
      { dir: 'r1', command: 'allocate', claims: 4, paid: 449999n },
      { dir: 'r2', command: 'redistribute', claims: 2, paid: 2n },
    ]);
  });
});

const FIXTURE = join(ROOT, 'fixtures/tax');
const TINS = join(FIXTURE, 'claims.csv');
const FULL_TINS = ['123-45-6789', '123456789', '98-76543', '98-7654321', '987654321', '555-01-0006', '555010006', 'ABC-12'];

describe('payout tax on fixtures/tax', () => {
  const tmp = tempDir();
  const r1 = tmp.path('round1');
  const r2 = tmp.path('round2');
  const tax = (args: string[]) => runCli(['tax', ...args]);

  beforeAll(async () => {
    const a = await runCli(['allocate', '--plan', join(FIXTURE, 'plan.json'), TINS, '--out', r1, '--quiet']);
    expect(a.code, a.stderr).toBe(0);
    const costs = JSON.parse(readFileSync(join(FIXTURE, 'args.json'), 'utf8')).costs as string;
    const b = await runCli(['redistribute', '--plan', join(FIXTURE, 'plan.json'), '--from', r1, '--uncashed', join(FIXTURE, 'uncashed.csv'), '--costs', costs, '--out', r2, '--quiet']);
    expect(b.code, b.stderr).toBe(0);
  });

  /** The list recomputed from the files with csv-parse: per 9-digit TIN (else per claim), both rounds. */
  const recompute = (year: number): string[] => {
    const rows = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    const cents = (s: string) => Math.round(Number(s) * 100);
    const total = new Map<string, number>();
    for (const row of rows(join(r1, 'ledger.csv'))) total.set(row.claim_id!, cents(row.amount!));
    for (const row of rows(join(r2, 'ledger.csv'))) {
      total.set(row.claim_id!, total.get(row.claim_id!)! + cents(row.amount!) - (row.outcome === 'uncashed' ? cents(row.first_amount!) : 0));
    }
    const group = new Map<string, { claims: string[]; total: number }>();
    for (const claim of rows(TINS)) {
      const t = total.get(claim.claim_id!) ?? 0;
      if (t <= 0) continue;
      const digits = claim.tin!.replace(/-/g, '');
      const key = /^\d{9}$/.test(digits) && /^(\d{9}|\d{3}-\d{2}-\d{4}|\d{2}-\d{7})$/.test(claim.tin!) ? digits : `claim ${claim.claim_id}`;
      const g = group.get(key) ?? { claims: [], total: 0 };
      g.claims.push(claim.claim_id!);
      g.total += t;
      group.set(key, g);
    }
    const threshold = year === 2025 ? 60000 : 200000;
    return [...group]
      .filter(([, g]) => g.total >= threshold)
      .map(([k, g]) => `${k.startsWith('claim ') ? '' : k} ${g.claims.join(';')} ${(g.total / 100).toFixed(2)}`)
      .sort();
  };

  it.each([2025, 2026])('%i: writes expected/tax-YEAR.csv byte for byte, the list recomputed from the ledgers', async (year) => {
    const out = tmp.path(`tax-${year}.csv`);
    const r = await tax(['--year', String(year), r1, r2, '--tins', TINS, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(readFileSync(join(FIXTURE, 'expected', `tax-${year}.csv`), 'utf8'));
    const written = (parse(text, { columns: true }) as Record<string, string>[]).map((row) => `${row.tin_status === 'ok' ? row.tin : ''} ${row.claim_ids} ${row.total}`).sort();
    expect(written).toEqual(recompute(year));
    for (const tin of FULL_TINS) expect(r.stdout + r.stderr, tin).not.toContain(tin);
  });

  it('the taxpayer with two claims reaches $2,000 only over both rounds; 2025 and 2026 give different lists', async () => {
    const lists = [2025, 2026].map((y) => readFileSync(join(FIXTURE, 'expected', `tax-${y}.csv`), 'utf8'));
    expect(lists[1]).toContain('123456789,ok,T-01;T-02,2020.00,2000.00,no,');
    expect(lists[0]!.split('\n').length).toBeGreaterThan(lists[1]!.split('\n').length);
    const only1 = tmp.path('round1-only.csv');
    expect((await tax(['--year', '2026', r1, '--tins', TINS, '--out', only1])).code).toBe(0);
    expect(readFileSync(only1, 'utf8')).not.toContain('T-01;T-02');
  });

  it('lists the review taxpayers on the terminal with TINs masked, and prints JSON masked', async () => {
    const r = await tax(['--year', '2026', r1, r2, '--tins', TINS, '--out', tmp.path('shown.csv')]);
    expect(r.stdout).toContain('Backup-withholding review (24%): 2 of them without a valid TIN');
    expect(r.stdout).toContain('claim "T-04", TIN malformed (****6543): $3,030.00, 24% = $727.20');
    expect(r.stdout).toContain('TIN ***-**-6789: $2,020.00 (2 claims)');
    const j = await tax(['--year', '2026', r1, r2, '--tins', TINS, '--out', tmp.path('json.csv'), '--json']);
    const json = JSON.parse(j.stdout);
    expect(json.reportable).toHaveLength(4);
    for (const tin of FULL_TINS) expect(j.stdout, tin).not.toContain(tin);
  });

  it('bad inputs: a year without a threshold, a folder twice, --out that exists (exit 2)', async () => {
    const y = await tax(['--year', '2027', r1, r2, '--tins', TINS, '--out', tmp.path('y.csv')]);
    expect(y.code).toBe(2);
    expect(y.stderr).toContain('no 1099-MISC threshold for 2027 (it knows 2025, 2026)');
    const twice = await tax(['--year', '2026', r1, r1, '--tins', TINS, '--out', tmp.path('t.csv')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('is given twice');
    const out = tmp.path('exists.csv');
    expect((await tax(['--year', '2026', r1, '--tins', TINS, '--out', out])).code).toBe(0);
    const again = await tax(['--year', '2026', r1, '--tins', TINS, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('use --force');
    const noTin = await tax(['--year', '2026', r1, '--tins', join(FIXTURE, 'uncashed.csv'), '--out', tmp.path('n.csv')]);
    expect(noTin.code).toBe(2);
    expect(noTin.stderr).toContain('no tin column');
  });

  it('bad data (exit 1): a ledger changed after the run; a claim with two TINs (no TIN in the message)', async () => {
    const edited = tmp.path('edited');
    cpSync(r1, edited, { recursive: true });
    const ledger = join(edited, 'ledger.csv');
    writeFileSync(ledger, readFileSync(ledger, 'utf8').replace('T-06,nationwide,1,1,approved,paid,950.000000,950.00', 'T-06,nationwide,1,1,approved,paid,950.000000,9950.00'));
    const r = await tax(['--year', '2026', edited, '--tins', TINS, '--out', tmp.path('e.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not the ledger the run wrote');
    const tins = tmp.write('tins-twice.csv', 'claim_id,tin\nT-01,123-45-6789\nT-01,111-22-3333\n');
    const two = await tax(['--year', '2026', r1, '--tins', tins, '--out', tmp.path('d.csv')]);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('tins-twice.csv:3: claim_id "T-01" has another tin than on line 2');
    expect(two.stderr).not.toContain('111-22-3333');
  });

  it('a second round without its first: uncashed payments are not taken back, and a note says so', async () => {
    const r = await tax(['--year', '2026', r2, '--tins', TINS, '--out', tmp.path('r2only.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('is a second round whose first round is not given: its 2 uncashed first-round payments are not taken back');
  });
});
