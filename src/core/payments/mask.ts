/**
 * Personal data outside the payment files. Account and routing numbers, phones and emails are in
 * the files the bank and PayPal need; everywhere else (terminal, errors, summaries, payments.csv)
 * only their last 4 characters are shown.
 */

/** `"000123456789"` → `"****6789"`; values of 4 characters or fewer are masked whole. */
export function maskLast4(value: string): string {
  const v = value.trim();
  if (v.length <= 4) return '****';
  return `****${v.slice(-4)}`;
}
