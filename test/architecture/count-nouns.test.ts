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

/** Where a count before a noun is plural whatever it is, each with why. */
const ALLOWED = new Map([
  // Above DECIMAL_LIMITS.characters (64), so never one; core/decimal.ts is below display-numbers.ts.
  ['src/core/decimal.ts', 'is ${text.length} characters long'],
]);

describe('a count and its noun agree', () => {
  it('the helpers say one and many', () => {
    expect([countOf(1, 'row'), countOf(2, 'row'), countOf(1_234n, 'status', 'statuses'), countOf(0, 'claim')]).toEqual(['1 row', '2 rows', '1,234 statuses', '0 claims']);
    expect([claimCount(0), claimCount(1), claimCount(1_234)]).toEqual(['no claims', '1 claim', '1,234 claims']);
  });

  it('the guard finds the templates it is for, and not the helpers', () => {
    const found = (text: string) => PLURAL_AFTER_COUNT.test(text) || PLURAL_ON_THE_SPOT.test(text);
    for (const bad of [
      '`${grouped(t.capped)} claims capped`',
      '`${countText(ledger.rows)} rows paid`',
      '`${grouped(a.uncashedClaims)} uncashed payments`',
      '`${problems.length} bad rows`',
      '`${n} claims`',
      '`${s.totals.paidClaims} paid claims`',
      '`${failed} check${failed === 1 ? \'\' : \'s\'} failed`',
      '`${grouped(stats.errors)} error${stats.errors === 1 ? \'\' : \'s\'}`',
      '`${grouped(hidden)} more warning${hidden === 1 ? \'\' : \'s\'}`',
    ]) {
      expect(found(bad), bad).toBe(true);
    }
    for (const good of [
      "`${countOf(t.capped, 'claim')} capped`",
      '`${grouped(Math.round(rate))} rows/s`',
      '`${k.id} claimants`',
      "`the kept column${keep.length === 1 ? '' : 's'} ${keep.join(', ')}`",
      '`${groupDecimal(p.paidPoints)} points`',
      '`payout reads ${options.kind} files only`',
      '`${claimCount(n)} with two TINs`',
    ]) {
      expect(found(good), good).toBe(false);
    }
  });

  it('no count before a noun is made plural outside core/display-numbers.ts', () => {
    const offending = lines
      .filter((l) => PLURAL_AFTER_COUNT.test(l.text) || PLURAL_ON_THE_SPOT.test(l.text))
      .filter((l) => !l.at.startsWith('src/core/display-numbers.ts:'))
      .filter((l) => ![...ALLOWED].some(([file, text]) => l.at.startsWith(`${file}:`) && l.text.includes(text)));
    expect(offending.map((l) => `${l.at}: ${l.text.trim()}`)).toEqual([]);
  });
});
