/**
 * The real binary as a running process, for the tests that need it while it runs: a second run
 * into its folder, a signal while it waits or writes. Waits are bounded by a count of polls, and
 * nothing is asserted about time.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureBuilt } from '../helpers/run-cli.js';

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  ended: Promise<Ended>;
}

/** Starts `payout ARGS…` (NO_COLOR=1) in `cwd`. */
export function startCli(args: string[], cwd: string = ROOT): Running {
  ensureBuilt();
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const child = spawn(process.execPath, [join(ROOT, 'bin/payout.js'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const ended = new Promise<Ended>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, ended };
}

/**
 * Polls until `found()` holds or the run ends; true when found. The bound is a count of polls
 * (a slow machine fails the test with a message, it does not hang it).
 */
export async function waitFor(found: () => boolean, run?: Running, polls = 6000): Promise<boolean> {
  let over = false;
  void run?.ended.then(() => (over = true));
  for (let i = 0; i < polls; i++) {
    if (found()) return true;
    if (over) return found();
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('waited too long');
}

/** A FIFO at `path` (claims that arrive only when the test writes them: the run waits for them). */
export function makeFifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

export const exists = (path: string): boolean => existsSync(path);
export const entries = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);
