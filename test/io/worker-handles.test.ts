/**
 * The reader's workers are unref'd, so that a run failing elsewhere does not wait for them; while
 * their answers are awaited they must keep the process alive. Otherwise a run whose only pending
 * work is a worker's answer ends there: `validate` exited 2 ("stopped before it finished") about
 * one run in twenty on 1M claims. Each case runs in a process of its own with nothing else pending
 * (the duplicate checks' case ended at once, unanswered, before the fix).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
beforeAll(() => ensureBuilt());

/** Runs an ES module script in a process of its own (a file: the workers inherit no --eval flags). */
function runAlone(name: string, script: string): { code: number | null; stdout: string; stderr: string } {
  const file = tmp.write(`${name}.mjs`, script);
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dist = (path: string): string => pathToFileURL(join(ROOT, 'dist', path)).href;

describe('a worker awaited with nothing else pending', () => {
  it('duplicate checks: booting, then every answer', () => {
    const r = runAlone('dedupe', `
      const { DuplicateChecks } = await import(${JSON.stringify(dist('io/dedupe-batch.js'))});
      const checks = await DuplicateChecks.start(true);
      console.log('on worker', checks.onWorker);
      for (let i = 0; i < 20000; i++) checks.addStrings(i + 2, 'id' + i, 'a' + (i % 1000) + '@b.c', 'n', 'addr');
      checks.sendStrings(true, true);
      console.log('hits', (await checks.finish()).length);
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('on worker true\nhits 38999\n');
    expect(r.code).toBe(0);
  });

  it('tie-break keys: the prefixes of every batch, the worker hashing them too', () => {
    const r = runAlone('tie-keys', `
      const { TieKeyPrefixes } = await import(${JSON.stringify(dist('io/tie-keys.js'))});
      const { ClaimIds } = await import(${JSON.stringify(dist('core/claims.js'))});
      const ids = ClaimIds.from(Array.from({ length: 50000 }, (_, i) => 'TT-' + i));
      const keys = new TieKeyPrefixes('seed');
      keys.add(ids, 0, ids.length);
      console.log('prefixes', (await keys.result(ids.length)).length);
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('prefixes 50000\n');
    expect(r.code).toBe(0);
  });
});
