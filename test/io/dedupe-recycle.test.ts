/**
 * The duplicate-check worker moves each byte batch's buffers back with its answer, and the reader
 * fills them again (dedupe-batch.ts): fresh buffers for every batch were ~30,000 page faults of a
 * 1M-claim allocate. The compiled worker (dist/) is needed, so the case runs in a process of its own.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
beforeAll(() => ensureBuilt());

const dist = (path: string): string => pathToFileURL(join(ROOT, 'dist', path)).href;

describe('duplicate-check batches on the worker', () => {
  it('fill the buffers the worker gave back, and find the same duplicates', () => {
    const file = tmp.write(
      'recycle.mjs',
      `
      const { DuplicateChecks } = await import(${JSON.stringify(dist('io/dedupe-batch.js'))});
      const checks = await DuplicateChecks.start(true);
      console.log('on worker', checks.onWorker);
      const BATCHES = 40, ROWS = 100;
      for (let b = 0; b < BATCHES; b++) {
        // The rows' emails in one buffer; every 150th email comes again.
        let text = '';
        const cells = [];
        for (let i = 0; i < ROWS; i++) {
          const email = 'e' + ((b * ROWS + i) % 150) + '@x.org';
          cells.push([text.length, text.length + email.length]);
          text += email + ',';
        }
        const bytes = Buffer.from(text);
        cells.forEach(([s, e], i) => checks.addRange(b * ROWS + i + 2, [s, e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        checks.sendBytes(bytes, true, false);
        await checks.caughtUp();
      }
      const hits = await checks.finish();
      console.log('hits', hits.length, hits.every((h) => (h.line - h.first) % 150 === 0 && h.first < 152));
      console.log('buffers made', checks.buffersMade <= 2 * 6 ? 'few' : checks.buffersMade);
    `,
    );
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('on worker true\nhits 3850 true\nbuffers made few\n');
    expect(r.status).toBe(0);
  });

  it('let the reader do other work while the worker is behind (caughtUp with whileWaiting), until it has caught up', () => {
    const file = tmp.write(
      'while-waiting.mjs',
      `
      const { DuplicateChecks } = await import(${JSON.stringify(dist('io/dedupe-batch.js'))});
      const checks = await DuplicateChecks.start(true);
      const send = (b) => {
        let text = '';
        for (let i = 0; i < 2000; i++) {
          const email = 'e' + ((b * 2000 + i) % 3000) + '@x.org';
          checks.addRange(b * 2000 + i + 2, [text.length, text.length + email.length, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
          text += email + ',';
        }
        checks.sendBytes(Buffer.from(text), true, false);
      };
      for (let b = 0; b < 10; b++) send(b);
      // 10 batches unanswered: the work offered is done, a piece at a time, while the worker catches up.
      let calls = 0;
      await checks.caughtUp(() => ++calls < 1000000);
      const pending = checks.pending;
      console.log('called', calls > 0, 'caught up', pending <= 4);
      // Work that runs out (false) is not offered again; the wait goes on as before.
      for (let b = 10; b < 20; b++) send(b);
      let offered = 0;
      await checks.caughtUp(() => (++offered, false));
      console.log('offered once', offered === 1, 'caught up', checks.pending <= 4);
      const hits = await checks.finish();
      console.log('hits', hits.length);
    `,
    );
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('called true caught up true\noffered once true caught up true\nhits 37000\n');
    expect(r.status).toBe(0);
  });

  it('ask for the spilled checks\' last pass when told to finish, not once the last batches are answered', () => {
    const file = tmp.write(
      'spill-early.mjs',
      `
      const { DuplicateChecks } = await import(${JSON.stringify(dist('io/dedupe-batch.js'))});
      const checks = await DuplicateChecks.start(true, true);
      const posted = [];
      const post = checks.worker.postMessage.bind(checks.worker);
      checks.worker.postMessage = (m, t) => {
        posted.push(Object.keys(m)[0]);
        return post(m, t);
      };
      for (let b = 0; b < 6; b++) {
        let text = '';
        for (let i = 0; i < 500; i++) {
          const email = 'e' + ((b * 500 + i) % 700) + '@x.org';
          checks.addRange(b * 500 + i + 2, [text.length, text.length + email.length, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
          text += email + ',';
        }
        checks.sendBytes(Buffer.from(text), true, false);
      }
      const finishing = checks.finish();
      // Before any answer could come in: the worker has the request queued behind the batches.
      console.log('asked at once', posted.includes('spillFinish'), 'batches unanswered', checks.pending > 1);
      const hits = await finishing;
      console.log('hits', hits.length, 'asked once', posted.filter((k) => k === 'spillFinish').length);
    `,
    );
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('asked at once true batches unanswered true\nhits 2300 asked once 1\n');
    expect(r.status).toBe(0);
  });

  it("move the file's chunks back once hashed, for the reader to read into again", () => {
    const file = tmp.write(
      'chunks.mjs',
      `
      const { DuplicateChecks } = await import(${JSON.stringify(dist('io/dedupe-batch.js'))});
      const { createHash } = await import('node:crypto');
      const checks = await DuplicateChecks.start(true);
      const expected = createHash('sha256');
      for (let i = 0; i < 3; i++) {
        const chunk = Buffer.allocUnsafeSlow(1 << 16).fill(i);
        expected.update(chunk);
        checks.hashFile(chunk, true);
      }
      checks.requestFileSha256();
      await checks.finish();
      console.log('digest', checks.fileSha256 === expected.digest('hex'));
      const back = [checks.takeFileBuffer(1 << 16), checks.takeFileBuffer(1 << 16), checks.takeFileBuffer(1 << 16)];
      console.log('back', back.map((b) => b?.length).join(','), checks.takeFileBuffer(1) === undefined);
    `,
    );
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('digest true\nback 65536,65536,65536 true\n');
    expect(r.status).toBe(0);
  });
});
