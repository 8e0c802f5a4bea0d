/**
 * The names a run gives the files it has not committed yet: `NAME.payout-PID-TIME.tmp` while it
 * writes them, `NAME.payout-PID-TIME.old` for an earlier run's file it moved aside (docs/outputs.md).
 * Made in one place and read in one place, so the run that writes them (atomic-output.ts), the
 * clean-up after a dead run (output-lock.ts) and the "incomplete run" check (run-state.ts) agree.
 */

/** This run's tag: `.payout-PID-TIME` (TIME in base 36), put before `.tmp` or `.old`. */
export function runTag(pid: number = process.pid, time: number = Date.now()): string {
  return `.payout-${pid}-${time.toString(36)}`;
}

const LEFT_BEHIND = /\.payout-(\d+)-[0-9a-z]+\.(tmp|old)$/;

/** What a run left under one of its names (its process id as written, and which kind), or undefined. */
export function leftBehind(name: string): { pid: string; kind: 'tmp' | 'old' } | undefined {
  const m = LEFT_BEHIND.exec(name);
  return m === null ? undefined : { pid: m[1]!, kind: m[2] as 'tmp' | 'old' };
}
