/**
 * Personal data outside the files that must hold it. Emails, phones, account, routing and tax ids
 * appear in full only in a payment file or the 1099 list; everywhere else (terminal, errors,
 * summaries, reports, logs) only their last 4 characters are shown.
 */

/** `"000123456789"` → `"****6789"`; values of 4 characters or fewer are masked whole. */
export function maskLast4(value: string): string {
  const v = value.trim();
  const chars = Array.from(v);
  if (chars.length <= 4) return '****';
  return `****${chars.slice(-4).join('')}`;
}
