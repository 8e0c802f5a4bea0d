import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const PLAN = join(ROOT, 'fixtures/equifax-buckets/plan.json');
const CLAIMS = join(ROOT, 'fixtures/equifax-buckets/claims.csv');

describe('payout verify of a bucket plan folder', () => {
  it('verifies a folder allocate wrote (exit 0), and finds a changed amount (exit 1)', async () => {
    const out = tmp.path('eq');
    expect((await runCli(['allocate', '-q', '--plan', PLAN, CLAIMS, '--out', out])).code).toBe(0);
    const ok = await runCli(['verify', '--plan', PLAN, CLAIMS, out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('✓ totals: Σ ledger amounts $274,345.60 + residual $25,654.40 = $300,000.00 = net $300,000.00');
    const ledger = join(out, 'ledger.csv');
    writeFileSync(ledger, readFileSync(ledger, 'utf8').replace('EQ0005,approved,paid,20000.00,310.00,0.00,20310.00', 'EQ0005,approved,paid,20000.00,310.00,0.00,20311.00'));
    const bad = await runCli(['verify', '--plan', PLAN, CLAIMS, out]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('ledger.csv:6: claim "EQ0005": amount: expected "20310.00", found "20311.00"');
  });
});

describe('payout verify of a bucket folder whose summary.json has no `unpaid`', () => {
  /** An allocate folder of the Equifax fixture, its summary.json without `unpaid`; `asWritten`: the manifest records its hash. */
  async function olderFolder(name: string, asWritten: boolean): Promise<string> {
    const out = tmp.path(name);
    expect((await runCli(['allocate', '-q', '--plan', PLAN, CLAIMS, '--out', out])).code).toBe(0);
    const file = join(out, 'summary.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(json.unpaid).toBeDefined();
    delete json.unpaid;
    const text = `${JSON.stringify(json, null, 2)}\n`;
    writeFileSync(file, text);
    if (asWritten) {
      const manifestFile = join(out, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { outputs: { file: string; sha256: string; bytes: number }[] };
      const entry = manifest.outputs.find((o) => o.file === 'summary.json')!;
      entry.sha256 = createHash('sha256').update(text).digest('hex');
      entry.bytes = Buffer.byteLength(text);
      writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    }
    return out;
  }

  it('as an older payout wrote it (the manifest has its hash): passes, with a note (exit 0)', async () => {
    const r = await runCli(['verify', '--plan', PLAN, CLAIMS, await olderFolder('older', true)]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^! summary.json: matches the manifest's hash, and every field matches, but these inputs give other bytes/m);
  });

  it('removed after the run: a difference (exit 1)', async () => {
    const r = await runCli(['verify', '--plan', PLAN, CLAIMS, await olderFolder('edited', false)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/unpaid: expected \{.*\}, found \(absent\)/);
  });
});
