/**
 * Runs the real binary (`node bin/payout.js …`) without colour and hands back its exit code and
 * output, as a user's shell would see them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let built = false;

/**
 * `npm test` builds first; when vitest is run alone, rebuild dist/ (tsc, then the bundle that
 * bin/payout.js runs) if a source file is newer. tsc writes its output even when another part of
 * the tree does not type-check yet, so only a missing entry point is fatal here.
 */
export function ensureBuilt(): void {
  if (built) return;
  const entry = join(ROOT, 'dist/bundle/main.js');
  if (!existsSync(entry) || newestMtime(join(ROOT, 'src')) > statSync(entry).mtimeMs) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'pipe' });
    } catch {
      // Type errors elsewhere in the tree; the output is written all the same.
    }
    execFileSync(process.execPath, [join(ROOT, 'scripts/bundle.js')], { stdio: 'pipe' });
    if (!existsSync(entry)) throw new Error('dist/bundle/main.js is missing: run npm run build');
  }
  built = true;
}

/** `payout ARGS…` from the repository root, with NO_COLOR=1. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  ensureBuilt();
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env.FORCE_COLOR; // any value but 0/false would turn colour on (src/cli/style.ts)
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/payout.js'), ...args], {
      cwd: options.cwd ?? ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}
