/**
 * Writes a payment run's folder all together or not at all (io/atomic-output.ts): the payment
 * files, payments.csv, addresses.csv and manifest.json with the SHA-256 of each and the control
 * totals. Payment files of an earlier run that this run does not write again are removed with
 * --force, in the same commit (OutputSet.retire), so the folder never mixes two runs.
 */
import { readdir } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import { MANIFEST_FILE, type Manifest, type ManifestRun } from '../../core/manifest.js';
import { OutputSet } from '../atomic-output.js';
import { writeOutputs } from '../write-outputs.js';

/** Every name a payment run may write. */
export const PAY_FILE = /^(paypal-\d{3,}\.csv|ach-\d{3,}\.ach|checks-\d{3,}\.csv|payments\.csv|addresses\.csv|manifest\.json)$/;

export interface PayFolder {
  out: OutputSet;
  dir: string;
}

/** Opens DIR, refusing (before any work) to replace an earlier run's files without --force. */
export async function openPayFolder(dir: string, force: boolean): Promise<PayFolder> {
  const present = await readdir(dir).then(
    (names) => names.filter((n) => PAY_FILE.test(n)).sort(),
    () => [] as string[],
  );
  if (present.length > 0 && !force) {
    throw new UsageError(`${dir} already holds ${present.join(', ')}: use --force to replace, or choose another --out folder`);
  }
  return { out: await OutputSet.open(dir, [], force), dir };
}

/**
 * Writes `files` (name → text, in chunks; `sha256` when their bytes were hashed as they were made,
 * on the thread that made them; `written`: the size of a file that thread already wrote at its
 * staged name, folder.out.stage(), renamed into place with the others), then the manifest of `run` with their hashes (io/write-outputs.ts),
 * and renames them into place; older payment files not written this time go in the same commit
 * (OutputSet.retire).
 */
export async function writePayFolder(
  folder: PayFolder,
  files: { name: string; text: readonly (string | Uint8Array)[]; rows?: number; sha256?: string; written?: number }[],
  run: ManifestRun,
): Promise<Manifest> {
  const { out, dir } = folder;
  const specs = files.map((f) => ({
    name: f.name,
    chunks: f.text,
    ...(f.rows !== undefined ? { rows: f.rows } : {}),
    ...(f.sha256 !== undefined ? { sha256: f.sha256 } : {}),
    ...(f.written !== undefined ? { written: f.written } : {}),
  }));
  const written = new Set([...files.map((f) => f.name), MANIFEST_FILE]);
  out.retire((await readdir(dir)).filter((name) => PAY_FILE.test(name) && !written.has(name)));
  const { manifest } = await writeOutputs(out, specs, run);
  return manifest;
}
