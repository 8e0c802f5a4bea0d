/**
 * Files another thread writes as it makes them (pay's files' worker) go to the run's staged names
 * (OutputSet.stage) and are renamed into place with the others only once adopted and committed; a
 * run that fails, or a file nobody adopted, leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputSet } from '../../src/io/atomic-output.js';
import { writeOutputs } from '../../src/io/write-outputs.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const RUN = { command: 'pay', inputs: [], parameters: {} } as unknown as Parameters<typeof writeOutputs>[2];
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('files written at staged names', () => {
  it('are renamed into place with the manifest, with the SHA-256 and size given; a staged file not adopted is removed', async () => {
    const dir = tmp.path('adopted');
    const out = await OutputSet.open(dir, ['a.csv', 'b.csv', 'manifest.json'], false, { makeDir: true });
    const stage = out.stage();
    expect(stage.dir).toBe(dir);
    writeFileSync(join(stage.dir, `a.csv${stage.suffix}`), 'x,y\n1,2\n');
    writeFileSync(join(stage.dir, `left.csv${stage.suffix}`), 'made, then not wanted\n');
    const { manifest } = await writeOutputs(out, [{ name: 'a.csv', chunks: [], sha256: sha('x,y\n1,2\n'), written: 8, rows: 1 }, { name: 'b.csv', chunks: ['b\n'] }], RUN);
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.csv', 'manifest.json']);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('x,y\n1,2\n');
    expect(manifest.outputs[0]).toEqual({ file: 'a.csv', sha256: sha('x,y\n1,2\n'), bytes: 8, rows: 1 });
  });

  it('are removed, adopted or not, when the run fails, and the folder it made with them', async () => {
    const dir = tmp.path('failed');
    const out = await OutputSet.open(dir, ['a.csv', 'manifest.json'], false, { makeDir: true });
    const stage = out.stage();
    writeFileSync(join(stage.dir, `a.csv${stage.suffix}`), 'x\n');
    writeFileSync(join(stage.dir, `paypal-001.csv${stage.suffix}`), 'y\n');
    // The size the writer reported is not the file's: refused, and everything removed.
    await expect(writeOutputs(out, [{ name: 'a.csv', chunks: [], sha256: sha('x\n'), written: 3 }], RUN)).rejects.toThrow('a.csv: 2 bytes written where 3 were made');
    expect(existsSync(dir)).toBe(false);
  });

  it('are removed by abort in a folder that was there before, which keeps its other files', async () => {
    const dir = tmp.path('kept');
    mkdirSync(dir);
    writeFileSync(tmp.path('kept/keep.txt'), 'mine\n');
    const out = await OutputSet.open(dir, ['a.csv'], false);
    const stage = out.stage();
    writeFileSync(join(stage.dir, `a.csv${stage.suffix}`), 'x\n');
    await out.abort();
    expect(readdirSync(dir)).toEqual(['keep.txt']);
  });
});
