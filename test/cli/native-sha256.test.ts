/**
 * The optional batched SHA-256 addon (docs/performance.md, "Batched SHA-256"), end to end:
 * `allocate` and `pay` on 70,000 claims (tie keys and receipts on their worker threads, payment ids
 * on theirs) write the same bytes with the addon and without it (`PAYOUT_NATIVE=0`, as where no C
 * compiler was there at install); and the build step (scripts/build-native.js) never fails: without
 * node-gyp, without headers, or with a compiler that fails, it says so in one line and exits 0; and
 * it keeps no addon that does not hash what this version asks of it (one without `leaves`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildChangedCopy } from '../helpers/native-sources.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writePaymentsInput } from '../helpers/payments-input.js';

const ROWS = 70_000;

describe('with and without the native SHA-256', () => {
  const dir = tempDir();
  let plan: string;
  let claims: string;
  let elections: string;

  beforeAll(async () => {
    ({ plan, claims, elections } = await writePaymentsInput(dir, ROWS, 'native-e2e'));
  }, 120_000);

  const same = (a: string, b: string): void => {
    const names = readdirSync(b).sort();
    expect(readdirSync(a).sort()).toEqual(names);
    for (const n of names) expect(readFileSync(join(a, n)).equals(readFileSync(join(b, n))), n).toBe(true);
  };

  it('allocate writes the same ledger, summary (receipts root) and manifest, and pay the same files', async () => {
    const runs = { native: { alloc: dir.path('a-native'), pay: dir.path('p-native'), env: {} }, crypto: { alloc: dir.path('a-crypto'), pay: dir.path('p-crypto'), env: { PAYOUT_NATIVE: '0' } } };
    for (const r of Object.values(runs)) {
      const a = await runCli(['allocate', '--plan', plan, claims, '--out', r.alloc, '--quiet'], { env: r.env });
      expect(a.code, a.stderr).toBe(0);
      // From one folder: pay's manifest names the ledger it paid from.
      const p = await runCli(['pay', '--plan', plan, claims, '--elections', elections, '--from', runs.native.alloc, '--out', r.pay, '--quiet'], { env: r.env });
      expect(p.code, p.stderr).toBe(0);
    }
    same(runs.native.alloc, runs.crypto.alloc);
    same(runs.native.pay, runs.crypto.pay);
    const summary = JSON.parse(readFileSync(join(runs.native.alloc, 'summary.json'), 'utf8')) as { receipts: { leaves: number; root: string } };
    expect(summary.receipts.leaves).toBe(ROWS);
    expect(summary.receipts.root).toMatch(/^[0-9a-f]{64}$/);
  }, 180_000);
});

describe('scripts/build-native.js', () => {
  const dir = tempDir();
  const build = (env: Record<string, string>, out: string): { status: number | null; stdout: string; stderr: string } =>
    spawnSync(process.execPath, [join(ROOT, 'scripts/build-native.js'), '--out', out], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

  it.each([
    ['node-gyp is not there', { PAYOUT_NODE_GYP: '/nonexistent/node-gyp.js' }, 'node-gyp not found'],
    ['the Node.js headers are not there', { PAYOUT_NODEDIR: '/nonexistent' }, 'no Node.js headers'],
    ['the compiler fails', { CC: '/bin/false' }, 'Error'],
    ['the build is turned off', { PAYOUT_NATIVE_BUILD: '0' }, 'PAYOUT_NATIVE_BUILD=0'],
  ])('exits 0 with one line when %s, and leaves no addon', (_, env, why) => {
    const out = dir.path(`out-${Object.keys(env)[0]!}`);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'payout_sha256.node'), 'stale'); // an older build is not kept
    const r = build(env, out);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/^payout: native SHA-256 not built \(.+\); using node:crypto\n$/);
    expect(r.stdout).toContain(why);
    expect(existsSync(join(out, 'payout_sha256.node'))).toBe(false);
  }, 120_000);

  it('needs a C compiler only: no C++ compiler (CXX fails) still builds it', () => {
    const out = dir.path('out-c-only');
    const r = build({ CXX: '/bin/false' }, out);
    expect(r.status).toBe(0);
    if (build({}, dir.path('out-c-only-control')).stdout.includes('not built')) return; // no compiler at all here
    expect(r.stdout).toBe('');
    expect(existsSync(join(out, 'payout_sha256.node'))).toBe(true);
  }, 120_000);

  it('builds the addon where node-gyp, headers and a compiler are (else says why, as above)', () => {
    const out = dir.path('out-ok');
    const r = build({}, out);
    expect(r.status).toBe(0);
    if (r.stdout.includes('not built')) return; // a machine without a compiler: the line above, checked there
    expect(r.stdout).toBe('');
    expect(existsSync(join(out, 'payout_sha256.node'))).toBe(true);
    // Built from these sources: the next build has nothing to do.
    expect(build({ PAYOUT_NODE_GYP: '/nonexistent/node-gyp.js' }, out).stdout).toBe('');
    // Unless the addon there no longer loads or hashes right (copied from another platform,
    // damaged): then it is built again (here it cannot be: no node-gyp) and the old one is not kept.
    const addon = readFileSync(join(out, 'payout_sha256.node'));
    for (const damaged of [Buffer.from('not an addon'), addon.subarray(0, addon.length >> 1)]) {
      writeFileSync(join(out, 'payout_sha256.node'), damaged);
      const again = build({ PAYOUT_NODE_GYP: '/nonexistent/node-gyp.js' }, out);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('node-gyp not found');
      expect(existsSync(join(out, 'payout_sha256.node'))).toBe(false);
    }
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);

  it('marks the payment rows refused when payout\'s check of them could not run (no dist/io: tsc has not run)', () => {
    const { out, run: r } = buildChangedCopy(dir.path('no-dist'));
    expect(r.status).toBe(0);
    if (r.stdout.includes('not built')) return; // no compiler here (said above)
    expect(existsSync(join(out, 'payout_sha256.node'))).toBe(true);
    expect(r.stdout).toContain("the addon's payment rows were not checked by payout's load check");
    expect(readFileSync(join(out, 'pay-rows.refused'), 'utf8')).toContain('not checked by');
  }, 120_000);

  it('does not keep an addon without leaves (built from older sources): its self-test hashes leaves too', () => {
    // A copy of the build script and of src/native/ whose addon does not register `leaves`.
    const edit = (source: string): string => {
      expect(source).toContain('"leaves", leaves)');
      const without = source.replace(/\n[^\n]*"leaves", leaves\)[^\n]*/, '');
      expect(without).not.toContain('"leaves", leaves)');
      return without;
    };
    const { out, run: r } = buildChangedCopy(dir.path('older-sources'), { change: { file: 'sha256_batch.c', edit } });
    expect(r.status).toBe(0);
    if (build({}, dir.path('out-leaves-control')).stdout.includes('not built')) return; // no compiler here
    expect(r.stdout).toContain('the built addon was not kept: it did not load or hash correctly');
    // This copy has no dist/ (tsc has not run): said, since payout's own load check is not made here.
    expect(r.stdout).toContain("dist/io/ledger-rows-native.js is not there (tsc has not run): the addon's ledger rows are checked only when payout loads it");
    expect(existsSync(join(out, 'payout_sha256.node'))).toBe(false);
  }, 120_000);

  it.each([
    ['a key without the remainder cent', 'no-cent', 'ledger_rows.c', '* 2 + extra;', '* 2;'],
    ['+ not taken for a formula start', 'no-plus', 'csv_cell.h', '[0x2b] = 2, ', ''],
  ])('does not keep an addon whose ledgerRows writes other rows (%s): its self-test makes payout’s load check', (_, name, file, from, to) => {
    // A copy of the build script and of src/native/ with ledger_rows.c (or the cell table it
    // includes) changed, built with this dist/ (payout's load checks).
    const { out, run: r } = buildChangedCopy(dir.path(`changed-${name}`), { change: { file, from, to }, dist: true });
    expect(r.status).toBe(0);
    if (r.stdout.includes('not built') && !r.stdout.includes('was not kept')) return; // no compiler here (said above)
    expect(r.stdout).toContain("the built addon was not kept: its ledger rows were refused by payout's load check");
    expect(existsSync(join(out, 'payout_sha256.node'))).toBe(false);
  }, 120_000);
});
