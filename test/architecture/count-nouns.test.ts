/**
 * A count and its noun agree: `1 claim`, `2 claims`. Every count a person reads before a noun
 * (terminal, errors, report pages) goes through `countOf` or `claimCount` of
 * core/display-numbers.ts, never through a template of its own such as `${grouped(n)} claims` or
 * `${n} error${n === 1 ? '' : 's'}`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimCount, countOf } from '../../src/core/display-numbers.js';
import { ROOT } from '../helpers/run-cli.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const lines = sources(join(ROOT, 'src')).flatMap((path) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .map((text, i) => ({ at: `${relative(ROOT, path)}:${i + 1}`, text })),
);

/**
 * An expression that is surely a count: a count formatted for reading, a length or a size, or a
 * name that says count (`n`, `count`, `belowMinimumCount`, `paidClaims`, `rows`, `failed`, …).
 */
const COUNT = String.raw`\$\{(?:(?:grouped|countText)\([^{}\`]*\)|[\w.!?]+\.(?:length|size)|(?:[\w!?]+\.)*(?:n|count|\w*Count|\w*Claims|rows|\w*Rows|claims|failed|errors|warnings|hidden|more|bad|left|total|notes|paid))\}`;
const NOUNS = 'claims|rows|errors|warnings|files|payments|checks|cells|columns|fields|items|bytes|characters|statuses|notes|steps|taxpayers|cents|bars|lines|prefixes|values|places|amounts|problems|records|ids|claimants|people|pools|classes|buckets|receipts|entries';
/** `${grouped(n)} claims`, `${rows.length} bad rows`: a count, up to two words, a plural noun (not a unit such as rows/s). */
const PLURAL_AFTER_COUNT = new RegExp(`${COUNT}(?: [a-z-]+){0,2} (?:${NOUNS})\\b(?!/)`);
/** `${grouped(n)} error${n === 1 ? '' : 's'}`: the plural made on the spot. */
const PLURAL_ON_THE_SPOT = new RegExp(`${COUNT}(?: [a-z-]+)* [a-z-]+\\$\\{[^{}]*\\? '' : 's'\\}`);

/** A count made by the helpers: `${countOf(n, 'claim')}`, `${claimCount(n)}`, `${cents(k)}`. */
const CALL = String.raw`\$\{(?:countOf|claimCount|cents)\((?:[^()\`]|\([^()\`]*\))*\)\}`;
const ANY_COUNT = `(?:${COUNT}|${CALL})`;
/**
 * A verb or pronoun that is plural only, a few words after a count: `${countOf(n, 'claim')} that
 * cashed their first payment share`, `${countOf(k, 'amount')} that are not money` read wrong at 1.
 * (After `would`, `to` and the like the verb is the same for one and many.)
 */
const PLURAL_VERB_AFTER_COUNT = new RegExp(
  `${ANY_COUNT}(?: [\\w,'-]+){0,8}(?<!\\b(?:would|will|could|can|may|might|must|should|to|not|did|do|does)) (?:are|were|have|share|get|go|differ|remain|hold|match|their)\\b(?!\\$)`,
);
/** `all ${countOf(n, 'claim')}` reads `all 1 claim`; `the ${claimCount(n)}` reads `the no claims`. */
const ALL_OR_THE_BEFORE_COUNT = new RegExp(`\\b(?:[Aa]ll ${ANY_COUNT}|[Tt]he ${CALL.replace('countOf|claimCount|cents', 'claimCount')})`);
/**
 * A count that may be one or none read with a plural verb or `all` on this line, unless the line
 * tests that same count against one (`k === 1 ? 'the one claim …' : `all ${countOf(k, 'claim')} …``).
 */
function wrongAtOne(text: string): boolean {
  const tested = [...text.matchAll(/([\w.!?]+) (?:===|!==) 1n? \?/g)].map((m) => m[1]!);
  return [PLURAL_VERB_AFTER_COUNT, ALL_OR_THE_BEFORE_COUNT].some((re) => {
    const m = re.exec(text);
    if (m === null) return false;
    return !tested.some((count) => new RegExp(`(?<![\\w.])${count.replace(/[.?!]/g, '\\$&')}(?!\\w)`).test(m[0]));
  });
}

/** Where a count before a noun is plural whatever it is, each with why. */
const ALLOWED = new Map([
  // Above DECIMAL_LIMITS.characters (64), so never one; core/decimal.ts is below display-numbers.ts.
  ['src/core/decimal.ts', 'is ${text.length} characters long'],
]);

/** A guard finds every `bad` template and none of the `good` ones. */
function expectGuard(found: (text: string) => boolean, bad: string[], good: string[]): void {
  for (const text of bad) expect(found(text), text).toBe(true);
  for (const text of good) expect(found(text), text).toBe(false);
}

