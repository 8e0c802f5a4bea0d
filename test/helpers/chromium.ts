/**
 * What every browser test shares: Debian's Chromium (driven by playwright-core; no browser is ever
 * downloaded), whether a missing one is a skip or a failure, the bounds on each browser step and
 * the launch flags. Built to hold on a busy machine: every step bounded, so a hang fails with its
 * name instead of stalling the suite.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** CI installs Chromium (.ci/run): there a missing browser is a failure, not a skip. */
export const MUST_RUN = Boolean(process.env.CI);

/** Says, once per file, that `test` is skipped here for want of Chromium (never in CI). */
export function noteMissingChromium(test: string): void {
  if (!HAVE_CHROMIUM && !MUST_RUN) console.warn(`${test}: skipped, ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does this)`);
}

/** Bounds, generous for a loaded 2-core machine (an idle one needs about a tenth of each). */
export const LAUNCH_MS = 60_000;
export const STEP_MS = 20_000; // any one page action, navigation, screenshot or PDF
export const CLOSE_MS = 15_000;
export const TEST_MS = 120_000; // a whole test: a few dozen steps, each far below STEP_MS in practice

export const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  // Containers often have a 64 MB /dev/shm; Chromium then stalls on large pages and PDFs.
  '--disable-dev-shm-usage',
  // A busy machine must not make Chromium throttle or pause the page's work.
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
];

/** `promise`, or a failure naming `what` after `ms` (for the calls that take no timeout, e.g. pdf). */
export async function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Chromium within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
