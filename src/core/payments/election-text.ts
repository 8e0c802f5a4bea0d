/**
 * The checks of an election's cells (elections.ts), by character code: they run once per paid
 * claim, and at a million claims their regular expressions, and the strings `replace` made, were a
 * tenth of the time spent reading the elections. Each gives the verdict its regular expression gave
 * (test/payments/election-text.test.ts compares them on generated text).
 */

/** Whether `c` is a character JavaScript's `\s` matches (the whitespace `trim()` removes). */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isAlnum = (c: number): boolean => isDigit(c) || isLetter(c);

/** `/^\d{min,max}$/`: `min` to `max` ASCII digits and nothing else. */
export function isDigits(text: string, min: number, max: number): boolean {
  const n = text.length;
  if (n < min || n > max) return false;
  for (let i = 0; i < n; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** `/^[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/`: the email addresses PayPal is given. */
export function isEmailAddress(text: string): boolean {
  const n = text.length;
  if (n === 0 || !isAlnum(text.charCodeAt(0))) return false;
  let i = 1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x40) break; // @
    // . _ % + -
    if (!isAlnum(c) && c !== 0x2e && c !== 0x5f && c !== 0x25 && c !== 0x2b && c !== 0x2d) return false;
  }
  if (i === n) return false; // no @
  // The domain: letters, digits, dots and hyphens, then a dot (its last) and 2 or more letters.
  const domain = i + 1;
  let lastDot = -1;
  for (let j = domain; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x2e) lastDot = j;
    else if (!isAlnum(c) && c !== 0x2d) return false;
  }
  if (lastDot < domain + 1 || n - lastDot - 1 < 2) return false;
  for (let j = lastDot + 1; j < n; j++) if (!isLetter(text.charCodeAt(j))) return false;
  return true;
}

/** `/^[A-Za-z0-9][A-Za-z0-9_-]{4,29}$/`: a Venmo handle (without its @). */
export function isVenmoHandle(text: string): boolean {
  const n = text.length;
  if (n < 5 || n > 30 || !isAlnum(text.charCodeAt(0))) return false;
  for (let i = 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (!isAlnum(c) && c !== 0x5f && c !== 0x2d) return false;
  }
  return true;
}

/**
 * US phone: 10 digits after removing whitespace and ( ) . + - (`/[\s().+-]/g`), and a leading
 * country code 1 from 11; undefined for anything else.
 */
export function normalisePhone(text: string): string | undefined {
  let digits = 0;
  let value = 0;
  let first = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      if (++digits > 11) return undefined;
      if (digits === 1) first = c;
      value = value * 10 + (c - 0x30);
    } else if (c !== 0x28 && c !== 0x29 && c !== 0x2e && c !== 0x2b && c !== 0x2d && !isSpace(c)) return undefined;
  }
  if (digits === 10) return digits === text.length ? text : String(value).padStart(10, '0');
  if (digits === 11 && first === 0x31) return String(value - 1e10).padStart(10, '0');
  return undefined;
}

/** `text.replace(/[\s-]/g, '')`: an account number without the spaces and hyphens typed into it. */
export function withoutSpacesAndHyphens(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2d || isSpace(c)) return text.replace(/[\s-]/g, '');
  }
  return text;
}
