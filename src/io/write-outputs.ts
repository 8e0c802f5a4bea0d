/**
 * Writes a run's output folder (docs/spec.md §5) all together or not at all, for every command that
 * writes one (allocate, redistribute, and any later command with files of its own): each file is
 * streamed and hashed on the way out, then manifest.json with the hashes (core/manifest.ts builds
 * it), and only then are all of them renamed into place (atomic-output.ts).
 */
import { buildManifest, MANIFEST_FILE, manifestText, type Manifest, type ManifestOutput, type ManifestRun } from '../core/manifest.js';
import type { OutputSet, WrittenFile } from './atomic-output.js';

/** One file of the folder: its name, its content in chunks (text, or bytes made elsewhere) and its rows. */
export interface OutputSpec {
  name: string;
  chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;
  /** Data rows (a CSV file), recorded in the manifest. */
  rows?: number;
  /** The SHA-256 of the chunks (bytes only), computed as they were made: recorded, not computed again. */
  sha256?: string;
  /** Work this thread may do while the disk catches up with this file (see OutputFile.writeBytes). */
  whileWaiting?: () => boolean;
  /**
   * The file is already written, this many bytes, at its staged name (OutputSet.stage: by another
   * thread, as it was made); `sha256` is required and `chunks` is not read.
   */
  written?: number;
}

export interface WrittenOutputs {
  files: WrittenFile[];
  manifest: Manifest;
}

/** The names a run with these files writes, manifest.json last: for OutputSet.open's --force check. */
export const outputNames = (names: readonly string[]): string[] => [...names, MANIFEST_FILE];

/**
 * Writes `files` in order, then manifest.json, into `out` (opened by the caller before any work,
 * so --force is checked first), and commits. Any failure leaves the folder as it was.
 */
export async function writeOutputs(out: OutputSet, files: readonly OutputSpec[], run: ManifestRun): Promise<WrittenOutputs> {
  try {
    const written: WrittenFile[] = [];
    const recorded: ManifestOutput[] = [];
    for (const spec of files) {
      if (spec.written !== undefined) {
        if (spec.sha256 === undefined) throw new Error(`${spec.name}: written elsewhere without its SHA-256`);
        const w = out.adopt(spec.name, spec.sha256, spec.written);
        written.push(w);
        recorded.push({ file: w.name, sha256: w.sha256, bytes: w.bytes, ...(spec.rows !== undefined ? { rows: spec.rows } : {}) });
        continue;
      }
      const file = out.create(spec.name, spec.sha256);
      for await (const chunk of spec.chunks) {
        if (typeof chunk === 'string') await file.write(chunk);
        else await file.writeBytes(chunk, spec.whileWaiting);
      }
      const w = await file.close();
      written.push(w);
      const entry: ManifestOutput = { file: w.name, sha256: w.sha256, bytes: w.bytes };
      if (spec.rows !== undefined) entry.rows = spec.rows;
      recorded.push(entry);
    }
    const manifest = buildManifest(run, recorded);
    const manifestOut = out.create(MANIFEST_FILE);
    await manifestOut.write(manifestText(manifest));
    written.push(await manifestOut.close());
    await out.commit();
    return { files: written, manifest };
  } catch (err) {
    await out.abort();
    throw err;
  }
}
