/**
 * Single output files named by the user (`--out FILE`, `--html FILE`), written all or none: each
 * to a temporary name beside it, renamed into place only when every one is complete. An existing
 * file is refused before anything is written unless `force`.
 */
import { basename, dirname } from 'node:path';
import { OutputSet, type OutputFile } from './atomic-output.js';

export interface OutputTarget {
  path: string;
  /** Writes the file's content (called once, after every target was checked). */
  write: (file: OutputFile) => Promise<void>;
}

export async function writeOutputFiles(targets: readonly OutputTarget[], force: boolean): Promise<string[]> {
  const names = new Map<string, string[]>();
  for (const t of targets) names.set(dirname(t.path), [...(names.get(dirname(t.path)) ?? []), basename(t.path)]);
  const sets = new Map<string, OutputSet>();
  try {
    // A file into any folder (not an output folder of allocate): not claimed with a lock.
    for (const [dir, files] of names) sets.set(dir, await OutputSet.open(dir, files, force, { lock: false }));
    for (const t of targets) {
      const f = sets.get(dirname(t.path))!.create(basename(t.path));
      await t.write(f);
      await f.close();
    }
  } catch (err) {
    for (const set of sets.values()) await set.abort();
    throw err;
  }
  for (const set of sets.values()) await set.commit();
  return targets.map((t) => t.path);
}
