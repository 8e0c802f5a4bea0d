/**
 * ABA routing transit numbers: 9 digits whose weighted sum 3·(d1+d4+d7) + 7·(d2+d5+d8) +
 * (d3+d6+d9) is a multiple of 10. A mistyped digit fails the check, so a payment to it is caught
 * before the bank returns it (R03/R04) weeks later.
 */
import { isDigits } from './election-text.js';

export function isAbaRouting(text: string): boolean {
  if (!isDigits(text, 9, 9) || text === '000000000') return false;
  // The digits by character code (an array of them per routing number was a hot spot at 1M claims).
  const d = (i: number): number => text.charCodeAt(i) - 48;
  const sum = 3 * (d(0) + d(3) + d(6)) + 7 * (d(1) + d(4) + d(7)) + (d(2) + d(5) + d(8));
  return sum % 10 === 0;
}
