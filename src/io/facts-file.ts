/** Reads the case facts JSON of `payout accounting --facts` (core/accounting-facts.ts); every problem at once. */
import { readFile } from 'node:fs/promises';
import { factsSchema, type Facts } from '../core/accounting-facts.js';
import { UsageError } from '../core/errors.js';
import { schemaProblems } from '../core/problems.js';

export async function loadFacts(file: string): Promise<Facts> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(e.code === 'ENOENT' ? `${file}: facts file not found` : `${file}: cannot read the facts file (${e.code ?? e.message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const r = factsSchema.safeParse(value);
  if (!r.success) throw new UsageError(`${file}: the facts were refused (docs/accounting.md lists the keys)`, schemaProblems(r.error.issues, file));
  return r.data;
}
