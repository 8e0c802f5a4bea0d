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

  it("leave the file's SHA-256 to the reading thread when the checks are spilled (that worker is the busier one then)", () => {
    const claims = tmp.path('spilled.csv');
    const rows = ['claim_id,class,email,name,address'];
    for (let i = 0; rows.length * 60 < (9 << 20); i++) rows.push(`C${i},nationwide,p${i % 5000}@x.org,Name ${i % 7000},${i % 7000} Main Street`);
    const text = rows.join('\n') + '\n';
    tmp.write('spilled.csv', text);
    const plan = tmp.write('plan.json', JSON.stringify({ name: 't', gross: '1000.00', classes: [{ id: 'nationwide', weight: '1' }], seed: 's' }));
    const file = tmp.write(
      'spilled-hash.mjs',
      `
      const { DuplicateChecks } = await import(${JSON.stringify(dist('io/dedupe-batch.js'))});
      const { readClaims } = await import(${JSON.stringify(dist('io/claims-reader.js'))});
      const { loadPlan } = await import(${JSON.stringify(dist('io/plan-file.js'))});
      const { createHash } = await import('node:crypto');
      const { readFileSync } = await import('node:fs');
      let moved = 0;
      const hashFile = DuplicateChecks.prototype.hashFile;
      DuplicateChecks.prototype.hashFile = function (...args) { moved++; return hashFile.apply(this, args); };
      const { plan } = await loadPlan(${JSON.stringify(plan)});
      for (const spill of [0, Infinity]) {
        const r = await readClaims(${JSON.stringify(claims)}, plan, { sha256: true, duplicateSpillBytes: spill });
        const right = r.stats.sha256 === createHash('sha256').update(readFileSync(${JSON.stringify(claims)})).digest('hex');
        console.log(spill === 0 ? 'spilled' : 'in memory', right, moved > 0 ? 'on the worker' : 'here', r.problems.length > 0);
        moved = 0;
      }
    `,
    );
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('spilled true here true\nin memory true on the worker true\n');
    expect(r.status).toBe(0);
  });
});
