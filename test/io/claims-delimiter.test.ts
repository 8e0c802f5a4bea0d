/**
 * The delimiter of a claims file: a header of one column with a `;`, tab or `|` in it is named as
 * such (with the --delimiter to add), and a spreadsheet's first line `sep=X` is honoured.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClaims } from '../../src/io/claims-reader.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { ROOT } from '../helpers/run-cli.js';

mkdirSync('/tmp/payout-tests', { recursive: true });
const tmp = mkdtempSync('/tmp/payout-tests/delimiter-');
const { plan } = await loadPlan(join(ROOT, 'fixtures/errors/plan.json'));

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe('a header that looks separated by another delimiter', () => {
  it.each([
    ['semicolons', 'claim_id;class;units\nTT-1;nationwide;1\n', `looks ";"-separated: add --delimiter ';'`],
    ['quoted semicolons', '"claim_id";"class"\n"TT-1";"nationwide"\n', `looks ";"-separated: add --delimiter ';'`],
    ['tabs', 'claim_id\tclass\nTT-1\tnationwide\n', 'looks tab-separated: add --delimiter tab'],
    ['pipes', '\uFEFFclaim_id|class\r\nTT-1|nationwide\r\n', `looks "|"-separated: add --delimiter '|'`],
  ])('%s: one error on the header line naming the delimiter', async (name, text, message) => {
    const { problems } = await readClaims(file(`${name}.csv`, text), plan);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(1);
    expect(problems[0]?.message).toContain(message);
  });

  it('the right --delimiter reads the same file', async () => {
    const { problems, table } = await readClaims(file('ok.csv', 'claim_id;class;units\nTT-1;nationwide;1\n'), plan, { delimiter: ';' });
    expect(problems).toEqual([]);
    expect(table.ids.toArray()).toEqual(['TT-1']);
  });
});

describe('a first line sep=X', () => {
  it.each([
    ['sep=;', ';'],
    ['sep=\t', '\t'],
    ['sep=|', '|'],
    ['\uFEFFsep=;', ';'],
  ])('%j: the delimiter, and line numbers stay physical', async (sep, d) => {
    const rows = [['claim_id', 'class', 'units'], ['TT-1', 'nationwide', '1'], ['TT-2', 'illinois', '0']];
    const text = `${sep}\r\n${rows.map((r) => r.join(d)).join('\r\n')}\r\n`;
    for (const csv of ['fast', 'csv-parse'] as const) {
      const { problems, table } = await readClaims(file('sep.csv', text), plan, { csv });
      expect(problems.map((p) => [p.code, p.line]), csv).toEqual([['bad_units', 4]]);
      expect(table.ids.toArray()).toEqual(['TT-1']);
    }
  });
});
