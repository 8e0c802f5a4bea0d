/** readLedger, as verify uses it: physical line numbers, CRLF, formula guards removed, clear errors. */
import { describe, expect, it } from 'vitest';
import { readLedger, type LedgerRow } from '../../src/io/ledger-reader.js';
import { UsageError } from '../../src/core/errors.js';
import { CsvSyntaxError, csvReadError, readCsvFile } from '../../src/io/csv-records.js';
import { sha256Hex } from '../../src/io/hash.js';
import { readTins } from '../../src/io/tax-inputs.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();

async function rows(text: string, required: string[] = ['claim_id']): Promise<LedgerRow[]> {
  const out: LedgerRow[] = [];
  await readLedger(tmp.write(`l-${Math.random().toString(36).slice(2)}.csv`, text), required, (r) => out.push(r));
  return out;
}

describe('readLedger', () => {
  it('gives each row the physical line it starts on, across quoted line breaks and blank lines', async () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['claim_id,name', 'a,"two', 'lines"', '', 'b,x', ''].join(eol);
      const r = await rows(text);
      expect(r.map((x) => [x.line, x.cells.claim_id])).toEqual([
        [2, 'a'],
        [5, 'b'],
      ]);
      expect(r[0]!.cells.name).toBe(`two${eol === '\r\n' ? '\r\n' : '\n'}lines`);
    }
  });

  it('removes the formula guards payout adds, and nothing else', async () => {
    const r = await rows("claim_id,name\n'-1,'=A1\nb,'plain\nc,''x\n\ufeff");
    expect(r.map((x) => x.cells)).toEqual([
      { claim_id: '-1', name: '=A1' },
      { claim_id: 'b', name: "'plain" },
      { claim_id: 'c', name: "'x" },
      { claim_id: '\ufeff', name: '' },
    ]);
  });

  it('reads a byte-order mark and a header with spaces', async () => {
    const r = await rows('\ufeff claim_id , amount\nA,1.00\n', ['claim_id', 'amount']);
    expect(r[0]!.cells).toEqual({ claim_id: 'A', amount: '1.00' });
  });

  it('refuses a file that is not a ledger, naming the file and what is missing', async () => {
    await expect(rows('id,amount\nA,1\n', ['claim_id', 'amount'])).rejects.toThrow(/:1: not a payout ledger: missing column claim_id \(found: id, amount\)/);
    await expect(rows('')).rejects.toThrow(/empty, not a payout ledger/);
    await expect(readLedger(tmp.path('absent.csv'), [], () => undefined)).rejects.toBeInstanceOf(UsageError);
    await expect(rows('claim_id\n"open\n')).rejects.toThrow(/cannot read the ledger/);
  });

  it('refuses a header that names a column twice: which one would be the amount?', async () => {
    await expect(rows('claim_id,amount,note,amount\nA,1.00,x,0.00\n', ['claim_id', 'amount'])).rejects.toThrow(
      /:1: not a payout ledger: columns 2 and 4 are both named "amount"/,
    );
  });

  it('reads a line holding only "" as an empty line, as csv-parse does', async () => {
    const r = await rows('claim_id,amount\nA,1.00\n""\nB,2.00\n', ['claim_id', 'amount']);
    expect(r.map((x) => [x.line, x.cells.claim_id])).toEqual([
      [2, 'A'],
      [4, 'B'],
    ]);
  });

  it('keeps a carriage return inside an unquoted cell, on a line with quotes or without', async () => {
    const r = await rows('claim_id,note\nA,x\ry\n"B",x\ry\r\n', ['claim_id']);
    expect(r.map((x) => x.cells)).toEqual([
      { claim_id: 'A', note: 'x\ry' },
      { claim_id: 'B', note: 'x\ry' },
    ]);
  });
});

describe('readCsvFile, the one record reader of payout CSV files', () => {
  it('hands on every record with its line and returns the digest of the bytes read', async () => {
    const text = 'claim_id,tin\r\nA,"1,2"\r\n\r\nB,3\r\n';
    const seen: [number, string[]][] = [];
    const digest = await readCsvFile(tmp.write('records.csv', text), (fields, line) => seen.push([line, fields]));
    expect(seen).toEqual([
      [1, ['claim_id', 'tin']],
      [2, ['A', '1,2']],
      [4, ['B', '3']],
    ]);
    expect(digest).toEqual({ sha256: sha256Hex(Buffer.from(text)), bytes: text.length, hasCR: true });
  });

  it('throws syntax errors with their line, for the caller to word', async () => {
    const err = await readCsvFile(tmp.write('open.csv', 'a\n"open\n'), () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect((err as CsvSyntaxError).line).toBe(2);
    expect(csvReadError('open.csv', 'the TINs file', err).message).toBe('open.csv:2: cannot read the TINs file: unclosed quote: a quoted field that starts in this record is never closed');
  });

  it('a TINs file that is not CSV is named as the TINs file, not as a ledger', async () => {
    const file = tmp.write('tins.csv', 'claim_id,tin\nA,"12\n');
    await expect(readTins(file)).rejects.toThrow(`${file}:2: cannot read the TINs file: unclosed quote`);
  });
});
