/**
 * `payout allocate` end to end: the real binary, NO_COLOR=1, exit codes (docs/spec.md §8), the
 * summary it prints, the three files it writes, and the guarantees of docs/spec.md §5: same inputs,
 * same bytes; row order does not matter; bad input writes nothing; nothing is overwritten without --force.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { scenarioArgs, scenarios, type Scenario } from './scenario-files.js';

const tmp = tempDir();
const byName = new Map(scenarios().map((s) => [s.name, s]));
const scenario = (name: string): Scenario => {
  const s = byName.get(name);
  if (s === undefined) throw new Error(`no scenario ${name}`);
  return s;
};
const tiktok = scenario('tiktok');

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const read = (file: string): string => readFileSync(file, 'utf8');
const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

function allocate(s: Scenario, out: string, ...extra: string[]): Promise<CliResult> {
  return runCli(['allocate', '--plan', s.plan, s.claims, '--out', out, ...scenarioArgs(s), ...extra]);
}

/** mulberry32: a small seeded generator, so the shuffle is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** claim_id → "outcome amount" from a ledger file. */
function amountsById(ledgerFile: string): Map<string, string> {
  const rows = parse(read(ledgerFile), { columns: true }) as Record<string, string>[];
  return new Map(rows.map((r) => [r.claim_id!, `${r.outcome} ${r.amount}`]));
}

