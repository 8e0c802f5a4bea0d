/**
 * The exit-code contract (docs/spec.md §8), in one place. Commands throw these; only `main` turns
 * them into an exit code.
 *   0 success · 1 the data failed (validation errors, a verify mismatch) · 2 usage or unreadable input
 */
import type { Problem } from './problems.js';

export const EXIT_OK = 0;
export const EXIT_DATA = 1;
export const EXIT_USAGE = 2;

/** A bad flag, a missing or unreadable file, a plan that is refused: exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;
  constructor(
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The data failed: the problems have been reported (or are carried here to be reported): exit 1. */
export class DataError extends Error {
  readonly exitCode = EXIT_DATA;
  constructor(
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'DataError';
  }
}
