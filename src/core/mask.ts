/**
 * Personal data outside the files that must hold it. Emails, phones, account, routing and tax ids
 * appear in full only in a payment file or the 1099 list; everywhere else (terminal, errors,
 * summaries, reports, logs) only their last 4 characters are shown.
 */

/** `"000123456789"` → `"****6789"`; values of 4 characters or fewer are masked whole. */
export function maskLast4(value: string): string {
  const v = value.trim();
  // Nearly every value: more than 8 UTF-16 units (so more than 4 characters) and no surrogate
  // among its last 4 units, which are then its last 4 characters (no array of every character).
  if (v.length > 8 && !hasSurrogate(v, v.length - 4)) return `****${v.slice(-4)}`;
  const chars = Array.from(v);
  if (chars.length <= 4) return '****';
  return `****${chars.slice(-4).join('')}`;
}

function hasSurrogate(v: string, from: number): boolean {
  for (let i = from; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}