describe('payout allocate on the tiktok scenario', () => {
  const out = tmp.path('tiktok');
  let first: CliResult;

  it('exits 0, prints the summary without colour and writes the expected files', async () => {
    first = await allocate(tiktok, out);
    expect(first.code, first.stderr).toBe(0);
    const stdout = first.stdout;
    expect(stdout).not.toMatch(/\x1b\[/);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('In re TikTok, Inc., Consumer Privacy Litigation (MDL 2948)');
    expect(stdout).toMatch(/^Gross fund +\$92,000,000\.00$/m);
    expect(stdout).toMatch(/^− Attorneys' fees \(33\.3333333333% of the fund \$92,000,000\.00, rounded half-up\) +\$30,666,666\.67$/m);
    expect(stdout).toMatch(/^− Litigation expenses \(fixed\) +\$1,200,000\.00$/m);
    expect(stdout).toMatch(/^− Notice and administration \(fixed\) +\$3,000,000\.00$/m);
    expect(stdout).toMatch(/^− Service awards \(fixed\) +\$42,500\.00$/m);
    expect(stdout).toMatch(/^Net settlement fund +\$57,090,833\.33$/m);
    expect(stdout).toMatch(/^class +weight +claims +eligible +paid +points +amount +smallest +largest$/m);
    expect(stdout).toMatch(/^nationwide +1 +2,702 +2,538 +2,538 +2,538 +\$34,061,243\.89 +\$13,420\.50 +\$13,420\.51$/m);
    expect(stdout).toMatch(/^illinois +6 +298 +286 +286 +1,716 +\$23,029,589\.44 +\$80,523\.04 +\$80,523\.04$/m);
    expect(stdout).toMatch(/^total +3,000 +2,824 +2,824 +\$57,090,833\.33$/m);
    expect(stdout).toMatch(/^Paid to claimants +\$57,090,833\.33$/m);
    expect(stdout).toMatch(/^Residual \(to cy pres recipient named in the settlement\) +\$0\.00$/m);
    expect(stdout).toContain('Cents: largest remainder, 1,775 leftover cents placed, ties by SHA-256(seed:claim_id), seed "tiktok-mdl-2948"');
    expect(stdout).toContain('Check: paid $57,090,833.33 + residual $0.00 = net $57,090,833.33 ✓');
    expect(stdout).toContain(`Wrote ${out}/ledger.csv (3,000 rows), summary.json, manifest.json`);
    // the possible duplicate emails are warnings, not errors
    expect(first.stderr).toContain('0 errors, 9 warnings');

    expect(filesIn(out)).toEqual(['ledger.csv', 'manifest.json', 'summary.json']);
    expect(read(join(out, 'ledger.csv'))).toBe(read(tiktok.expectedLedger));
    expect(read(join(out, 'summary.json'))).toBe(read(tiktok.expectedSummary));
  });

  it('writes a manifest with the tool, the inputs\' and outputs\' SHA-256 and base names', () => {
    const manifest = JSON.parse(read(join(out, 'manifest.json')));
    expect(manifest).toEqual({
      format: 'payout-manifest/1',
      tool: { name: 'payout', version: expect.any(String) },
      command: 'allocate',
      plan: { file: 'plan.json', sha256: sha256(tiktok.plan) },
      claims: { file: 'claims.csv', sha256: sha256(tiktok.claims), rows: 3000 },
      seed: 'tiktok-mdl-2948',
      outputs: [
        { file: 'ledger.csv', sha256: sha256(join(out, 'ledger.csv')), bytes: statSync(join(out, 'ledger.csv')).size, rows: 3000 },
        { file: 'summary.json', sha256: sha256(join(out, 'summary.json')), bytes: statSync(join(out, 'summary.json')).size },
      ],
      // the Merkle root over the ledger's rows, as in summary.json (docs/receipts.md)
      receipts: JSON.parse(read(join(out, 'summary.json'))).receipts,
    });
    expect(manifest.receipts).toEqual({ encoding: 'payout-merkle/1', root: expect.stringMatching(/^[0-9a-f]{64}$/), leaves: 3000 });
  });

  it('gives byte-identical ledger.csv, summary.json and manifest.json on a rerun (--force) and in another folder', async () => {
    const before = ['ledger.csv', 'summary.json', 'manifest.json'].map((f) => read(join(out, f)));
    const again = await allocate(tiktok, out, '--force');
    expect(again.code, again.stderr).toBe(0);
    expect(['ledger.csv', 'summary.json', 'manifest.json'].map((f) => read(join(out, f)))).toEqual(before);
    const elsewhere = tmp.path('tiktok-elsewhere');
    expect((await allocate(tiktok, elsewhere, '--quiet')).code).toBe(0);
    expect(['ledger.csv', 'summary.json', 'manifest.json'].map((f) => read(join(elsewhere, f)))).toEqual(before);
  });

  it('--json prints summary.json instead of the readable summary', async () => {
    const dir = tmp.path('tiktok-json');
    const r = await allocate(tiktok, dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(read(tiktok.expectedSummary));
    expect(read(join(dir, 'summary.json'))).toBe(r.stdout);
  });

  it('--keep payment_method adds the column, after amount, with each claim\'s value', async () => {
    const dir = tmp.path('tiktok-keep');
    const r = await allocate(tiktok, dir, '--keep', 'payment_method');
    expect(r.code, r.stderr).toBe(0);
    const claims = parse(read(tiktok.claims), { columns: true, bom: true }) as Record<string, string>[];
    const expected = read(tiktok.expectedLedger).split('\n');
    const got = read(join(dir, 'ledger.csv')).split('\n');
    expect(got[0]).toBe('claim_id,class,units,points,status,outcome,share,amount,payment_method');
    expect(got).toHaveLength(expected.length);
    claims.forEach((c, i) => expect(got[i + 1]).toBe(`${expected[i + 1]},${c.payment_method}`));
    // summary.json depends on --keep only by the receipts root: the kept cells are in the ledger's rows
    const { receipts: keptRoot, ...kept } = JSON.parse(read(join(dir, 'summary.json')));
    const { receipts: plainRoot, ...plain } = JSON.parse(read(tiktok.expectedSummary));
    expect(kept).toEqual(plain);
    expect(keptRoot.root).not.toBe(plainRoot.root);
  });

  it('pays every claim the same amount when the rows are shuffled', async () => {
    const [header, ...records] = parse(read(tiktok.claims), { bom: true }) as string[][];
    const random = seeded(20220728);
    for (let i = records.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [records[i], records[j]] = [records[j]!, records[i]!];
    }
    expect(records.slice(0, 5).map((r) => r[0])).not.toEqual(['TT-0000001', 'TT-0000002', 'TT-0000003', 'TT-0000004', 'TT-0000005']);
    const shuffled = tmp.write('shuffled-claims.csv', stringify([header!, ...records]));
    const dir = tmp.path('tiktok-shuffled');
    const r = await runCli(['allocate', '--plan', tiktok.plan, shuffled, '--out', dir]);
    expect(r.code, r.stderr).toBe(0);

    const got = amountsById(join(dir, 'ledger.csv'));
    expect([...got.keys()]).toEqual(records.map((rec) => rec[0]));
    const expected = amountsById(tiktok.expectedLedger);
    expect(new Map([...got].sort())).toEqual(new Map([...expected].sort()));
    // nothing in summary.json depends on the order of the rows
    expect(read(join(dir, 'summary.json'))).toBe(read(tiktok.expectedSummary));
  });
});

describe('payout allocate on other scenarios', () => {
  it.each(['pools', 'cap-binds', 'minimum-removes', 'empty-class', 'fractional-units'])('%s: exit 0, files as expected', async (name) => {
    const s = scenario(name);
    const dir = tmp.path(`run-${name}`);
    const r = await allocate(s, dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Check: paid \$[\d,.]+ \+ residual \$[\d,.]+ = net \$[\d,.]+ ✓$/m);
    expect(read(join(dir, 'ledger.csv'))).toBe(read(s.expectedLedger));
    expect(read(join(dir, 'summary.json'))).toBe(read(s.expectedSummary));
  });

  it('prints pools as percents and the residual of the empty pools', async () => {
    const r = await allocate(scenario('empty-class'), tmp.path('print-empty-class'), '--force');
    expect(r.stdout).toMatch(/^class +pool +claims +eligible +paid +points +amount +smallest +largest$/m);
    expect(r.stdout).toMatch(/^online +45% +4 +4 +4 +5 +\$630\.01 +\$126\.00 +\$252\.01$/m);
    expect(r.stdout).toMatch(/^mail +15% +2 +0 +0 +0 +\$0\.00 +- +-$/m);
    expect(r.stdout).toMatch(/^kiosk +5% +0 +0 +0 +0 +\$0\.00 +- +-$/m);
    expect(r.stdout).toMatch(/^Residual \(to cy pres\) +\$280\.00$/m);
    expect(r.stdout).toContain('Check: paid $1,120.02 + residual $280.00 = net $1,400.02 ✓');
  });

  it('names the capped and the removed claims', async () => {
    const cap = await allocate(scenario('cap-binds'), tmp.path('print-cap'), '--force');
    expect(cap.stdout).toMatch(/^\+ interest +\$50\.00$/m);
    expect(cap.stdout).toContain('members: 5 claims capped at $150.00');
    const min = await allocate(scenario('minimum-removes'), tmp.path('print-min'), '--force');
    expect(min.stdout).toContain('basic: 8 claims below the minimum payment $5.00 get nothing');
    expect(min.stdout).toContain('enhanced: 3 claims below the minimum payment $5.00 get nothing');
    expect(min.stdout).toContain('Not paid: 11 claims (below the minimum 11)');
    const statuses = await allocate(scenario('ineligible-statuses'), tmp.path('print-statuses'), '--force');
    expect(statuses.stdout).toContain(
      'Not paid: 7 claims (status rejected 2, @review 1, approved-pending 1, deficient 1, fraud_hold 1, "pending review" 1)',
    );
    expect(cap.stdout).toContain('Not paid: 1 claim (status rejected 1)');
    const perPoint = await allocate(scenario('spec-4b-per-point'), tmp.path('print-per-point'), '--force');
    expect(perPoint.stdout).toContain('Cents: per-point value floored to 2 decimals; the rest is residual');
    expect(perPoint.stdout).toMatch(/^Residual \(to cy pres\) +\$6\.00$/m);
  });
});

describe('payout allocate: failures write nothing', () => {
  const badClaims = tmp.write(
    'bad-claims.csv',
    'claim_id,class,units,status\nX-1,nationwide,1,approved\nX-2,ilinois,1,approved\nX-3,nationwide,two,approved\nX-1,illinois,1,approved\n',
  );

  it('invalid claims: exit 1, every problem on stderr, no files', async () => {
    const dir = tmp.path('invalid');
    const r = await runCli(['allocate', '--plan', tiktok.plan, badClaims, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('bad-claims.csv:3: class: unknown class "ilinois"');
    expect(r.stderr).toContain('bad-claims.csv:4: units:');
    expect(r.stderr).toContain('bad-claims.csv:5: claim_id: claim_id "X-1" already on line 2');
    expect(filesIn(dir)).toEqual([]);
  });

  it('invalid claims with --force over an earlier run: exit 1, the earlier files untouched, no temporary files left', async () => {
    const dir = tmp.path('invalid-over-earlier');
    expect((await allocate(tiktok, dir, '--quiet')).code).toBe(0);
    const before = filesIn(dir).map((f) => [f, read(join(dir, f))]);
    const r = await runCli(['allocate', '--plan', tiktok.plan, badClaims, '--out', dir, '--force']);
    expect(r.code).toBe(1);
    expect(filesIn(dir).map((f) => [f, read(join(dir, f))])).toEqual(before);
  });

  it('a missing plan: exit 2, no output folder', async () => {
    const dir = tmp.path('no-plan');
    const r = await runCli(['allocate', '--plan', tmp.path('missing-plan.json'), tiktok.claims, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing-plan.json: plan file not found');
    expect(existsSync(dir)).toBe(false);
  });

  it('a missing claims file: exit 2, no files', async () => {
    const dir = tmp.path('no-claims');
    const r = await runCli(['allocate', '--plan', tiktok.plan, tmp.path('missing-claims.csv'), '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing-claims.csv');
    expect(filesIn(dir)).toEqual([]);
  });

  it('--out holding an earlier run, without --force: exit 2, nothing replaced', async () => {
    const dir = tmp.path('existing');
    expect((await allocate(scenario('pools'), dir, '--quiet')).code).toBe(0);
    const before = filesIn(dir).map((f) => [f, read(join(dir, f)), statSync(join(dir, f)).mtimeMs]);
    const r = await allocate(tiktok, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already holds ledger.csv, summary.json, manifest.json: use --force');
    expect(r.stdout).toBe('');
    expect(filesIn(dir).map((f) => [f, read(join(dir, f)), statSync(join(dir, f)).mtimeMs])).toEqual(before);
  });

  it('--out holding any one of the files, without --force: exit 2, that file kept', async () => {
    const dir = tmp.path('one-file');
    mkdirSync(dir);
    writeFileSync(join(dir, 'summary.json'), 'an earlier summary\n');
    const r = await allocate(scenario('pools'), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already holds summary.json');
    expect(filesIn(dir)).toEqual(['summary.json']);
    expect(read(join(dir, 'summary.json'))).toBe('an earlier summary\n');
  });
});
