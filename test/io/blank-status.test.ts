/** A blank status cell follows the plan's `blankStatus` (docs/spec.md §2): a warning by default, an error on request. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClaims } from '../../src/io/claims-reader.js';
import { loadPlan } from '../../src/io/plan-file.js';
import { ROOT } from '../helpers/run-cli.js';

const DIR = join(ROOT, 'fixtures/errors');

describe('blankStatus', () => {
  it('"approved" (the default): the rows are read as approved, each with a warning naming its line', async () => {
    const { plan } = await loadPlan(join(DIR, 'plan.json'));
    expect(plan.blankStatus).toBe('approved');
    const { problems, table, stats } = await readClaims(join(DIR, 'blank-status.csv'), plan);
    expect(problems.map((p) => [p.severity, p.code, p.line])).toEqual([
      ['warning', 'blank_status', 3],
      ['warning', 'blank_status', 4],
    ]);
    expect(table.ids.toArray()).toEqual(['TT-1', 'TT-2', 'TT-3', 'TT-4']);
    expect(stats.warningsByCode.blank_status).toBe(2);
  });

  it('"error": the rows are refused, each an error naming its line', async () => {
    const { plan } = await loadPlan(join(DIR, 'plan.json'));
    const { problems, table } = await readClaims(join(DIR, 'blank-status.csv'), { ...plan, blankStatus: 'error' });
    expect(problems.map((p) => [p.severity, p.code, p.line, p.field])).toEqual([
      ['error', 'blank_status', 3, 'status'],
      ['error', 'blank_status', 4, 'status'],
    ]);
    expect(table.ids.toArray()).toEqual(['TT-1', 'TT-4']);
  });

  it('a file without a status column has no blank statuses', async () => {
    const { plan } = await loadPlan(join(DIR, 'plan.json'));
    const { problems } = await readClaims(join(ROOT, 'fixtures/cap-all-capped/claims.csv'), { ...plan, blankStatus: 'error' });
    expect(problems.filter((p) => p.code === 'blank_status')).toEqual([]);
  });
});
