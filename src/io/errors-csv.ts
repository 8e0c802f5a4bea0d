/**
 * `payout validate --errors-out FILE`: the rows with errors as `line,claim_id,field,code,message`,
 * written to a temporary name while the claims are read and renamed into place when complete
 * (atomic-output.ts).
 */
import { basename, dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Problem } from '../core/problems.js';
import { defuseFormula } from '../core/csv-cell.js';
import { UsageError } from '../core/errors.js';
import { OutputSet, type OutputFile } from './atomic-output.js';

export interface ErrorsCsv {
  write(p: Problem, claimId: string | undefined): void;
  /** Holds the reading while the CSV writer is behind (not once the file has failed). */
  throttle(): Promise<unknown> | undefined;
  commit(): Promise<void>;
  abandon(): Promise<void>;
}

/** Opens the file's temporary name; a folder that is not there is a UsageError at once. */
export async function openErrorsCsv(path: string): Promise<ErrorsCsv> {
  const { stringify } = await import('csv-stringify'); // loaded only for --errors-out
  const cannot = (why: string): UsageError => new UsageError(`--errors-out ${path}: cannot write the file (${why})`);
  // Opened before the reading starts, so that a folder that is not there is said at once. An
  // existing file of that name is replaced (no --force: it is not an output folder).
  let out: OutputSet;
  let file: OutputFile;
  try {
    out = await OutputSet.open(dirname(path), [], true, { makeDir: false, lock: false });
    file = out.create(basename(path));
    await file.opened();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof UsageError) throw cannot(`${dirname(path)} is not a folder`);
    throw cannot(e.code === 'ENOENT' ? `the folder ${dirname(path)} does not exist` : e.code === 'EACCES' ? `no permission to write in ${dirname(path)}` : (e.code ?? e.message));
  }
  const csv = stringify({ header: true, columns: ['line', 'claim_id', 'field', 'code', 'message'], record_delimiter: '\n' });
  // A write that fails midway (disk full, a file size limit) stops the writing, not the reading:
  // the run goes on to its report and then fails with exit 2, leaving no file.
  let failure: NodeJS.ErrnoException | undefined;
  let writing: Promise<void> | undefined;
  csv.on('data', (chunk: Buffer | string) => {
    if (failure) return;
    const w = file.write(chunk.toString());
    writing = w;
    w.then(
      () => {
        if (writing === w) writing = undefined;
      },
      (err: NodeJS.ErrnoException) => {
        failure ??= err;
        writing = undefined;
      },
    );
  });
  const fail = async (): Promise<never> => {
    csv.destroy();
    await out.abort();
    throw cannot(failure?.code ?? failure?.message ?? 'unknown');
  };
  return {
    write(p: Problem, claimId: string | undefined): void {
      if (p.severity !== 'error' || failure) return;
      csv.write([p.line ?? '', defuseFormula(claimId ?? ''), p.field ?? '', p.code, defuseFormula(p.message)]);
    },
    throttle(): Promise<unknown> | undefined {
      return failure ? undefined : writing;
    },
    async commit(): Promise<void> {
      if (failure) return fail();
      csv.end();
      await finished(csv).catch(() => undefined);
      await writing?.catch(() => undefined);
      if (failure) return fail();
      try {
        await file.close();
      } catch (err) {
        failure ??= err as NodeJS.ErrnoException;
        return fail();
      }
      await out.commit();
    },
    async abandon(): Promise<void> {
      csv.destroy();
      await out.abort();
    },
  };
}
