/** Words the rounding methods share for people: counts of cents and a claim's place among the remainders. */
import { countOf, countText } from '../display-numbers.js';

/** "1 cent", "1,234 cents". */
export const cents = (n: string | number): string => countOf(BigInt(n), 'cent');

/** What both rounds' explanations say of a paid claim's place among the remainders (docs/spec.md §4a). */
export interface RemainderPlace {
  largerRemainders: number;
  equalRemainders: number;
  level: string;
  tie: { key: string; keyInput: string; rank: number; size: number; cents: number; cutoffKey: string } | null;
}

/** The lines on a claim's remainder: how many come before it, whether its level gets a cent, and the tie-break. */
export function remainderPlaceLines(k: RemainderPlace): string[] {
  const out: string[] = [];
  if (k.largerRemainders > 0) out.push(`  ${countOf(k.largerRemainders, 'claim')} ${k.largerRemainders === 1 ? 'has' : 'have'} a larger remainder`);
  if (k.level === 'all') out.push(k.equalRemainders === 1 ? '  the one claim with this remainder gets a cent' : `  all ${countOf(k.equalRemainders, 'claim')} with this remainder get a cent`);
  else if (k.level === 'none') out.push('  the cents run out before this remainder: no cent');
  if (k.tie !== null) {
    const t = k.tie;
    out.push(
      `  tie: ${countOf(t.size, 'claim')} ${t.size === 1 ? 'shares' : 'share'} this remainder and ${cents(t.cents)} ${t.cents === 1 ? 'remains' : 'remain'} for them, to the smallest keys`,
      `  key: SHA-256("${t.keyInput}") = ${t.key}`,
      `  rank ${countText(t.rank)} of ${countText(t.size)} → ${t.rank <= t.cents ? 'a cent' : 'no cent'} (the last key to get one: ${t.cutoffKey})`,
    );
  }
  return out;
}
