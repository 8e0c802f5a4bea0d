import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lowerThreadPriority } from '../../src/io/thread-priority.js';

const linux = existsSync('/proc/thread-self');

describe('helper threads yield to the reading thread', () => {
  it.runIf(linux)('lowers the calling thread by 10 nice steps (at most 19), and only that thread', async () => {
    const before = getPriority();
    // Run as the tie-break worker runs it: from its source text.
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       const fs = require('node:fs'); const os = require('node:os');
       (${lowerThreadPriority.toString()})(fs, os);
       const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
       parentPort.postMessage({ tid, nice: os.getPriority(tid) });`,
      { eval: true },
    );
    const reply = await new Promise<{ tid: number; nice: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(reply.tid).not.toBe(process.pid);
    expect(reply.nice).toBe(Math.min(19, before + 10));
    expect(getPriority(), 'the process (main thread) keeps its priority').toBe(before);
  });

  it('does nothing where there is no /proc/thread-self or no permission', () => {
    const calls: number[] = [];
    lowerThreadPriority(
      {
        readlinkSync: () => {
          throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
        },
      },
      { getPriority: () => 0, setPriority: (_pid, n) => void calls.push(n) },
    );
    expect(calls).toEqual([]);
    expect(() =>
      lowerThreadPriority({ readlinkSync: () => '123/task/456' }, {
        getPriority: () => 0,
        setPriority: () => {
          throw Object.assign(new Error('not permitted'), { code: 'EACCES' });
        },
      }),
    ).not.toThrow();
  });

  it('sets the thread id the link names, never the process, 10 steps below its own priority', () => {
    const calls: Array<[number, number]> = [];
    const os = (own: number) => ({ getPriority: () => own, setPriority: (pid: number, n: number) => void calls.push([pid, n]) });
    lowerThreadPriority({ readlinkSync: () => '123/task/456' }, os(0));
    lowerThreadPriority({ readlinkSync: () => '123/task/457' }, os(15));
    lowerThreadPriority({ readlinkSync: () => 'garbage' }, os(0));
    expect(calls).toEqual([
      [456, 10],
      [457, 19],
    ]);
  });
});
