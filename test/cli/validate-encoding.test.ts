/**
 * `payout validate` on a claims file exported as Windows-1252 (Excel's "CSV" on Windows): one
 * file-level error with the count of bad lines and the likely encoding, at most 3 example lines.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { INVALID_UTF8_EXAMPLES } from '../../src/io/csv-utf8.js';

const PLAN = 'fixtures/errors/plan.json';
const tmp = tempDir();

/** `rows` claims, each name holding a Windows-1252 byte: é (0xE9), and on every 7th row a curly apostrophe (0x92). */
function windows1252Claims(rows: number): Buffer {
  const parts: Buffer[] = [Buffer.from('claim_id,class,units,status,name\r\n', 'latin1')];
  for (let i = 1; i <= rows; i++) {
    const name = i % 7 === 0 ? Buffer.from([0x4f, 0x92, 0x42, 0x72, 0x69, 0x65, 0x6e]) : Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x65]);
    parts.push(Buffer.from(`W-${i},nationwide,1,approved,`, 'latin1'), name, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

describe('payout validate: a Windows-1252 claims file', () => {
  it('gives one file-level error, the likely encoding, 3 example lines and the count', async () => {
    const file = tmp.write('claims-1252.csv', windows1252Claims(400));
    const r = await runCli(['validate', '--plan', PLAN, file]);
    expect(r.code, r.stderr).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors[0]).toBe(
      `error: ${file}: the file is not UTF-8: 400 lines hold bytes that are not UTF-8 (the first 3 are listed; their rows are left out); it looks like Windows-1252 (Excel's "CSV" on Windows): re-export it as "CSV UTF-8"`,
    );
    expect(errors.slice(1)).toEqual([
      `error: ${file}:2: invalid UTF-8 (byte 0xE9): re-export the file as CSV UTF-8`,
      `error: ${file}:3: invalid UTF-8 (byte 0xE9): re-export the file as CSV UTF-8`,
      `error: ${file}:4: invalid UTF-8 (byte 0xE9): re-export the file as CSV UTF-8`,
    ]);
    expect(errors.length).toBe(1 + INVALID_UTF8_EXAMPLES);
    expect(r.stdout).toContain('\n4 errors, 0 warnings\n');
    expect(r.stderr).toBe(`payout: ${file} failed validation: 4 errors\n`);
  });

  it('makes no guess when a bad byte is not a Windows-1252 character', async () => {
    const file = tmp.write('claims-other.csv', Buffer.concat([
      Buffer.from('claim_id,class,units,status,name\nX-1,nationwide,1,approved,A', 'latin1'),
      Buffer.from([0x81]),
      Buffer.from('\n', 'latin1'),
    ]));
    const r = await runCli(['validate', '--plan', PLAN, file]);
    expect(r.code, r.stderr).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toEqual([
      `error: ${file}: the file is not UTF-8: 1 line holds bytes that are not UTF-8 (it is listed; its row is left out); re-export it as "CSV UTF-8"`,
      `error: ${file}:2: invalid UTF-8 (byte 0x81): re-export the file as CSV UTF-8`,
    ]);
  });
});
