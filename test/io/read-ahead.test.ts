/**
 * The claims reader reads the next chunk of the file while the one before is parsed
 * (src/io/read-ahead.ts): one read ahead, never two at once, the same chunks in the same order.
 */
import { describe, expect, it } from 'vitest';
import { readAhead, type ReadInto } from '../../src/io/read-ahead.js';

/** A file of `data` read `step` bytes at most a time, each read resolved only when the test says so (`release`). */
function slowFile(data: Buffer, step: number) {
  let pos = 0;
  const state = { started: 0, inFlight: 0, maxInFlight: 0, ended: 0 };
  const waiting: Array<() => void> = [];
  const read: ReadInto = (buf) => {
    state.started++;
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    return new Promise((resolve) => {
      waiting.push(() => {
        const n = Math.min(step, buf.length, data.length - pos);
        data.copy(buf, 0, pos, pos + n);
        pos += n;
        state.inFlight--;
        state.ended++;
        resolve(n);
      });
    });
  };
  const release = async (): Promise<void> => {
    for (;;) {
      const next = waiting.shift();
      if (next !== undefined) return next();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { read, state, release };
}

describe('readAhead', () => {
  it('starts the next read as soon as a chunk is handed on, before it is asked for', async () => {
    const file = slowFile(Buffer.from('abcdefghij'), 4);
    const chunks = readAhead(file.read, () => Buffer.alloc(4));
    const first = chunks.next();
    await file.release();
    expect((await first).value?.toString()).toBe('abcd');
    // The consumer has not asked for the second chunk yet: its read is already under way.
    expect(file.state.started).toBe(2);
    expect(file.state.inFlight).toBe(1);
    await file.release(); // it ends while the consumer is busy with the first chunk
    expect((await chunks.next()).value?.toString()).toBe('efgh');
    const stopping = chunks.return(undefined);
    await file.release();
    await stopping;
  });

  it('gives every chunk in order, a short one as a view, one read at a time', async () => {
    const data = Buffer.from('0123456789'.repeat(25));
    for (const step of [1, 7, 64, 250, 999]) {
      const file = slowFile(data, step);
      const got: Buffer[] = [];
      const releasing = (async () => {
        while (file.state.ended < Math.ceil(data.length / Math.min(step, 64)) + 1) await file.release();
      })();
      for await (const chunk of readAhead(file.read, () => Buffer.alloc(64))) got.push(Buffer.from(chunk));
      await releasing;
      expect(Buffer.concat(got).equals(data)).toBe(true);
      expect(got.every((c) => c.length === Math.min(step, 64) || c === got[got.length - 1])).toBe(true);
      expect(file.state.maxInFlight).toBe(1);
    }
  });

  it('lets the read in flight end before a consumer that stops early goes on (the file is closed after it)', async () => {
    const file = slowFile(Buffer.alloc(100, 1), 10);
    const chunks = readAhead(file.read, () => Buffer.alloc(10));
    const first = chunks.next();
    await file.release();
    await first;
    expect(file.state.inFlight).toBe(1);
    let returned = false;
    const stopping = chunks.return(undefined).then(() => {
      returned = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(returned).toBe(false); // waits for the read under way
    await file.release();
    await stopping;
    expect(file.state.inFlight).toBe(0);
  });

  it('passes on a read error', async () => {
    let n = 0;
    const read: ReadInto = async () => {
      if (++n === 2) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      return 4;
    };
    const chunks = readAhead(read, () => Buffer.alloc(4));
    expect((await chunks.next()).value?.length).toBe(4);
    await expect(chunks.next()).rejects.toThrow('EIO');
  });
});
