/**
 * The progress bar (issue: a run over millions of claims must show that it is alive): on a
 * terminal it shows rows, rows/s and time left on stderr; in a pipe or a file, never.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/progress.js';
import { ROOT, ensureBuilt, runCli } from '../helpers/run-cli.js';

describe('progressLine', () => {
  it('shows the share done, rows, rows per second and the time left', () => {
    const line = progressLine('claims.csv', 25, 100, 250_000, 1000, 20);
    expect(line).toBe('claims.csv █████░░░░░░░░░░░░░░░  25%  250,000 rows  250,000 rows/s  0:03 left');
  });
  it('does not divide by zero at the start', () => {
    expect(progressLine('c.csv', 0, 100, 0, 0, 4)).toBe('c.csv ░░░░   0%  0 rows  0 rows/s  --:-- left');
  });
});

// `script` (util-linux) runs the command on a pseudo-terminal, as a person at a terminal would.
const HAVE_SCRIPT = existsSync('/usr/bin/script');

describe('the bar on a real run of 200,000 claims', () => {
  let dir = '';
  let claims = '';
  const plan = join(ROOT, 'fixtures/tiktok/plan.json');
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'payout-progress-'));
    claims = join(dir, 'claims.csv');
    execFileSync(process.execPath, [join(ROOT, 'scripts/generate-claims.js'), '--rows', '200000', '--seed', 'progress', '--out', claims], { stdio: 'pipe' });
  });

  it.skipIf(!HAVE_SCRIPT)('appears on stderr when it is a terminal', () => {
    const cmd = `${process.execPath} ${join(ROOT, 'bin/payout.js')} allocate --plan ${plan} ${claims} --out ${join(dir, 'tty')} --max-errors 0`;
    // The bar waits 300 ms before it shows; 200,000 claims can be read in less on a fast machine,
    // so the test shows it from 1 ms on (a run that reads for less than that would still fail here).
    const env = { ...process.env, NO_COLOR: '1', COLUMNS: '120', PAYOUT_TEST_PROGRESS_DELAY_MS: '1' };
    const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', env });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/claims\.csv [█░]+ +\d+%  [\d,]+ rows  [\d,]+ rows\/s/);
  });

  it('never appears in piped output, nor with --quiet', async () => {
    // With the bar's delay at 1 ms (as above), so these would fail if a bar were drawn.
    const piped = await runCli(['allocate', '--plan', plan, claims, '--out', join(dir, 'pipe'), '--max-errors', '0'], { env: { PAYOUT_TEST_PROGRESS_DELAY_MS: '1' } });
    expect(piped.code).toBe(0);
    expect(piped.stderr + piped.stdout).not.toMatch(/rows\/s|█/);
    expect(readFileSync(join(dir, 'pipe/ledger.csv'), 'utf8')).not.toMatch(/█/);
    if (HAVE_SCRIPT) {
      const cmd = `${process.execPath} ${join(ROOT, 'bin/payout.js')} allocate --quiet --plan ${plan} ${claims} --out ${join(dir, 'quiet')} --max-errors 0`;
      const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, PAYOUT_TEST_PROGRESS_DELAY_MS: '1' } });
      expect(r.status).toBe(0);
      expect(r.stdout).not.toMatch(/rows\/s/);
    }
  });
});
