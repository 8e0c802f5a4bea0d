/** Reads the case facts JSON of `payout accounting --facts` (core/accounting-facts.ts); every problem at once. */
import { factsSchema, type Facts } from '../core/accounting-facts.js';
import { UsageError } from '../core/errors.js';
import { schemaProblems } from '../core/problems.js';
import { readJsonFile } from './json-file.js';

export async function loadFacts(file: string): Promise<Facts> {
  // A facts file is as small as a plan: the plan's size limit.
  const { value } = await readJsonFile(file, {
    kind: 'plan',
    refused: `${file}: the facts were refused`,
    missing: () => new UsageError(`${file}: facts file not found`),
  });
  const r = factsSchema.safeParse(value);
  if (!r.success) throw new UsageError(`${file}: the facts were refused (docs/accounting.md lists the keys)`, schemaProblems(r.error.issues, file));
  return r.data;
}
