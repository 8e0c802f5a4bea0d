/**
 * The uncashed list (payout redistribute --uncashed) in another encoding than UTF-8 is reported as
 * a claims file is: one file-level error with the likely encoding, then at most 3 example lines,
 * the bad rows left out; not one error per line.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readUncashed } from '../../src/io/uncashed-reader.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
/** 12 rows with a Latin-1 "é" (0xE9, as Windows-1252 writes it) in a note, and one plain row. */
function windows1252List(): Buffer {
  const rows = Array.from({ length: 12 }, (_, i) => Buffer.concat([Buffer.from(`TT-${String(i + 1).padStart(7, '0')},caf`), Buffer.from([0xe9]), Buffer.from('\r\n')]));
  return Buffer.concat([Buffer.from('claim_id,note\r\n'), ...rows, Buffer.from('TT-0000020,ok\r\n')]);
}

describe('an uncashed list that is not UTF-8', () => {
  it('one file-level error with the Windows-1252 guess, 3 example lines, the rows left out', async () => {
    const file = tmp.write('uncashed-1252.csv', windows1252List());
    const r = await readUncashed(file);
    expect(r.problems.map((p) => [p.line ?? null, p.code, p.message])).toEqual([
      [null, 'invalid_utf8', 'the file is not UTF-8: 12 lines hold bytes that are not UTF-8 (the first 3 are listed; their rows are left out); it looks like Windows-1252 (Excel\'s "CSV" on Windows): re-export it as "CSV UTF-8"'],
      [2, 'invalid_utf8', 'invalid UTF-8 (byte 0xE9): re-export the file as CSV UTF-8'],
      [3, 'invalid_utf8', 'invalid UTF-8 (byte 0xE9): re-export the file as CSV UTF-8'],
      [4, 'invalid_utf8', 'invalid UTF-8 (byte 0xE9): re-export the file as CSV UTF-8'],
    ]);
    expect(r.entries).toEqual([{ line: 14, claimId: 'TT-0000020' }]);
    expect(r.rows).toBe(13);
  });

  it('a UTF-8 list with an é is read as it is', async () => {
    const file = tmp.write('uncashed-utf8.csv', 'claim_id,note\nTT-0000001,café\n');
    const r = await readUncashed(file);
    expect(r.problems).toEqual([]);
    expect(r.entries).toEqual([{ line: 2, claimId: 'TT-0000001' }]);
  });

  describe('payout redistribute', () => {
    const first = tmp.path('round1');
    beforeAll(async () => {
      const a = await runCli(['allocate', '--plan', join(ROOT, 'fixtures/tiktok/plan.json'), join(ROOT, 'fixtures/tiktok/claims.csv'), '--out', first, '--quiet']);
      expect(a.code, a.stderr).toBe(0);
    });

    it('exit 1: the file-level line first, 3 examples, nothing written', async () => {
      const file = tmp.write('uncashed.csv', windows1252List());
      const out = tmp.path('round2');
      const r = await runCli(['redistribute', '--plan', join(ROOT, 'fixtures/tiktok/plan.json'), '--from', first, '--uncashed', file, '--out', out]);
      expect(r.code).toBe(1);
      const lines = r.stderr.split('\n').filter((l) => l.includes('UTF-8'));
      expect(lines).toHaveLength(4);
      expect(lines[0]).toContain('the file is not UTF-8: 12 lines hold bytes that are not UTF-8');
      expect(lines[0]).toContain('Windows-1252');
      expect(r.stderr.match(/invalid UTF-8 \(byte 0xE9\)/g)).toHaveLength(3);
      expect(existsSync(out)).toBe(false);
    });
  });
});
