/**
 * Reads summary.json and manifest.json from an allocation's output folder and checks them against
 * docs/outputs.md. Anything missing or malformed is a UsageError (exit 2) naming the file and the
 * field, since the folder is an input the user pointed at.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { assertFinishedRun } from './run-state.js';
import { readJsonFile } from './json-file.js';
import { schemaProblems } from '../core/problems.js';
import { manifestSchema, summarySchema, type Manifest, type Summary } from '../core/report-input.js';

async function readJson(dir: string, name: 'summary.json' | 'manifest.json', hint: string): Promise<unknown> {
  const file = join(dir, name);
  const kind = name === 'summary.json' ? 'summary' : 'manifest';
  return (await readJsonFile(file, { kind, refused: `${file}: not valid JSON`, missing: () => new UsageError(`${dir} has no ${name}; ${hint}`) })).value;
}

function check<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new UsageError(`${file}: not the format payout allocate writes (docs/outputs.md)`, schemaProblems(r.error.issues, file));
}

/** summary.json and manifest.json of DIR, checked; money in cents. */
export async function readAllocation(dir: string): Promise<{ summary: Summary; manifest: Manifest }> {
  const hint = 'payout report reads the folder that `payout allocate --out DIR` wrote';
  await assertFinishedRun(dir);
  const summary = check(summarySchema, await readJson(dir, 'summary.json', hint), join(dir, 'summary.json'));
  const manifest = check(manifestSchema, await readJson(dir, 'manifest.json', hint), join(dir, 'manifest.json'));
  await assertFinishedRun(dir, manifest.outputs.map((o) => o.file));
  return { summary, manifest };
}
