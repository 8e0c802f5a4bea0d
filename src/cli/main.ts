/**
 * The entry point and the one error boundary: commands throw typed errors, and only here does a
 * failure become a message on stderr and an exit code (docs/spec.md §8).
 */
import { Command, CommanderError } from 'commander';
import { DataError, EXIT_OK, EXIT_USAGE, UsageError } from '../core/errors.js';
import { formatProblem } from '../core/problems.js';
import { colorFor } from './style.js';
import { VERSION } from '../core/version.js';
import { registerCommands } from './commands/index.js';
import { runCleanups, setCommitWarnings, settleForInterrupt } from '../io/run-cleanup.js';
import { visibleText } from '../core/visible-text.js';
import { guardTerminal } from './terminal-guard.js';
import { helpConfiguration } from './help.js';

/**
 * Ctrl-C (SIGINT) or SIGTERM: the run's temporary files, the folders it made and its lock on the
 * output folder are removed (io/run-cleanup.ts), earlier outputs stay as they were, one line says
 * so, and payout ends by the same signal, so that its shell reports status 130 (SIGINT) or 143
 * (SIGTERM) and a calling script stops too. A commit under way first waits for its renames in
 * flight and rolls back (io/run-cleanup.ts, settleForInterrupt): the line says what is true then.
 * (Re-raising the signal rather than process.exit(130):
 * an exit waits for the thread pool, which may be blocked opening or reading a FIFO that no one
 * writes to, e.g. claims from a pipe.)
 */
function ignoreRepeat(): void {
  /* the first signal's handler is still rolling back */
}

function interruptible(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      // A commit under way first waits for its renames in flight and rolls back (a repeated
      // signal meanwhile is ignored: it would kill the process half-way through the rollback).
      process.on(signal, ignoreRepeat);
      void settleForInterrupt().then((notes) => {
        runCleanups();
        const what = notes.length > 0 ? notes.join('; ') : 'nothing was written; earlier outputs are as they were';
        process.stderr.write(`payout: interrupted (${signal}): ${what}\n`);
        process.removeAllListeners(signal);
        process.kill(process.pid, signal);
      });
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  // `payout … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  interruptible();
  guardTerminal(process.stdout);
  guardTerminal(process.stderr);
  const program = new Command('payout')
    .description('Divide a class-action settlement fund among claimants, exact to the cent.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp(helpConfiguration)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  registerCommands(program);
  const c = colorFor(process.stderr);
  setCommitWarnings((message) => process.stderr.write(`${c.yellow('warning')}: ${visibleText(message)}\n`));
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError || err instanceof DataError) {
      for (const p of err.problems) process.stderr.write(`${c.red('error')}: ${formatProblem(p)}\n`);
      if (err.message) process.stderr.write(`${c.red('payout')}: ${visibleText(err.message)}\n`);
      return err.exitCode;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && ['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EMFILE', 'ENOSPC', 'EFBIG', 'EDQUOT', 'EROFS', 'EIO', 'EBUSY', 'ETXTBSY', 'EXDEV', 'ENOTEMPTY', 'ELOOP', 'ENAMETOOLONG', 'EEXIST', 'EAGAIN'].includes(e.code)) {
      process.stderr.write(`${c.red('payout')}: ${visibleText(e.message)}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`${c.red('payout: internal error')} (please report it with the command you ran):\n${e?.stack ?? String(err)}\n`);
    return EXIT_USAGE;
  }
}
