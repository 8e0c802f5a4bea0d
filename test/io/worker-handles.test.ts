/**
 * The reader's workers are unref'd, so that a run failing elsewhere does not wait for them; while
 * their answers are awaited they must keep the process alive. Otherwise a run whose only pending
 * work is a worker's answer ends there: `validate` exited 2 ("stopped before it finished") about
 * one run in twenty on 1M claims (the boot was awaited unref'd). Each case runs in a process of its
 * own with nothing else pending.
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
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dist = (path: string): string => pathToFileURL(join(ROOT, 'dist', path)).href;

describe('a worker awaited with nothing else pending', () => {
  it('duplicate checks: booting, waiting to catch up, then every answer', () => {
    const r = runAlone('dedupe', `
      const { DuplicateChecks } = await import(${JSON.stringify(dist('io/dedupe-batch.js'))});
      const checks = await DuplicateChecks.start(true);
      console.log('on worker', checks.onWorker);
      for (let batch = 0; batch < 8; batch++) {
        for (let i = 0; i < 5000; i++) checks.addStrings(batch * 5000 + i + 2, 'id', 'a' + (i % 1000) + '@b.c', 'n', 'addr');
        checks.sendStrings(true, true);
      }
      await checks.caughtUp();
      console.log('caught up');
      let ended = false;
      checks.worker.on('exit', () => { ended = true; });
      console.log('hits', (await checks.finish()).length);
      // Its tables are given back before the reading goes on (the look-alike pass).
      console.log('worker ended', ended);
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('on worker true\ncaught up\nhits 78999\nworker ended true\n');
    expect(r.code).toBe(0);
  });

  it("the input files' SHA-256: a digest awaited keeps the process alive until it comes", () => {
    const r = runAlone('hash-thread', `
      const { HashThread, HASH_THREAD_MIN_BYTES } = await import(${JSON.stringify(dist('io/hash-thread.js'))});
      const { createHash } = await import('node:crypto');
      const hashes = new HashThread();
      const bytes = new Uint8Array(HASH_THREAD_MIN_BYTES).fill(7);
      const hash = hashes.hash(bytes.length);
      hash.update(bytes);
      console.log((await hash.digest()) === createHash('sha256').update(bytes).digest('hex'));
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true\n');
    expect(r.code).toBe(0);
  });
});

describe('a hash thread that died', () => {
  it('fails a digest asked for after it ended, rather than wait for an answer that never comes', () => {
    const r = runAlone('hash-thread-died', `
      const { HashThread, HASH_THREAD_MIN_BYTES } = await import(${JSON.stringify(dist('io/hash-thread.js'))});
      const hashes = new HashThread();
      const hash = hashes.hash(HASH_THREAD_MIN_BYTES);
      hash.update(new Uint8Array(1000).fill(7));
      hashes.crash();
      await new Promise((r) => setTimeout(r, 500)); // it has ended by now: no digest is awaited yet
      hash.update(new Uint8Array(1000).fill(7));
      const keepAlive = setTimeout(() => console.log('still waiting'), 10_000);
      await hash.digest().then((d) => console.log('digest', d), (e) => console.log('error', e.message));
      clearTimeout(keepAlive);
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('error the thread hashing the input files stopped: it ended before every digest was given\n');
    expect(r.code).toBe(0);
  });
});

describe('a worker nobody awaits', () => {
  // A run that fails elsewhere (a bad plan, an I/O error) must end without closing them first.
  it('does not keep the process alive: duplicate checks and tie-break keys left open', () => {
    const r = runAlone('left-open', `
      const { DuplicateChecks } = await import(${JSON.stringify(dist('io/dedupe-batch.js'))});
      const { TieKeyPrefixes } = await import(${JSON.stringify(dist('io/tie-keys.js'))});
      const { ClaimIds } = await import(${JSON.stringify(dist('core/claims.js'))});
      const checks = await DuplicateChecks.start(true);
      checks.addStrings(2, 'id', 'a@b.c', 'n', 'addr');
      checks.sendStrings(true, true);
      const keys = new TieKeyPrefixes('seed');
      keys.add(ClaimIds.from(['TT-1', 'TT-2']), 0, 2);
      const { HashThread } = await import(${JSON.stringify(dist('io/hash-thread.js'))});
      const hashes = new HashThread();
      hashes.hash(1 << 30).update(new Uint8Array(10));
      console.log('left open', checks.onWorker);
    `);
    expect(r.stdout).toBe('left open true\n');
    expect(r.code).toBe(0);
  });
});
