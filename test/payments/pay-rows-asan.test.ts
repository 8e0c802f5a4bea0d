/**
 * payRows's C (src/native/pay_rows.c) under AddressSanitizer and UndefinedBehaviorSanitizer: the
 * calls the builder makes on the load check's sample (several blocks of records, PayPal file sizes
 * and payment ids made in part) are dumped, and test/payments/native/pay-rows-harness.c makes them
 * again outside Node.js with every array of its exact length, and mutated (outputs cut short,
 * records truncated or changed, ready rows and sums changed): no byte may be read or written past
 * an array. Skipped where the addon is not built or no C compiler with the sanitizers is there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PayRowRun } from '../../src/core/payments/record-batch-native.js';
import type { PaymentsConfig } from '../../src/core/payments/plan-section.js';
import { sampleClaims } from '../../src/io/payments/pay-rows-native.js';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { paymentsConfig } from './helpers.js';
import { addonPayRows, buildFiles } from './pay-rows-helpers.js';

const dir = tempDir();
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** `run`, each call's arguments (as given, before it) written to a file of `folder`. */
function dumping(run: PayRowRun, folder: string, files: string[]): PayRowRun {
  return (records, digests, consts, o0, o1, o2, o3, o4, ints, big) => {
    const parts: Buffer[] = [];
    for (const a of [records, digests, consts]) parts.push(u32(a.length), Buffer.from(a));
    for (const o of [o0, o1, o2, o3, o4]) parts.push(u32(o.length));
    parts.push(Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength), Buffer.from(big.buffer, big.byteOffset, big.byteLength));
    const file = join(folder, `${files.length}.bin`);
    writeFileSync(file, Buffer.concat(parts));
    files.push(file);
    return run(records, digests, consts, o0, o1, o2, o3, o4, ints, big);
  };
}

const describeNative = addonPayRows !== undefined ? describe : describe.skip;

describeNative('payRows under AddressSanitizer', () => {
  it('reads and writes nothing past its arrays, on the builder’s calls and on mutations of them', () => {
    const harness = dir.path('harness');
    const include = join(dirname(process.execPath), '..', 'include', 'node');
    const cc = spawnSync('cc', ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', `-I${include}`, `-I${join(ROOT, 'src/native')}`, join(ROOT, 'test/payments/native/pay-rows-harness.c'), '-o', harness], { encoding: 'utf8', timeout: 120_000 });
    if (cc.status !== 0 || !existsSync(harness)) {
      console.warn(`pay-rows-asan.test.ts: no C compiler with AddressSanitizer here (${(cc.stderr ?? String(cc.error)).split('\n')[0]}): skipped`);
      return;
    }
    const folder = dir.path('calls');
    mkdirSync(folder);
    const files: string[] = [];
    const run = dumping(addonPayRows!, folder, files);
    const claims = sampleClaims();
    const config: PaymentsConfig = { ...paymentsConfig({ ach: { ...paymentsConfig().ach, entriesPerFile: 3 } }) };
    for (const block of [1 << 9, 1 << 12]) {
      for (const paypalRowsPerFile of [3, 5000]) {
        buildFiles(claims, run, { config, block, paypalRowsPerFile });
        buildFiles(claims, run, { config, block, paypalRowsPerFile, ready: (k, n) => Math.min(n, 10 + 7 * k) });
      }
    }
    expect(files.length).toBeGreaterThan(50);
    const r = spawnSync(harness, files, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m = /calls (\d+) room (\d+) done (\d+) records (\d+)/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const [calls, room, , records] = m!.slice(1).map(Number);
    expect(calls).toBeGreaterThan(files.length * 30);
    expect(room).toBeGreaterThan(100);
    expect(records).toBeGreaterThan(1000);
  }, 300_000);
});
