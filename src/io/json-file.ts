/**
 * The one reader of the JSON files payout reads: the plan, and an output folder's manifest.json
 * and summary.json. It refuses what JSON.parse would take silently or die on:
 * - a key twice in one object (`"net": "1", "net": "2"`): JSON.parse keeps the last, a person or
 *   another parser may read the first, so one file would mean two funds. Both lines are named.
 * - a file that is not a regular file (/dev/zero, a FIFO, a folder): it may never end.
 * - a file above its size limit (JSON_LIMITS, docs/safety.md): the limits are far above what payout
 *   writes or a plan needs, and keep memory bounded.
 * A syntax error is reported with its line and column, counted without splitting the text.
 */
import { open } from 'node:fs/promises';
import type { Problem, ProblemCode } from '../core/problems.js';
import { UsageError } from '../core/errors.js';
import { regularFile } from './regular-file.js';

const MiB = 1 << 20;

/** Size limits by kind of file (docs/safety.md). A summary grows with the classes, not the claims. */
export const JSON_LIMITS = { plan: 1 * MiB, manifest: 1 * MiB, summary: 16 * MiB, receipt: 1 * MiB } as const;

export interface JsonReadOptions {
  /** The kind of file: its size limit. */
  kind: keyof typeof JSON_LIMITS;
  /** Problem code of a syntax error or a duplicate key (e.g. `plan_json`). */
  code?: ProblemCode;
  /** The UsageError's message when the file's JSON is refused (its problem says why). */
  refused?: string;
  /** The error for a file that is not there (ENOENT, ENOTDIR). */
  missing?: (file: string) => UsageError;
}

export interface JsonFile {
  value: unknown;
  /** The file's bytes, as read (for its hash). */
  bytes: Buffer;
}

/** Reads, bounds and parses `file`; throws a UsageError naming the file (and the line) otherwise. */
export async function readJsonFile(file: string, options: JsonReadOptions): Promise<JsonFile> {
  const limit = JSON_LIMITS[options.kind];
  const bytes = await readBounded(file, limit, options);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const code = options.code ?? 'input';
  const refuse = (problem: Omit<Problem, 'code' | 'severity' | 'file'>): UsageError =>
    new UsageError(options.refused ?? `${file}: refused`, [{ code, severity: 'error', file, ...problem }]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const what = `not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '').replace(/^(.{0,200}).*$/s, '$1')}`;
    if (pos?.[1] === undefined) throw refuse({ message: what });
    const { line, column } = lineAndColumn(text, Number(pos[1]));
    throw refuse({ line, message: `${what} (column ${column})` });
  }
  const twice = duplicateKey(text);
  if (twice !== undefined) {
    throw refuse({
      line: twice.line,
      message: `the key ${JSON.stringify(twice.key)} appears twice in one object (lines ${twice.firstLine} and ${twice.line}): a reader could take either value; keep one`,
    });
  }
  return { value, bytes };
}

/** Line (1-based) and column (1-based) of a character offset, counting line ends one by one. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: position - start + 1 };
}

/**
 * The first key that appears twice in one object of `text` (valid JSON), with both lines. A scan
 * of the text: JSON.parse keeps the last value of a key and says nothing.
 */
export function duplicateKey(text: string): { key: string; firstLine: number; line: number } | undefined {
  // One frame per open object (its keys and their lines) or array (undefined).
  const frames: (Map<string, number> | undefined)[] = [];
  let expectKey = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a) line++;
    else if (ch === 0x7b /* { */) {
      frames.push(new Map());
      expectKey = true;
    } else if (ch === 0x5b /* [ */) {
      frames.push(undefined);
      expectKey = false;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      frames.pop();
      expectKey = false;
    } else if (ch === 0x2c /* , */) {
      expectKey = frames[frames.length - 1] !== undefined;
    } else if (ch === 0x22 /* " */) {
      let end = i + 1;
      let escaped = false;
      for (; end < text.length; end++) {
        const c = text.charCodeAt(end);
        if (c === 0x5c) {
          escaped = true;
          end++;
        } else if (c === 0x22) break;
      }
      const keys = frames[frames.length - 1];
      if (expectKey && keys !== undefined) {
        const raw = text.slice(i + 1, end);
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        const first = keys.get(key);
        if (first !== undefined) return { key, firstLine: first, line };
        keys.set(key, line);
        expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

/** At most `limit` bytes of a regular file; a larger file, or one that is not regular, is refused. */
async function readBounded(file: string, limit: number, options: JsonReadOptions): Promise<Buffer> {
  await regularFile(file, options.missing);
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if ((e.code === 'ENOENT' || e.code === 'ENOTDIR') && options.missing) throw options.missing(file);
    throw new UsageError(`${file}: cannot read (${e.code ?? e.message})`);
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw new UsageError(`${file}: not a regular file; payout reads ${options.kind} files only from regular files`);
    const tooLarge = (): UsageError =>
      new UsageError(`${file}: larger than ${limit / MiB} MiB, the limit for a ${options.kind} file (docs/safety.md); is it the right file?`);
    if (s.size > limit) throw tooLarge();
    // The size may change while it is read (or be 0 for a file the kernel makes): read at most limit + 1.
    const buffer = Buffer.alloc(Math.min(limit + 1, Math.max(s.size + 1, 64 * 1024)));
    let filled = 0;
    let chunk = buffer;
    for (;;) {
      if (filled === chunk.length) {
        if (chunk.length > limit) throw tooLarge();
        const bigger = Buffer.alloc(Math.min(limit + 1, chunk.length * 2));
        chunk.copy(bigger, 0, 0, filled);
        chunk = bigger;
      }
      const { bytesRead } = await handle.read(chunk, filled, chunk.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > limit) throw tooLarge();
    return chunk.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
