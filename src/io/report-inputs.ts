/**
 * Reads summary.json and manifest.json from an allocation's output folder and checks them against
 * docs/outputs.md. Anything missing or malformed is a UsageError (exit 2) naming the file and the
 * field, since the folder is an input the user pointed at.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { schemaProblems } from '../core/problems.js';
import { manifestSchema, summarySchema, type Manifest, type Summary } from '../core/report-input.js';

async function readJson(dir: string, name: string, hint: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(dir, name), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${dir} has no ${name}; ${hint}`);
    throw err;
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new UsageError(`${join(dir, name)}: not valid JSON (${(err as Error).message})`);
  }
}

function check<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new UsageError(`${file}: not the format payout allocate writes (docs/outputs.md)`, schemaProblems(r.error.issues, file));
}

/** summary.json and manifest.json of DIR, checked; money in cents. */
export async function readAllocation(dir: string): Promise<{ summary: Summary; manifest: Manifest }> {
  const hint = 'payout report reads the folder that `payout allocate --out DIR` wrote';
  const summary = check(summarySchema, await readJson(dir, 'summary.json', hint), join(dir, 'summary.json'));
  const manifest = check(manifestSchema, await readJson(dir, 'manifest.json', hint), join(dir, 'manifest.json'));
  return { summary, manifest };
}
