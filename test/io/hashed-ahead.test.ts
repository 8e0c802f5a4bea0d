/**
 * A file whose bytes were hashed as they were made (pay's files from its worker thread) is written
 * with that SHA-256 recorded, not hashed again; text cannot be written to it (its hash would not be
 * the text's), and the run's folder is then left as it was.
 */
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OutputSet } from '../../src/io/atomic-output.js';
import { writeOutputs } from '../../src/io/write-outputs.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const RUN = { command: 'pay', inputs: [], parameters: {} } as unknown as Parameters<typeof writeOutputs>[2];

describe('files hashed ahead', () => {
  it('record the SHA-256 given with their bytes', async () => {
    const dir = tmp.path('ahead');
    const bytes = Buffer.from('a,b\n1,2\n');
    const given = createHash('sha256').update('something else').digest('hex');
    const out = await OutputSet.open(dir, ['a.csv', 'manifest.json'], false, { makeDir: true });
    const file = out.create('a.csv', given);
    await file.writeBytes(bytes);
    expect(await file.close()).toEqual({ name: 'a.csv', sha256: given, bytes: bytes.length });
    await out.abort();
  });

  it('refuse text, and the folder is left as it was', async () => {
    const dir = tmp.path('text');
    const out = await OutputSet.open(dir, ['a.csv', 'manifest.json'], false, { makeDir: true });
    const sha256 = createHash('sha256').update('a,b\n').digest('hex');
    await expect(writeOutputs(out, [{ name: 'a.csv', chunks: ['a,b\n'], sha256 }], RUN)).rejects.toThrow('a.csv: text written to a file whose bytes were hashed ahead');
    // The folder the run made is gone again, with its temporary file.
    expect(existsSync(dir)).toBe(false);
  });
});
