/**
 * Warnings on stderr, the same on every command: each one as `warning: …`, or with --quiet none
 * of them and one line at the end that counts them (errors still come through in full).
 */
import { colorFor } from './style.js';
import { countOf } from '../core/display-numbers.js';

export interface WarningLines {
  /**
   * One warning's text (already made safe to print), or a function that makes it: called only when
   * the warning is shown (with --quiet, or past `max`, a million warnings cost no text).
   */
  warn(text: string | (() => string)): void;
  /** With --quiet, the one line that counts the warnings (nothing when there were none). */
  finish(): void;
  readonly count: number;
}

/** `max`: list at most this many (the rest counted in one line); `quiet`: list none. */
export function warningLines(quiet: boolean, max = Number.POSITIVE_INFINITY): WarningLines {
  const c = colorFor(process.stderr);
  let count = 0;
  return {
    warn(text) {
      count += 1;
      if (!quiet && count <= max) process.stderr.write(`${c.yellow('warning')}: ${typeof text === 'string' ? text : text()}\n`);
    },
    finish() {
      const hidden = quiet ? count : Math.max(0, count - max);
      if (hidden === 0) return;
      const why = quiet ? 'not shown with --quiet' : 'not shown (--max-errors to see more)';
      process.stderr.write(`${c.yellow('warning')}: ${countOf(hidden, quiet ? 'warning' : 'more warning')} ${why}\n`);
    },
    get count() {
      return count;
    },
  };
}
