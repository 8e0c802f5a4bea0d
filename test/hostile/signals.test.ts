/**
 * SIGINT and SIGTERM (issue 18, finding 4): the run's temporary files and the folders it made are
 * removed, earlier outputs stay as they were, one line says so, and payout ends by the signal (its
 * shell reports 130 or 143). The binary is signalled at a point it is known to be at: waiting for
 * claims from a FIFO, or writing its temporary files (a generated ledger large enough to be
 * written for a while; the test signals when a temporary file appears).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { entries, exists, makeFifo, startCli, waitFor } from './child.js';

const tmp = tempDir();
const PLAN = join(ROOT, 'fixtures/tiktok/plan.json');
const CLAIMS = join(ROOT, 'fixtures/tiktok/claims.csv');
const OUTPUTS = ['ledger.csv', 'manifest.json', 'summary.json'];

describe('an interrupted run leaves nothing behind', () => {
  it('SIGINT while the claims are awaited: the folders it made are removed, one line, status 130', async () => {
    const out = tmp.path('made/by/the/run');
    const run = startCli(['allocate', '--plan', PLAN, makeFifo(tmp.path('claims.fifo')), '--out', out, '--quiet']);
    expect(await waitFor(() => exists(join(out, '.payout.lock')), run)).toBe(true);
    run.child.kill('SIGINT');
    const r = await run.ended;
    expect(r.signal).toBe('SIGINT'); // a shell shows $? = 130
    expect(r.stderr).toBe('payout: interrupted (SIGINT): nothing was written; earlier outputs are as they were\n');
    expect(exists(tmp.path('made'))).toBe(false);
  });

  it('SIGTERM while the files are written: no temporary file, the earlier outputs intact, status 143', async () => {
    const out = tmp.path('earlier');
    expect((await runCli(['allocate', '--plan', PLAN, CLAIMS, '--out', out, '--quiet'])).code).toBe(0);
    const before = Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(out, f))]));
    // 60,000 claims with a 900-character column carried to the ledger: ~57 MB to write.
    const pad = 'x'.repeat(900);
    const rows = Array.from({ length: 60_000 }, (_, i) => `S-${String(i).padStart(6, '0')},nationwide,1,approved,${pad}`);
    const wide = tmp.write('wide.csv', `claim_id,class,units,status,note\n${rows.join('\n')}\n`);

    const run = startCli(['allocate', '--plan', PLAN, wide, '--out', out, '--keep', 'note', '--force', '--quiet']);
    const writing = await waitFor(() => entries(out).some((f) => f.endsWith('.tmp')), run);
    expect(writing, 'the run ended before a temporary file was seen').toBe(true);
    run.child.kill('SIGTERM');
    const r = await run.ended;
    expect(r.signal).toBe('SIGTERM'); // a shell shows $? = 143
    expect(r.stderr).toContain('payout: interrupted (SIGTERM)');
    expect(entries(out)).toEqual(OUTPUTS); // no .tmp, no .old, no lock
    for (const f of OUTPUTS) expect(readFileSync(join(out, f)).equals(before[f]!), f).toBe(true);
  });

  it('SIGINT while validate writes --errors-out: no temporary file is left beside it', async () => {
    const errors = tmp.path('errors');
    mkdirSync(errors);
    const run = startCli(['validate', '--plan', PLAN, makeFifo(tmp.path('validate.fifo')), '--errors-out', join(errors, 'out.csv')]);
    // validate opens --errors-out before it reads: its temporary file is there while the FIFO is awaited.
    expect(await waitFor(() => entries(errors).some((f) => f.endsWith('.tmp')), run)).toBe(true);
    run.child.kill('SIGINT');
    expect((await run.ended).signal).toBe('SIGINT');
    expect(entries(errors)).toEqual([]);
  });
});
