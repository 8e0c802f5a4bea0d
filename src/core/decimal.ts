/**
 * Exact numbers for the core: decimal strings parsed into bigint scaled integers, and rationals.
 * Nothing here touches a JavaScript `number` for a quantity; `number` appears only for small
 * counts such as a scale (number of decimal places).
 */

/** A decimal value `n / 10^scale`. */
export interface Dec {
  readonly n: bigint;
  readonly scale: number;
}

/** An exact rational `n / d`, with `d > 0`. Not necessarily in lowest terms. */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a plain decimal string (`"12"`, `"0.5"`, `"-3.25"`); no exponent, no thousands
 * separators, no `+`. Returns undefined when the text is not such a number.
 */
export function parseDec(text: string): Dec | undefined {
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const n = BigInt((m[2] ?? '') + frac);
  return { n: m[1] === '-' ? -n : n, scale: frac.length };
}

/**
 * Digit limits of the decimal inputs (weights, percents, units; docs/safety.md). Exact arithmetic
 * costs grow with the digits, faster than linearly: a weight with 100,000 decimals took 52 s and a
 * 270 MB ledger, one with a million did not finish. No settlement needs more than these.
 */
export const DECIMAL_LIMITS = { integerDigits: 15, decimalPlaces: 18, characters: 64 } as const;

/**
 * Why a plain decimal text is beyond DECIMAL_LIMITS (leading zeros of the whole part and trailing
 * zeros of the decimals are not counted), or undefined when it is within them. Checked before the
 * text is turned into a number.
 */
export function digitLimitProblem(text: string, decimalPlaces: number = DECIMAL_LIMITS.decimalPlaces): string | undefined {
  const { integerDigits, characters } = DECIMAL_LIMITS;
  const limits = `at most ${integerDigits} digits before the decimal point and ${decimalPlaces} after (docs/safety.md)`;
  if (text.length > characters) return `is ${text.length} characters long: ${limits}`;
  const dot = text.indexOf('.');
  const whole = (dot < 0 ? text : text.slice(0, dot)).replace(/^-/, '').replace(/^0+/, '');
  const decimals = dot < 0 ? '' : text.slice(dot + 1).replace(/0+$/, '');
  if (whole.length > integerDigits || decimals.length > decimalPlaces) return `has too many digits: ${limits}`;
  return undefined;
}

/** The number of decimal places written in a plain decimal string (0 when none). */
export function decimalPlaces(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

export const pow10 = (k: number): bigint => 10n ** BigInt(k);

export function decToRational(d: Dec): Rational {
  return { n: d.n, d: pow10(d.scale) };
}

/** Greatest common divisor of |a| and |b| (0 when both are 0). */
export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Least common multiple of two positive integers. */
export function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

/** Lowest terms, so that equal rationals have equal (n, d). */
export function reduce(r: Rational): Rational {
  const g = gcd(r.n, r.d);
  return g <= 1n ? r : { n: r.n / g, d: r.d / g };
}

export const rat = (n: bigint, d: bigint = 1n): Rational => (d < 0n ? { n: -n, d: -d } : { n, d });
export const ratMul = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.n, d: a.d * b.d });
export const ratAdd = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
export const ratSub = (a: Rational, b: Rational): Rational => reduce({ n: a.n * b.d - b.n * a.d, d: a.d * b.d });
export const ratDiv = (a: Rational, b: Rational): Rational => {
  if (b.n === 0n) throw new RangeError('division by zero');
  return reduce(rat(a.n * b.d, a.d * b.n));
};
/** -1, 0 or 1 as a < b, a = b, a > b. */
export const ratCmp = (a: Rational, b: Rational): number => {
  const x = a.n * b.d;
  const y = b.n * a.d;
  return x < y ? -1 : x > y ? 1 : 0;
};
export const ratEq = (a: Rational, b: Rational): boolean => a.n * b.d === b.n * a.d;

/** Largest integer ≤ r. */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return (n % d !== 0n && (n < 0n) !== (d < 0n)) ? q - 1n : q;
}
export const ratFloor = (r: Rational): bigint => floorDiv(r.n, r.d);

/** n / d rounded half away from zero ("half-up" in accounting usage) to an integer. */
export function divHalfUp(n: bigint, d: bigint): bigint {
  if (d < 0n) [n, d] = [-n, -d];
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return neg ? -q : q;
}

/** n / d rounded half to even to an integer. */
export function divHalfEven(n: bigint, d: bigint): bigint {
  if (d < 0n) [n, d] = [-n, -d];
  const q = floorDiv(n, d);
  const r2 = 2n * (n - q * d);
  if (r2 > d) return q + 1n;
  if (r2 < d) return q;
  return q % 2n === 0n ? q : q + 1n;
}

/** Writes an integer count of 10^-scale units as a fixed decimal string (`formatScaled(-5n, 2)` = `"-0.05"`). */
export function formatScaled(v: bigint, scale: number): string {
  const neg = v < 0n;
  let s = (neg ? -v : v).toString();
  if (scale > 0) {
    s = s.padStart(scale + 1, '0');
    s = `${s.slice(0, -scale)}.${s.slice(-scale)}`;
  }
  return neg ? `-${s}` : s;
}

/** The shortest plain decimal for a Dec (`{n: 1500n, scale: 3}` → `"1.5"`). */
export function formatDec(d: Dec): string {
  let s = formatScaled(d.n, d.scale);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/** A rational written with `places` decimals, rounded half to even (docs/spec.md §5, `share`). */
export function formatRationalHalfEven(r: Rational, places: number): string {
  return formatScaled(divHalfEven(r.n * pow10(places), r.d), places);
}

/** A rational that is an exact decimal (denominator 2^a·5^b) in its shortest form, else undefined. */
export function exactDecimal(r: Rational): string | undefined {
  const x = reduce(r);
  let d = x.d;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) { d /= 2n; twos++; }
  while (d % 5n === 0n) { d /= 5n; fives++; }
  if (d !== 1n) return undefined;
  const scale = Math.max(twos, fives);
  return formatDec({ n: (x.n * pow10(scale)) / x.d, scale });
}

export const RAT_ZERO: Rational = { n: 0n, d: 1n };

/**
 * Adds many rationals without a gcd per term: terms are kept per distinct denominator (a table of
 * claims has few: powers of ten times the weights' denominators) and combined once at the end.
 */
export class RationalSum {
  readonly #byDen = new Map<bigint, bigint>();

  /** Adds `r × times`. */
  add(r: Rational, times: bigint = 1n): void {
    this.#byDen.set(r.d, (this.#byDen.get(r.d) ?? 0n) + r.n * times);
  }

  /** The sum in lowest terms. */
  value(): Rational {
    let acc = RAT_ZERO;
    for (const [d, n] of this.#byDen) acc = ratAdd(acc, { n, d });
    return acc;
  }
}
