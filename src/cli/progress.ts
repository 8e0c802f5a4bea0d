/**
 * A progress bar on stderr for long runs — rows done, rows per second, time left — shown only
 * when stderr is a terminal (never in a pipe, a file or CI logs) and not with --quiet. It redraws
 * at most ten times a second and erases itself when the work is done.
 */
import { grouped } from './table.js';
import { countOf } from '../core/display-numbers.js';

export interface Progress {
  /** Reports how far reading has come: bytes of `totalBytes`, and rows so far. */
  update(bytes: number, rows: number): void;
  /** Erases the bar. */
  done(): void;
}

const NO_PROGRESS: Progress = { update() {}, done() {} };

/** How long a run goes before its bar is shown (ms). */
const SHOW_AFTER_MS = 300;

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

/** The bar's text for a given state (pure; tested without a terminal). */
export function progressLine(label: string, bytes: number, totalBytes: number, rows: number, elapsedMs: number, width = 20): string {
  const frac = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 0;
  const filled = Math.round(frac * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const secs = elapsedMs / 1000;
  const rate = secs > 0 ? rows / secs : 0;
  const left = frac > 0 ? secs * (1 - frac) / frac : Number.NaN;
  return `${label} ${bar} ${String(Math.floor(frac * 100)).padStart(3)}%  ${countOf(rows, 'row')}  ${grouped(Math.round(rate))} rows/s  ${clock(left)} left`;
}

export function startProgress(
  label: string,
  totalBytes: number,
  opts: { quiet?: boolean | undefined; stream?: NodeJS.WriteStream } = {},
): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet || !stream.isTTY || totalBytes < 1 << 20) return NO_PROGRESS;
  const started = Date.now();
  // Shown from 300 ms on, so a short run does not flash a bar. PAYOUT_TEST_PROGRESS_DELAY_MS sets
  // that delay for the tests, which cannot count on a run being slow enough to reach it.
  const delay = Number(process.env.PAYOUT_TEST_PROGRESS_DELAY_MS ?? '') || SHOW_AFTER_MS;
  let last = 0;
  let shown = false;
  return {
    update(bytes, rows) {
      const now = Date.now();
      if (now - last < 100 || now - started < delay) return;
      last = now;
      const cols = stream.columns ?? 100;
      stream.write(`\r${progressLine(label, bytes, totalBytes, rows, now - started).slice(0, cols - 1)}\x1b[K`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
