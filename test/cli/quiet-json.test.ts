/**
 * `--quiet` and `--json` mean the same on every command: neither draws the progress bar, and
 * `--quiet` prints errors only, the warnings counted in one line at most.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateClaims, type ClaimsSettings } from '../../src/app/validate.js';
import { onTerminal } from '../../src/cli/claims-reading.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

mkdirSync('/tmp/payout-tests', { recursive: true });
const tmp = mkdtempSync('/tmp/payout-tests/quiet-');
const base: ClaimsSettings = { read: {}, maxErrors: 50 };

describe('--json never draws the progress bar', () => {
  it('validate tells the progress hook to be quiet when the command is', async () => {
    const asked: Array<boolean | undefined> = [];
    await validateClaims({
      claimsFile: join(ROOT, 'fixtures/tiktok/claims.csv'),
      planFile: join(ROOT, 'fixtures/tiktok/plan.json'),
      claims: { ...onTerminal(base, { json: true }), hooks: { progress: (_f, _s, quiet) => (asked.push(quiet), { update() {}, done() {} }) } },
    });
    expect(asked).toEqual([true]);
  });

  it('every command that reads claims: --json and --quiet turn the bar off; --quiet alone hides warnings', () => {
    expect(onTerminal(base, { json: true })).toMatchObject({ quiet: true, quietWarnings: false });
    expect(onTerminal(base, { quiet: true })).toMatchObject({ quiet: true, quietWarnings: true });
    expect(onTerminal(base, {})).toMatchObject({ quiet: false, quietWarnings: false });
  });
});

describe('--quiet prints errors only', () => {
  it('allocate --quiet: no warning lines, one line that counts them', async () => {
    const out = join(tmp, 'tiktok');
    const r = await runCli(['allocate', '--quiet', '--plan', 'fixtures/tiktok/plan.json', 'fixtures/tiktok/claims.csv', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^0 errors, [\d,]+ warnings \(warnings not shown with --quiet: payout validate lists them\)$/);
  });

  it('allocate --quiet still prints every error', async () => {
    const r = await runCli(['allocate', '--quiet', '--plan', 'fixtures/errors/plan.json', 'fixtures/errors/many-problems.csv', '--out', join(tmp, 'bad')]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/^error: /gm)).toHaveLength(10);
    expect(r.stderr).not.toMatch(/^warning: /m);
  });
});
