/**
 * `payout validate --errors-out FILE`: the rows with errors as `line,claim_id,field,code,message`,
 * written to a temporary name while the claims are read and renamed into place when complete.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import type { Problem } from '../core/problems.js';
import { defuseFormula } from '../core/csv-cell.js';
import { UsageError } from '../core/errors.js';

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
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  // Opened before the reading starts, so that a folder that is not there is said at once. ("w":
  // a temporary file left by an earlier run that had this process id is replaced.)
  let handle;
  try {
    handle = await open(temp, 'w');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? `the folder ${dirname(path)} does not exist` : e.code === 'EACCES' ? `no permission to write in ${dirname(path)}` : (e.code ?? e.message);
    throw new UsageError(`--errors-out ${path}: cannot write the file (${why})`);
  }
  const out = handle.createWriteStream();
  const csv = stringify({ header: true, columns: ['line', 'claim_id', 'field', 'code', 'message'], record_delimiter: '\n' });
  // A write that fails midway (disk full, a file size limit) stops the writing, not the reading:
  // the run goes on to its report and then fails with exit 2, leaving no file.
  let failure: NodeJS.ErrnoException | undefined;
  let failed = (): void => undefined;
  const broken = new Promise<void>((resolve) => {
    failed = resolve;
  });
  out.on('error', (err) => {
    failure ??= err;
    csv.unpipe(out);
    failed();
  });
  csv.pipe(out);
  const fail = async (): Promise<never> => {
    csv.destroy();
    out.destroy();
    await unlink(temp).catch(() => undefined);
    throw new UsageError(`--errors-out ${path}: cannot write the file (${failure?.code ?? failure?.message})`);
  };
  return {
    write(p: Problem, claimId: string | undefined): void {
      if (p.severity !== 'error' || failure) return;
      csv.write([p.line ?? '', defuseFormula(claimId ?? ''), p.field ?? '', p.code, defuseFormula(p.message)]);
    },
    throttle(): Promise<unknown> | undefined {
      if (failure || !csv.writableNeedDrain) return undefined;
      return Promise.race([once(csv, 'drain'), broken]);
    },
    async commit(): Promise<void> {
      if (failure) return fail();
      csv.end();
      await Promise.race([finished(out), broken]).catch(() => undefined);
      if (failure) return fail();
      await rename(temp, path);
    },
    async abandon(): Promise<void> {
      csv.destroy();
      out.destroy();
      await unlink(temp).catch(() => undefined);
    },
  };
}
