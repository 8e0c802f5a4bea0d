/** The fast record splitter for payout's own CSV files (src/io/csv-records.ts), against the writer's quoting rules. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvField } from '../../src/core/csv-cell.js';
import { CsvRecords, CsvSyntaxError } from '../../src/io/csv-records.js';

function split(text: string, cuts: number[]): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const r = new CsvRecords((fields, line) => out.push({ fields, line }));
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    r.push(text.slice(at, c));
    at = c;
  }
  r.push(text.slice(at));
  r.end();
  return out;
}

const fieldArb = fc.stringMatching(/^[a-c ,"\r\n'=é]{0,6}$/);
const recordArb = fc.array(fieldArb, { minLength: 1, maxLength: 5 }).filter((r) => !(r.length === 1 && r[0] === ''));

describe('CsvRecords', () => {
  it('gives back what csvField wrote, with the physical line of each record, however the text is cut', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 8 }),
        (records, crlf, finalBreak, cutSeeds) => {
          const eol = crlf ? '\r\n' : '\n';
          const lines = records.map((r) => r.map(csvField).join(','));
          const text = lines.join(eol) + (finalBreak ? eol : '');
          const cuts = cutSeeds.map((c) => c % (text.length + 1));
          let line = 1;
          const expected = records.map((fields) => {
            const here = line;
            line += 1 + fields.join('').split('\n').length - 1;
            return { fields, line: here };
          });
          expect(split(text, cuts)).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads fields quoted when they need not be, as a spreadsheet may re-save them', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fieldArb, fc.boolean()), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), (records, crlf, cutSeeds) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = records.map((r) => r.map(([f, quote]) => (quote ? `"${f.replace(/"/g, '""')}"` : csvField(f))).join(',')).join(eol) + eol;
        let line = 1;
        const expected = records.map((r) => {
          const fields = r.map(([f]) => f);
          const here = line;
          line += fields.join('').split('\n').length;
          return { fields, line: here };
        });
        expect(split(text, cutSeeds.map((c) => c % (text.length + 1)))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('ends the last line at a CR at the end of the text, with quotes on the line or not', () => {
    for (const text of ['a,b,c\r', 'a,"b",c\r', 'a,b,"c"\r']) expect(split(text, []).map((r) => r.fields), text).toEqual([['a', 'b', 'c']]);
    expect(split('a,"b\rc",d\re\n', [])).toEqual([{ fields: ['a', 'b\rc', 'd\re'], line: 1 }]);
  });

  it('skips blank lines and counts them', () => {
    expect(split('a,b\n\n\r\nc,"d\ne"\nf\n', [])).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['c', 'd\ne'], line: 4 },
      { fields: ['f'], line: 6 },
    ]);
  });

  it('names the line of a syntax error', () => {
    expect(() => split('a\nb,"open\n\nstill', [])).toThrow(new CsvSyntaxError('unclosed quote: a quoted field that starts in this record is never closed', 2));
    expect(() => split('a\n"x"y,z\n', [])).toThrow(CsvSyntaxError);
    expect(() => split('a\nb,c"d\n', [])).toThrow('a quote inside an unquoted field');
  });
});