describe('a count and its noun agree', () => {
  it('the helpers say one and many', () => {
    expect([countOf(1, 'row'), countOf(2, 'row'), countOf(1_234n, 'status', 'statuses'), countOf(0, 'claim')]).toEqual(['1 row', '2 rows', '1,234 statuses', '0 claims']);
    expect([claimCount(0), claimCount(1), claimCount(1_234)]).toEqual(['no claims', '1 claim', '1,234 claims']);
  });

  it('the guard finds the templates it is for, and not the helpers', () => {
    const found = (text: string) => PLURAL_AFTER_COUNT.test(text) || PLURAL_ON_THE_SPOT.test(text);
    expectGuard(
      found,
      [
        '`${grouped(t.capped)} claims capped`',
        '`${countText(ledger.rows)} rows paid`',
        '`${grouped(a.uncashedClaims)} uncashed payments`',
        '`${problems.length} bad rows`',
        '`${n} claims`',
        '`${s.totals.paidClaims} paid claims`',
        '`${failed} check${failed === 1 ? \'\' : \'s\'} failed`',
        '`${grouped(stats.errors)} error${stats.errors === 1 ? \'\' : \'s\'}`',
        '`${grouped(hidden)} more warning${hidden === 1 ? \'\' : \'s\'}`',
      ],
      [
        "`${countOf(t.capped, 'claim')} capped`",
        '`${grouped(Math.round(rate))} rows/s`',
        '`${k.id} claimants`',
        "`the kept column${keep.length === 1 ? '' : 's'} ${keep.join(', ')}`",
        '`${groupDecimal(p.paidPoints)} points`',
        '`payout reads ${options.kind} files only`',
        '`${claimCount(n)} with two TINs`',
      ],
    );
  });

  it('the verb guard finds a plural verb or "all" after a count, and not where the line agrees', () => {
    expectGuard(
      wrongAtOne,
      [
        'The ${model.cashedClaims} that cashed their first payment share the available amount',
        "`all ${countOf(x.removedWithIt, 'claim')} with ${groupDecimal(r.points)} points were removed together`",
        "`all ${countOf(c.expectedRows, 'row')} of ${file} match the recomputed ledger`",
        "` (${countOf(badAmounts, 'amount')} that are not money left out)`",
        "`the first-round amounts of the ${claimCount(a.uncashedClaims)} in the uncashed list`",
        "`The ${countOf(h.total, 'claim')} by their change`",
        "`${countOf(result.fallbacks, 'claim')} paid by check instead of their election`",
        "`  ${grouped(p.cappedClaims)} capped at their room`",
        '`  the ${s.round === 1 ? "pool\'s" : "round\'s"} ${cents(s.leftoverCents)} left after the floors go one each`',
        "`below the minimum; all ${countOf(x.removedWithIt, 'claim')} with ${groupDecimal(r.points)} point${r.points === '1' ? '' : 's'} were removed together`",
      ],
      [
        "`${countOf(t.belowMinimum, 'claim')} would get less than the minimum payment`",
        "`${countOf(n, 'row')} with errors ${n === 1 ? 'is' : 'are'} not counted below`",
        "k === 1 ? 'the one claim with this remainder gets a cent' : `all ${countOf(k, 'claim')} with this remainder get a cent`",
        "`The ${countOf(h.total, 'paid claim')} by amount, one bar per payment level.`",
        "`Not paid: ${claimCount(u.claims)} (${parts.join('; ')})`",
        "`${grouped(review.length)} of them without a valid TIN`",
        "`${countOf(n, 'line')} hold${n === 1 ? 's' : ''} bytes that are not UTF-8`",
        "n === 1 ? `it was the only claim with ${what}` : `all ${countOf(n, 'claim')} with ${what} were removed together`",
      ],
    );
  });

  it('no plural verb, "all" or "the no claims" goes with a count that may be one or none', () => {
    const offending = lines
      .filter((l) => wrongAtOne(l.text))
      .filter((l) => !l.at.startsWith('src/core/display-numbers.ts:'));
    expect(offending.map((l) => `${l.at}: ${l.text.trim()}`)).toEqual([]);
  });

  it('no count before a noun is made plural outside core/display-numbers.ts', () => {
    const offending = lines
      .filter((l) => PLURAL_AFTER_COUNT.test(l.text) || PLURAL_ON_THE_SPOT.test(l.text))
      .filter((l) => !l.at.startsWith('src/core/display-numbers.ts:'))
      .filter((l) => ![...ALLOWED].some(([file, text]) => l.at.startsWith(`${file}:`) && l.text.includes(text)));
    expect(offending.map((l) => `${l.at}: ${l.text.trim()}`)).toEqual([]);
  });
});
