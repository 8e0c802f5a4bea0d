/**
 * The error catalogue (fixtures/errors/): one bad input per problem code, each with the exact
 * problems it must produce in `<name>.expected.txt`, one per line:
 *   `<severity> <code> <file>:<line>: <field>: <message>`  (file named without its directory)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClaims } from '../../src/io/claims-reader.js';
import { loadPlan } from '../../src/io/plan-file.js';
import type { ProblemCode } from '../../src/core/problems.js';
import { UsageError } from '../../src/core/errors.js';
import { ROOT } from '../helpers/run-cli.js';
import { catalogueLine } from '../helpers/problems.js';

const DIR = join(ROOT, 'fixtures/errors');
const files = readdirSync(DIR).sort();
const claimsFixtures = files.filter((f) => f.endsWith('.csv'));
const planFixtures = files.filter((f) => f.startsWith('plan-') && f.endsWith('.json'));

function expected(fixture: string): string[] {
  const text = readFileSync(join(DIR, fixture.replace(/\.(csv|json)$/, '.expected.txt')), 'utf8');
  return text.split('\n').filter((l) => l !== '');
}

describe('error catalogue: claims files', async () => {
  const { plan } = await loadPlan(join(DIR, 'plan.json'));

  it.each(claimsFixtures)('%s', async (fixture) => {
    const { problems, stats } = await readClaims(join(DIR, fixture), plan);
    expect(problems.map(catalogueLine)).toEqual(expected(fixture));
    expect(stats.errors).toBe(problems.filter((p) => p.severity === 'error').length);
    expect(stats.warnings).toBe(problems.filter((p) => p.severity === 'warning').length);
  });

  it('has a bad input for every claims problem code', () => {
    const codes = new Set(claimsFixtures.flatMap((f) => expected(f).map((l) => l.split(' ')[1])));
    const wanted: ProblemCode[] = [
      'empty_file', 'header_only', 'missing_column', 'duplicate_column', 'column_count', 'unclosed_quote', 'csv_syntax',
      'invalid_utf8', 'empty_claim_id', 'duplicate_claim_id', 'unknown_class', 'bad_units', 'duplicate_email',
      'duplicate_name_address', 'blank_row', 'lookalike_claim_id', 'blank_status',
    ];
    for (const code of wanted) expect(codes, code).toContain(code);
  });

  it('reports many different problems in one run, in line order', async () => {
    const { problems, stats } = await readClaims(join(DIR, 'many-problems.csv'), plan);
    expect(new Set(problems.map((p) => p.code)).size).toBeGreaterThanOrEqual(10);
    const lines = problems.map((p) => p.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(stats.stoppedAtLine).toBe(15);
  });

  it.each(['multiline-lf.csv', 'multiline-crlf.csv'])('%s: lines after quoted line breaks and blank lines', async (fixture) => {
    const { problems, table } = await readClaims(join(DIR, fixture), plan);
    expect(problems.map((p) => [p.code, p.line])).toEqual([
      ['unknown_class', 5],
      ['bad_units', 12],
      ['duplicate_claim_id', 13],
      ['column_count', 15],
    ]);
    expect(problems[2]?.message).toBe('claim_id "TT-1" already on line 2');
    expect([...table.lines]).toEqual([2, 7]);
    expect(table.ids.toArray()).toEqual(['TT-1', 'TT-3']);
  });
});

describe('error catalogue: plans', () => {
  it.each(planFixtures)('%s is refused (exit 2) with its JSON path', async (fixture) => {
    const err = await loadPlan(join(DIR, fixture)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).problems.map(catalogueLine)).toEqual(expected(fixture));
  });
});
