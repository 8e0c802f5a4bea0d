/**
 * Reading an output folder back for `payout verify`: manifest.json (checked against the format of
 * docs/outputs.md), summary.json as plain JSON, and the header of ledger.csv. A file that is
 * missing or cannot be parsed at all is a UsageError (exit 2): the folder cannot be verified.
 */
import { basename, dirname, join } from 'node:path';
import { CsvRecords, CsvSyntaxError, utf8Text } from './csv-records.js';
import { z } from 'zod';
import { MANIFEST_FORMAT, type Manifest } from '../core/manifest.js';
import { schemaProblems } from '../core/problems.js';
import { UsageError } from '../core/errors.js';
import { assertFinishedRun } from './run-state.js';
import { readJsonFile } from './json-file.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
const count = z.number().int().nonnegative();
const fileRef = z.object({ file: z.string(), sha256, rows: count.optional() });

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT, { error: `expected "${MANIFEST_FORMAT}" (this payout reads format 1)` }),
  tool: z.object({ name: z.string(), version: z.string() }),
  command: z.string(),
  plan: fileRef,
  claims: fileRef.optional(),
  reading: z
    .object({
      delimiter: z.string().length(1).optional(),
      map: z.record(z.string(), z.string().min(1)).optional(),
      keep: z.array(z.string()).optional(),
    })
    .optional(),
  inputs: z.record(z.string(), fileRef).optional(),
  parameters: z.record(z.string(), z.string()).optional(),
  seed: z.string(),
  outputs: z.array(fileRef.extend({ bytes: count })),
  receipts: z.object({ encoding: z.string(), root: sha256, leaves: count }).optional(),
});

/** `DIR has no manifest.json: is it the --out folder of a payout run?` */
const notFound = (file: string): UsageError =>
  new UsageError(`${dirname(file)} has no ${basename(file)}: is it the --out folder of a payout run?`);

async function readJson(file: string, kind: 'manifest' | 'summary'): Promise<unknown> {
  return (await readJsonFile(file, { kind, refused: `${file}: not valid JSON`, missing: notFound })).value;
}

/** DIR/manifest.json, checked. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = join(dir, 'manifest.json');
  await assertFinishedRun(dir);
  const r = manifestSchema.safeParse(await readJson(file, 'manifest'));
  if (r.success) {
    await assertFinishedRun(dir, r.data.outputs.map((o) => o.file));
    // zod types an absent key as `?: T | undefined`; parsed JSON never holds an undefined value.
    return r.data as Manifest;
  }
  throw new UsageError(`${file}: not a payout manifest (docs/outputs.md)`, schemaProblems(r.error.issues, file));
}

/** A JSON output of DIR (summary.json), as plain data. */
export async function readOutputJson(dir: string, name: string): Promise<unknown> {
  return readJson(join(dir, name), 'summary');
}

/** The header of a ledger (cells trimmed), read without reading the rows. */
export async function readLedgerHeader(file: string): Promise<{ columns: string[]; line: number }> {
  // The header is the first record, found as the ledger reader finds it (blank lines and lines
  // holding only "" skipped): read at most the first MiB, and stop at that record.
  let header: { columns: string[]; line: number } | undefined;
  const records = new CsvRecords((fields, line) => {
    if (fields.length === 1 && fields[0] === '') return;
    header = { columns: fields.map((h) => h.trim()), line };
    throw FOUND;
  });
  try {
    for await (const text of utf8Text(file, { end: (1 << 20) - 1 })) records.push(text);
    records.end();
  } catch (err) {
    if (err === FOUND && header !== undefined) return header;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') throw notFound(file);
    const at = err instanceof CsvSyntaxError ? `${err.line}` : '1';
    throw new UsageError(`${file}:${at}: cannot read the ledger's header: ${e.message}`);
  }
  if (header !== undefined) return header;
  throw new UsageError(`${file}: empty, not a payout ledger`);
}

/** Thrown by readLedgerHeader's record callback to stop at the header. */
const FOUND = new Error('header found');
