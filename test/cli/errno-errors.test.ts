/**
 * A file-system error that reaches the command line unworded (a rename, an open) is one line naming
 * it, exit 2, never "internal error" with a stack trace: EBUSY (a file held open, e.g. on Windows
 * shares or by an antivirus) was missing from the list.
 */
import { afterEach, expect, it, vi } from 'vitest';
import type { Command } from 'commander';

vi.mock('../../src/cli/commands/index.js', () => ({
  registerCommands: (program: Command) => {
    program.command('boom <code>').action((code: string) => {
      throw Object.assign(new Error(`${code}: resource busy or locked, rename 'out/a.csv'`), { code });
    });
  },
}));

const { main } = await import('../../src/cli/main.js');

afterEach(() => {
  vi.restoreAllMocks();
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
});

it.each(['EBUSY', 'EXDEV', 'ETXTBSY'])('%s: one line, exit 2, no internal error', async (code) => {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  const exit = await main(['node', 'payout', 'boom', code]);
  expect(exit).toBe(2);
  expect(stderr).toBe(`payout: ${code}: resource busy or locked, rename 'out/a.csv'\n`);
});
