/**
 * Whether an output folder holds one finished run. A run places its files with manifest.json last
 * (io/atomic-output.ts), and holds DIR/.payout.lock while it writes. So a folder with outputs but
 * no manifest.json, a manifest whose outputs are not all there, or a lock of a live process, is
 * an incomplete run (interrupted, or still being written): `verify`, `report` and `redistribute`
 * say so (exit 2) instead of reading it as tampered with, or as a finished run.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { LOCK_FILE, lockHolder } from './output-lock.js';
import { regularFile } from './regular-file.js';
import { leftBehind } from './run-tag.js';

const OUTPUTS = ['ledger.csv', 'summary.json'];

/** Throws a UsageError "incomplete run" when DIR does not hold one finished run; else returns. */
export async function assertFinishedRun(dir: string, listed?: readonly string[]): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return; // a missing folder is said by the reader, with its own words
  }
  if (names.includes(LOCK_FILE)) {
    const pid = await lockHolder(join(dir, LOCK_FILE));
    if (pid !== undefined) {
      throw new UsageError(`${dir}: incomplete run: a payout run (process ${pid}) is still writing into this folder; wait for it to end`);
    }
  }
  const hasManifest = names.includes('manifest.json');
  const outputs = OUTPUTS.filter((n) => names.includes(n));
  // A run's temporary files (`ledger.csv.payout-PID-TIME.tmp`) and files moved aside by --force (`….old`).
  const debris = names.filter((n) => leftBehind(n) !== undefined);
  const again = 'run the command that made it again (with --force), or restore the folder from a copy';
  if (!hasManifest && (outputs.length > 0 || debris.length > 0)) {
    const has = [...outputs, ...debris.slice(0, 3)].join(', ');
    throw new UsageError(`${dir}: incomplete run: it holds ${has} but no manifest.json (a run was stopped while it placed its files); ${again}`);
  }
  const missing = (listed ?? []).filter((n) => !names.includes(n));
  if (hasManifest && missing.length > 0) {
    const files = missing.map((n) => join(dir, n)).join(', ');
    throw new UsageError(`${dir}: incomplete run: ${files}: not found, though manifest.json lists ${missing.length === 1 ? 'it' : 'them'}; ${again}`);
  }
  // Every output the manifest lists is read: none may be /dev/zero, a FIFO or a folder in disguise.
  for (const name of [...(listed ?? []), 'manifest.json']) if (names.includes(name)) await regularFile(join(dir, name));
}
