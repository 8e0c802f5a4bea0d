/**
 * The reader finds the look-alike claim ids while the duplicate checks answer their last batches
 * (claims-reader.ts, ClaimsCollector.findLookAlikes), not after: the same warnings, in the same
 * place (after the duplicate claimants of the same line), whichever order they were found in.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readClaims } from '../../src/io/claims-reader.js';
import { ClaimsCollector } from '../../src/io/claims-collector.js';
import { DuplicateChecks } from '../../src/io/dedupe-batch.js';
import { parsePlan, type Plan } from '../../src/core/plan.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();

function plan(): Plan {
  const parsed = parsePlan({ name: 't', gross: '1000.00', classes: [{ id: 'nationwide', weight: '1' }], seed: 's' }, 'plan.json');
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  return parsed.plan;
}

/** Claims with look-alike ids (case) on rows that also repeat an earlier claimant's email. */
function claimsFile(): string {
  const lines = ['claim_id,class,email,name,address'];
  for (let i = 0; i < 300; i++) lines.push(`C${i},nationwide,p${i % 50}@x.org,N ${i},"${i} Main St"`);
  for (let i = 0; i < 20; i++) lines.push(`c${i},nationwide,p${i}@x.org,M ${i},"${i} Elm St"`);
  return tmp.write('claims.csv', `${lines.join('\n')}\n`);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('look-alike ids found while the duplicate checks finish', () => {
  it('are looked for after the checks were told to finish and before their answer is in', async () => {
    const events: string[] = [];
    const finish = DuplicateChecks.prototype.finish;
    vi.spyOn(DuplicateChecks.prototype, 'finish').mockImplementation(async function (this: DuplicateChecks) {
      events.push('checks finishing');
      const hits = await finish.call(this);
      events.push('checks answered');
      return hits;
    });
    const find = ClaimsCollector.prototype.findLookAlikes;
    vi.spyOn(ClaimsCollector.prototype, 'findLookAlikes').mockImplementation(function (this: ClaimsCollector) {
      events.push('look-alikes');
      find.call(this);
    });
    const { problems } = await readClaims(claimsFile(), plan(), { duplicateChecks: 'batched' });
    expect(events).toEqual(['checks finishing', 'look-alikes', 'checks answered']);
    expect(problems.filter((p) => p.code === 'lookalike_claim_id')).toHaveLength(20);
  });

  it('give the same warnings in the same order as the checks row by row', async () => {
    const file = claimsFile();
    const batched = await readClaims(file, plan(), { duplicateChecks: 'batched' });
    const inline = await readClaims(file, plan(), { duplicateChecks: 'inline' });
    expect(batched.problems).toEqual(inline.problems);
    const codes = batched.problems.filter((p) => p.line === 302).map((p) => p.code);
    expect(codes).toEqual(['duplicate_email', 'lookalike_claim_id']);
  });
});
