/**
 * `payout pay` with the addon's payment rows (src/native/pay_rows.c, used on the payment files'
 * worker) and without it (`PAYOUT_NATIVE=0`): the same files, byte for byte. On the generated
 * payments input of the worker's e2e test, 70,000 claims: past PAY_BUILDER_MIN_CLAIMS paid, so
 * that the files are built on the worker, where the addon's rows are used.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAY_BUILDER_MIN_CLAIMS } from '../../src/io/payments/pay-builder.js';
import { writePaymentsInput } from '../helpers/payments-input.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const ROWS = 70_000;

describe('pay with and without the addon’s payment rows', () => {
  const dir = tempDir();

  it('writes the same files, byte for byte', async () => {
    const { plan, claims, elections } = await writePaymentsInput(dir, ROWS, 'pay-rows-e2e');
    const from = dir.path('round1');
    const allocated = await runCli(['allocate', '--plan', plan, claims, '--out', from, '--quiet']);
    expect(allocated.code, allocated.stderr).toBe(0);
    const out = { native: dir.path('pay-native'), js: dir.path('pay-js') };
    const a = await runCli(['pay', '--plan', plan, claims, '--elections', elections, '--from', from, '--out', out.native, '--quiet']);
    const b = await runCli(['pay', '--plan', plan, claims, '--elections', elections, '--from', from, '--out', out.js, '--quiet'], { env: { PAYOUT_NATIVE: '0' } });
    expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
    expect(a.stdout).toBe(b.stdout);
    const names = readdirSync(out.js).sort();
    expect(readdirSync(out.native).sort()).toEqual(names);
    for (const m of ['paypal-', 'ach-', 'checks-', 'payments.csv', 'addresses.csv']) expect(names.some((n) => n.startsWith(m)), m).toBe(true);
    for (const n of names) expect(readFileSync(join(out.native, n)).equals(readFileSync(join(out.js, n))), n).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out.native, 'manifest.json'), 'utf8')) as { controls: { total: { count: number } } };
    expect(manifest.controls.total.count).toBeGreaterThanOrEqual(PAY_BUILDER_MIN_CLAIMS);
  }, 240_000);
});
