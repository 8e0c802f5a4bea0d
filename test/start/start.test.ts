/**
 * `npm start` (scripts/start.js) end to end at 1/100 of the TikTok case's size: the same generator
 * recipe and plan as the full run, 14,000 claims instead of 1.4 million. The full-size recipe is
 * checked by arithmetic: its approved claims' points give the published $27.84 per point.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function start(...args: string[]): Promise<CliResult> {
  ensureBuilt();
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/start.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

interface Recipe {
  seed: string;
  counts: Record<string, Record<string, number>>;
  rows: number;
  bytes: number;
  sha256: string;
}
const recipe = readJson(join(ROOT, 'fixtures/tiktok-full/claims.json')) as unknown as Recipe;

describe('the full-size recipe (fixtures/tiktok-full)', () => {
  it('has about 1.26M Nationwide and 140k Illinois claims, 1.4M in all', () => {
    const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(recipe.counts.nationwide!)).toBe(1_260_000);
    expect(sum(recipe.counts.illinois!)).toBe(140_000);
    expect(recipe.rows).toBe(1_400_000);
  });

  it('pays $27.84 a point on the plan\'s net fund: floor(net / points) in cents', () => {
    // The net fund of the TikTok plan (fixtures/tiktok, the same deductions): $57,090,833.33.
    const summary = readJson(join(ROOT, 'fixtures/tiktok/expected/summary.json'));
    expect(summary.net).toBe('57090833.33');
    const net = 5_709_083_333n;
    const points = BigInt(recipe.counts.nationwide!.approved!) + 6n * BigInt(recipe.counts.illinois!.approved!);
    expect(net / points).toBe(2784n);
    expect(net - 2784n * points).toBe(1_042_565n); // the residual: $10,425.65
  });
});

describe('npm start at 1/100 of the size (node scripts/start.js --scale 0.01)', () => {
  const out = tmp.path('tiktok-small');
  const claims = join(out, 'claims.csv');
  const ledger = join(out, 'allocation/ledger.csv');
  let firstLedger = '';

  it('generates the claims, allocates them and prints the published amounts', async () => {
    const r = await start('--scale', '0.01', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('The TikTok settlement (MDL 2948) at 0.01 of its size: 14,000 claims');
    expect(r.stdout).toMatch(/^Generated .*claims\.csv in \d+\.\d s$/m);
    expect(r.stdout).toMatch(/^Net settlement fund +\$570,908\.33$/m);
    expect(r.stdout).toMatch(/^Each Nationwide claim +\$27\.84 +published: \$27\.84 ✓$/m);
    expect(r.stdout).toMatch(/^Each Illinois claim \(6 shares\) +\$167\.04 +published: \$167\.04 ✓$/m);
    // 57,090,833 cents less 2,784 × (12,300 + 6 × 1,367) points = 13,265 cents
    expect(r.stdout).toMatch(/^Residual \(to the cy pres recipient named in the settlement\) +\$132\.65$/m);
    expect(r.stdout).toMatch(/^Time: \d+\.\d s \(claims file generated in \d+\.\d s, payout allocate with the report \d+\.\d s\)$/m);
    expect(r.stdout).toContain('/allocation/ledger.csv, summary.json, manifest.json, report.html');
    expect(r.stderr).toMatch(/^0 errors, [\d,]+ warnings$/m);
    for (const f of ['ledger.csv', 'summary.json', 'manifest.json', 'report.html']) expect(existsSync(join(out, 'allocation', f))).toBe(true);
    firstLedger = sha256(ledger);
  });

  it('writes exactly the scaled counts of each class and status, in a shuffled order', () => {
    const rows = parse(readFileSync(claims), { columns: true }) as Record<string, string>[];
    const counts: Record<string, Record<string, number>> = {};
    for (const row of rows) {
      const byStatus = (counts[row.class!] ??= {});
      byStatus[row.status!] = (byStatus[row.status!] ?? 0) + 1;
    }
    expect(counts).toEqual({
      nationwide: { approved: 12_300, rejected: 140, deficient: 90, duplicate: 70 },
      illinois: { approved: 1_367, rejected: 15, deficient: 11, duplicate: 7 },
    });
    // the classes are mixed through the file, not in blocks
    expect(rows.slice(0, 200).some((r) => r.class === 'illinois')).toBe(true);
    expect(rows.slice(-200).some((r) => r.class === 'illinois')).toBe(true);
    // a duplicate claim repeats an earlier claimant's name
    const names = new Set<string>();
    let repeated = 0;
    for (const row of rows) {
      if (row.status === 'duplicate' && names.has(row.name!)) repeated++;
      names.add(row.name!);
    }
    expect(repeated).toBe(77);
    const summary = readJson(join(out, 'allocation/summary.json')) as { totals: { claims: number; eligible: number } };
    expect(summary.totals).toMatchObject({ claims: 14_000, eligible: 13_667 });
  });

  it('reuses the claims file on the next run and gives the same ledger', async () => {
    const before = sha256(claims);
    const r = await start('--scale', '0.01', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Claims file .*claims\.csv is already there \(size and SHA-256 checked in \d+\.\d s\)$/m);
    expect(r.stdout).toMatch(/claims file reused in/);
    expect(sha256(claims)).toBe(before);
    expect(sha256(ledger)).toBe(firstLedger);
  });

  it('makes the claims file again when it was changed', async () => {
    appendFileSync(claims, 'TT-9999999,nationwide,1,approved,X,x@example.com,"1 A St, B",NY,check\n');
    const r = await start('--scale', '0.01', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Generated .*claims\.csv/m);
    expect(sha256(ledger)).toBe(firstLedger);
  });

  it('stops (exit 1) when the generator no longer gives the recorded file, and keeps no claims file', async () => {
    const dir = tmp.path('changed-generator');
    const wrong = tmp.write('wrong-recipe.json', JSON.stringify({
      seed: 'x',
      counts: { nationwide: { approved: 9 }, illinois: { approved: 1 } },
      rows: 10,
      bytes: 1234,
      sha256: '0'.repeat(64),
    }));
    const r = await start('--recipe', wrong, '--out', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^start: the generated claims file is not the recorded one \(\d+ bytes, SHA-256 [0-9a-f]{64}; the recipe says 1234 bytes, 0{64}\): scripts\/generate-claims\.js has changed its output$/m);
    expect(existsSync(join(dir, 'claims.csv'))).toBe(false);
    expect(existsSync(join(dir, 'claims.csv.partial'))).toBe(false);
    expect(existsSync(join(dir, 'allocation'))).toBe(false);
  });

  it('refuses a recipe it cannot read (exit 2)', async () => {
    const r = await start('--recipe', tmp.path('no-such-recipe.json'), '--out', tmp.path('no-recipe'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-recipe.json: cannot read the recipe (ENOENT');
  });

  it('refuses a scale that is not a number from 0 to 1 (exit 2)', async () => {
    const r = await start('--scale', '2', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--scale must be a number above 0 and at most 1, got "2"');
  });
});
