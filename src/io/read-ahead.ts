/**
 * A file's bytes in chunks, each next read started as soon as a chunk is handed on: the read (a
 * copy from the page cache on libuv's thread pool, then a turn of the event loop to come back)
 * runs while the reader parses the chunk before, instead of the reading thread waiting for it. A
 * 1M-claim allocate read 125 chunks and waited 45–290 ms for them in all (more on a busy machine,
 * where the pool's thread waits for a core too); docs/performance.md, round eight.
 */


/** One read into `buf` from where the last one ended: the bytes read, 0 at the end. */
export type ReadInto = (buf: Buffer) => Promise<number>;

/**
 * The chunks `read` gives, each a buffer from `buffer()` (or a view of its first bytes, for a
 * short read: a pipe gives what it has), in order; one read ahead at a time, never two at once
 * (the reads go on from the file's position). On return or a throw in the consumer, the read in
 * flight is awaited before the generator ends, so the file may be closed after it.
 */
export async function* readAhead(read: ReadInto, buffer: () => Buffer): AsyncGenerator<Buffer, void, undefined> {
  const start = (buf: Buffer): Promise<{ buf: Buffer; bytes: number }> => read(buf).then((bytes) => ({ buf, bytes }));
  let pending: Promise<{ buf: Buffer; bytes: number }> | undefined = start(buffer());
  try {
    for (;;) {
      const { buf, bytes } = await pending;
      pending = undefined;
      if (bytes === 0) return;
      pending = start(buffer());
      yield bytes === buf.length ? buf : buf.subarray(0, bytes);
    }
  } finally {
    // A read still in flight writes into its buffer: let it end (its error too) before the file closes.
    if (pending !== undefined) await pending.catch(() => undefined);
  }
}
