/**
 * The load check of payRows (io/payments/pay-rows-native.ts payRowsRight) against addons built
 * from src/native/pay_rows.c changed in one place each (scripts/build-native.js into a folder of
 * this test's): each is refused, and one built from the sources as they are is taken. Skipped where
 * no addon can be built (no C compiler), as the build itself is then.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PayRowRun } from '../../src/core/payments/record-batch-native.js';
import { payRowsRight } from '../../src/io/payments/pay-rows-native.js';
import { requireAddon } from '../../src/io/sha256-batch.js';
import { buildChangedCopy } from '../helpers/native-sources.js';
import { tempDir } from '../helpers/tmp.js';
import { addonPayRows } from './pay-rows-helpers.js';

const dir = tempDir();
/** What the last build printed, and whether it marked the payment rows as refused (pay-rows.refused beside the addon). */
let buildSaid = '';
let marked = false;

/**
 * payRows of an addon built from pay_rows.c (or `file`, a header it includes) with `from` replaced
 * by `to`; undefined when none was built (or the build's own check did not keep it).
 */
function built(name: string, from: string, to: string, file = 'pay_rows.c'): PayRowRun | undefined {
  // dist/ is this one (tsc's output, which npm run build makes before the addon): the build runs payout's checks from it.
  const { out, run: r } = buildChangedCopy(dir.path(name), { change: { file, from, to }, dist: true });
  expect(r.status, r.stderr).toBe(0);
  buildSaid = r.stdout;
  marked = existsSync(join(out, 'pay-rows.refused'));
  const addon = join(out, 'payout_sha256.node');
  if (!existsSync(addon)) return undefined;
  const f = requireAddon(addon).payRows;
  expect(typeof f).toBe('function');
  return f as PayRowRun;
}

// Where dist/native/ has an addon, a C compiler was there when it was built.
const describeBuilt = addonPayRows !== undefined ? describe : describe.skip;

describeBuilt('the load check of payRows against addons built from changed sources', () => {
  it('takes one built from pay_rows.c as it is', () => {
    const run = built('as-is', 'int payout_pay_rows(const pay_args* a, int32_t* ints, int64_t* big) {', 'int payout_pay_rows(const pay_args* a, int32_t* ints, int64_t* big) {');
    expect(run).toBeDefined();
    expect(payRowsRight(run!)).toBe(true);
    expect(marked, buildSaid).toBe(false);
  }, 60_000);

  it.each([
    ['the check number off by one', 'check-number', '(uint64_t)(check_base + check_index)', '(uint64_t)(check_base + check_index + 1)'],
    ['the NACHA files’ rollover ignored', 'ach-rollover', 'ach_in_file >= per_file || ', ''],
    ['the PayPal files’ rollover ignored', 'paypal-rollover', 'if (paypal_rows >= paypal_per_file) fail = PAY_RECORD;', 'if (0) fail = PAY_RECORD;'],
    ['the routing prefixes’ sum off by one', 'routing', 'next_routing = routing + prefix;', 'next_routing = routing + prefix + 1;'],
    ['the mask’s first byte not looked at (a destination trimmed to 4 characters or fewer)', 'mask-first', 'int plain = !(e > s && !(*s > 0x20 && *s < 0x7f));', 'int plain = 1;'],
    ['the PayPal currency not on payments.csv', 'pp-currency', 'currency = a->k[K_PP_CURRENCY];', ''],
    ['Venmo rows written as PayPal', 'wallet', 'w_seg(&w, a->k[K_WALLET + method]);', 'w_seg(&w, a->k[K_WALLET]);'],
    ['savings entries written as checking', 'savings', "w_byte(&w, method == M_SAVINGS ? '3' : '2');", "w_byte(&w, '2');"],
    ['an account padded with zeros', 'pad', "for (size_t i = account_n; i < 17; i++) w_byte(&w, ' ');", "for (size_t i = account_n; i < 17; i++) w_byte(&w, '0');"],
    ['the cents’ tens digit wrong at 9', 'cents', "*e++ = (uint8_t)('0' + (cents / 10) % 10);", "*e++ = (uint8_t)('0' + (cents / 10) % 9);"],
    ['the mailing address read from the check’s cells', 'mailing', 'const int from = is_check_mailing ? 0 : cells;', 'const int from = 0;'],
    ['the payment id’s low hex digit cut to 3 bits', 'hex', '*w->u++ = (uint8_t)HEX[d[i] & 15];', '*w->u++ = (uint8_t)HEX[d[i] & 7];'],
    ['quotes not doubled', 'doubled', "if (*s == '\"') *u++ = '\"';", ''],
    ['the mask showing a character before the last 4', 'mask', 'if (e - s > 4) w_bytes(w, e - 4, 4);', 'if (e - s > 4) w_bytes(w, e - 5, 4);'],
    ['the check sum dropped', 'check-sum', 'sums[sum] = next_sum;', 'sums[sum] = sum == S_CHECK ? sums[sum] : next_sum;'],
    ['the Venmo count not moved on', 'venmo-count', 'counts[method <= M_VENMO ? method : method <= M_SAVINGS ? 2 : 3]++;', 'if (method != M_VENMO) counts[method <= M_VENMO ? method : method <= M_SAVINGS ? 2 : 3]++;'],
    ['a Latin-1 letter of a NACHA name left as it is', 'latin1', 'for (int j = 0; j < t[0] && u < end; j++) *u++ = t[1 + j];', 'for (int j = 0; j < t[0] && u < end; j++) *u++ = t[1 + j] | 0x20;'],
    ['the trace numbers from 0', 'trace', 'w_uint(&w, (uint64_t)(ach_count + 1), 7);', 'w_uint(&w, (uint64_t)(ach_count), 7);'],
  ])('refuses one built with %s', (_, name, from, to) => {
    const run = built(name, from, to);
    expect(run, 'the changed sources were not built, though dist/native/ has an addon').toBeDefined();
    expect(payRowsRight(run!)).toBe(false);
    // The build's own check, in a process of its own, marked them: payout does not even load them.
    expect(marked, buildSaid).toBe(true);
    expect(buildSaid).toContain("the addon's payment rows were");
  }, 60_000);

  // The CSV cell table (csv_cell.h) is ledger_rows.c's too: the build's own check of the ledger rows
  // may drop such an addon before payout's check of the payment rows sees it. Either way it is not used.
  it.each([
    ['= not taken for a formula start', 'no-equals', '[0x3d] = 2, ', ''],
    ['a CR not quoted', 'cr', '[0x0d] = 3,', '[0x0d] = 2,'],
    ['a CR first not guarded', 'cr-first', '[0x0d] = 3,', '[0x0d] = 1,'],
    ['a tab first not guarded', 'tab-first', '[0x09] = 2, ', ''],
    ["a ' first not guarded", 'quote-first', '[0x27] = 2,', ''],
    ['@ first not guarded', 'at-first', '[0x40] = 2, ', ''],
    ['+ first not guarded', 'plus-first', '[0x2b] = 2, ', ''],
    ['- first not guarded', 'minus-first', '[0x2d] = 2, ', ''],
    ['a comma not quoted', 'comma', '[0x2c] = 1, ', ''],
    ['a LF not quoted', 'lf', '[0x0a] = 1, ', ''],
    ['a quote not quoted', 'quote', '[0x22] = 1, ', ''],
  ])('refuses one built with %s in csv_cell.h (or the build does not keep it)', (_, name, from, to) => {
    const run = built(name, from, to, 'csv_cell.h');
    if (run === undefined) expect(buildSaid).toContain('the built addon was not kept');
    else expect(payRowsRight(run)).toBe(false);
  }, 60_000);
});
