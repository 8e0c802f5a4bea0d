/**
 * `payout pay` on 70,000 claims (its files made, and written as they are made, by the files'
 * worker): every way the run ends leaves the output folder with the files of a finished run or
 * as it was, never a file under a temporary name. A run refused for its elections' errors (exit 1)
 * into a new folder leaves no folder; over an earlier run's folder (--force), that run's files,
 * byte for byte; a run that succeeds, its files and nothing else. (Whether the worker has written
 * any file by the time a run is refused depends on how far it got: the reading thread is usually
 * ahead of it at 70,000 claims. test/payments/pay-builder.test.ts stops the worker after it has
 * written files, deterministically.)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const ROWS = 70_000;

describe('pay on the files worker leaves no file under a temporary name', () => {
  const dir = tempDir();
  const plan = dir.path('plan.json');
  const claims = dir.path('claims.csv');
  const elections = dir.path('elections.csv');
  const from = dir.path('round1');

  beforeAll(async () => {
    const { claimsText, electionsText } = (await import(pathToFileURL(join(ROOT, 'scripts/generate-payments-fixture.js')).href)) as {
      claimsText: (rows: number, seed: string) => string;
      electionsText: (claims: string) => string;
    };
    const text = claimsText(ROWS, 'leaves-nothing');
    writeFileSync(claims, text);
    writeFileSync(elections, electionsText(text));
    const p = JSON.parse(readFileSync(join(ROOT, 'fixtures/payments/plan.json'), 'utf8')) as { gross: string };
    p.gross = `${ROWS * 92}.00`;
    writeFileSync(plan, JSON.stringify(p));
    const r = await runCli(['allocate', '--plan', plan, claims, '--out', from, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  const snapshot = (folder: string): Map<string, Buffer> => new Map(readdirSync(folder).sort().map((n) => [n, readFileSync(join(folder, n))]));
  const pay = (out: string, withElections: boolean, force = false) =>
    runCli(['pay', '--plan', plan, claims, ...(withElections ? ['--elections', elections] : []), '--from', from, '--out', out, '--quiet', ...(force ? ['--force'] : [])]);

  it('refused for its elections: no folder made, an earlier run kept as it was; a finished run: its files only', async () => {
    // Without the elections file, some claims have neither a valid election nor an address: errors.
    const fresh = dir.path('pay-refused');
    const refused = await pay(fresh, false);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('nothing was written');
    expect(existsSync(fresh)).toBe(false);

    const done = dir.path('pay-done');
    const ok = await pay(done, true);
    expect(ok.code, ok.stderr).toBe(0);
    const files = snapshot(done);
    expect([...files.keys()].filter((n) => n.startsWith('paypal-')).length).toBeGreaterThan(0);
    expect([...files.keys()].filter((n) => n.startsWith('.') || n.endsWith('.tmp'))).toEqual([]);

    const again = await pay(done, false, true);
    expect(again.code, again.stderr).toBe(1);
    const after = snapshot(done);
    expect([...after.keys()]).toEqual([...files.keys()]);
    for (const [n, bytes] of files) expect(after.get(n)!.equals(bytes), n).toBe(true);
  }, 180_000);
});
