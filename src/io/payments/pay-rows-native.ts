/**
 * The payment files' rows written by the native addon (src/native/pay_rows.c; docs/payments.md,
 * "Performance"): the files' worker hands RecordBatchBuilder the addon's `payRows`, which writes the
 * rows of runs of plain records and leaves the others to the builder. It is used only after this
 * load check (payRowsRight): a sample of records that takes every path (each method, quoted and
 * guarded cells, Latin-1 and other names, masked destinations, a check template of every column,
 * PayPal and NACHA files filled and begun again, payment ids not made yet) built with and without
 * it must give the same files, byte for byte, and the same control totals, also when its blocks
 * have little room left; and three probes must show it leaves to the builder what it must. Without it (no C compiler when payout was installed, an addon built
 * from older sources, one refused here, or `PAYOUT_NATIVE=0`), the builder makes every row itself.
 */
import type { PaidClaim } from '../../core/payments/batch.js';
import { CHECK_COLUMNS } from '../../core/payments/check-columns.js';
import { BlockPool, ByteRows } from '../../core/payments/byte-rows.js';
import { ClaimRecordWriter } from '../../core/payments/claim-records.js';
import { RecordBatchBuilder, type RecordIds } from '../../core/payments/record-batch.js';
import { PAY_DONE, PAY_RECORD, P_USED, type PayRowRun } from '../../core/payments/record-batch-native.js';
import type { PaymentsConfig } from '../../core/payments/plan-section.js';
import { loadCheckedFunction, nativeFunction } from '../sha256-batch.js';

/** The plan section the sample is built for: 4 NACHA entries a file, a check template of every column in another order. */
const SAMPLE_CONFIG: PaymentsConfig = {
  issueDate: '2026-12-15',
  ach: {
    immediateDestination: '091000019',
    immediateDestinationName: 'FEDERAL RESERVE BANK',
    immediateOrigin: '1123456789',
    immediateOriginName: 'SETTLEMENT ADMIN LLC',
    companyName: 'SETTLEMENT',
    companyId: '1123456789',
    odfi: '02100002',
    entryDescription: 'SETTLEMENT',
    discretionaryData: '',
    referenceCode: '',
    entriesPerFile: 4,
  },
  paypal: { note: 'Payment, "round" 1', currency: 'EUR' },
  check: { startNumber: '000099998', columns: [...CHECK_COLUMNS].reverse(), header: true, account: '12-3456' },
};

/** Rows per PayPal file in the sample (RecordBatchOptions.paypalRowsPerFile). */
const SAMPLE_PAYPAL_ROWS = 25;

// Names and cells that take every path of the C: Latin-1 from both lead bytes (0xc2: £, 0xc3: é, ß),
// an expansion cut at the field's end ('ß' as the 22nd character of a name, the 15th of an id),
// a script NACHA's table leaves to JavaScript, cells that need quotes, cells that start with each
// character that makes a guard (= + - @ tab CR ') and ones with a CR inside.
const NAMES = ['Ana Lee', 'José Müller', 'Ann£Lee', 'ABCDEFGHIJKLMNOPQRSTUß', 'Straße Öl ß', '李小龍', '"Quoted", Name', '=SUM(A1)', 'x'.repeat(30), '', '\tTab', "'Quote", '\rCR', 'C\rR'];
const ADDRESSES = ['1 Main St', '2 "B" Ave, Apt 3', '+44 Road', '', 'Ünter den Linden 5\nBerlin', '\tTabbed', "'quoted", 'a\rb'];
const IDS = ['C1', '+1-555-0100', 'id,comma', 'Zoë', '"q"', '@home', '', 'ABCDEFGHIJKLMNß', 'x'.repeat(40), '\tT', "'x", '\rr', 'c\rr'];

/**
 * The sample's claims: every method, with and without a mailing address, cells of every kind, a
 * cell past 0xffff bytes, a claim with no ledger row and one of 2^63 cents or more; PayPal and
 * NACHA files filled and begun again. Each claim is followed by a plain one, so that every odd
 * claim is offered to the addon (after one it leaves, the builder makes a few on its own).
 */
export function sampleClaims(): PaidClaim[] {
  const claims: PaidClaim[] = [];
  const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;
  const mailing = (i: number) => ({ name: pick(NAMES, i + 1), address: pick(ADDRESSES, i), address2: i % 3 === 0 ? 'Unit 9' : '', city: pick(['Chicago', 'Zürich', '-City'], i), state: 'IL', zip: pick(['60601', '0123', ''], i) });
  const amounts = [1n, 5n, 99n, 100n, 2783n, 16704n, 9_999_999_999n, 10_000_000_000n, 123_456_789_012n];
  // NACHA's amount field holds 10 digits (more is refused by the builder: the tests try it).
  const ACH_AMOUNTS = amounts.filter((a) => a < 10_000_000_000n);
  let row = 0;
  const plain = (): void => void claims.push({ claimId: `P${row}`, amount: 2783n, row: row++, election: { method: 'paypal', recipient: `p${row}@example.com`, recipientKind: 'email' } });
  const add = (election: PaidClaim['election'], i: number, withMailing: boolean, from = amounts): void => {
    const m = withMailing ? mailing(i) : undefined;
    claims.push({ claimId: `${pick(IDS, i)}${row}`, amount: pick(from, i), row: row++, election, ...(m !== undefined ? { mailing: m } : {}) });
    plain();
  };
  for (let i = 0; i < 36; i++) {
    const routing = pick(['011000015', '021000021', '091000019'], i);
    const account = pick(['12345678901234567', '0001', 'ABC-123', '9'], i);
    add({ method: 'ach', routing, account, accountType: i % 2 === 0 ? 'checking' : 'savings', name: pick(NAMES, i) }, i, i % 4 === 0, ACH_AMOUNTS);
    const check = mailing(i + 2);
    add({ method: 'check', ...check }, i, false);
    if (i % 2 === 0) {
      claims.push({ claimId: `chk${row}`, amount: pick(amounts, i + 1), row: row++, election: { method: 'check', ...check }, mailing: check });
      plain();
    }
    add({ method: 'venmo', recipient: pick(['+15550100', '@handle', ' spaced ', 'ü@x', '\tv', ' 0100'], i), recipientKind: 'handle' }, i, i % 5 === 0);
  }
  // A cell of more than 0xffff bytes (its length in the record's long form), no ledger row (the payment id as text), 2^63 cents.
  add({ method: 'check', ...mailing(1), address2: 'y'.repeat(70_000) }, 1, false);
  claims.push({ claimId: 'no-row', amount: 4391n, election: { method: 'paypal', recipient: 'n@x.com', recipientKind: 'email' } });
  plain();
  add({ method: 'paypal', recipient: 'big@x.com', recipientKind: 'email' }, 2, false, [(1n << 63n) + 5n]);
  for (let i = 0; i < 2 * SAMPLE_PAYPAL_ROWS + 3; i++) {
    add({ method: 'paypal', recipient: i % 11 === 0 ? `a,b${i}@x.com` : `user${i}@example.com`, recipientKind: 'email' }, i, i % 7 === 0);
    if (i % 9 === 0) add({ method: 'ach', routing: '011000015', account: '42', accountType: 'checking', name: 'Ann' }, i, false, ACH_AMOUNTS);
  }
  return claims;
}

/** The sample's claims as blocks of records (small blocks: runs stop at their ends too). */
function sampleBlocks(claims: readonly PaidClaim[]): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  const w = new ClaimRecordWriter((block) => void blocks.push(block), 1 << 12);
  for (const c of claims) w.add(c, c.row === undefined ? 'P1-text-id' : undefined);
  w.flush();
  return blocks;
}

/**
 * The files and controls made of the sample's blocks, as text to compare. The payment ids are made
 * as the builder asks for them (`ensure`, a few rows ahead), so the addon meets rows whose id is
 * not made yet.
 */
function build(rows: number, blocks: readonly Uint8Array[], run: PayRowRun | undefined, allReady = false): string {
  const digests = new Uint8Array(rows * 8);
  let ready = 0;
  const make = (to: number): void => {
    for (let i = ready * 8; i < Math.min(to, rows) * 8; i++) digests[i] = (i * 131 + 7) & 0xff;
    ready = Math.max(ready, Math.min(to, rows));
  };
  make(allReady ? rows : 3);
  const ids: RecordIds = { head: 'P1-', digests, ensure: (r) => make(r + 5), readyRows: () => ready };
  const b = new RecordBatchBuilder({ config: SAMPLE_CONFIG, currency: 'USD', round: 1, ids, duplicates: false, paypalRowsPerFile: SAMPLE_PAYPAL_ROWS, ...(run !== undefined ? { native: run } : {}) });
  for (const block of blocks) b.addBlock(block);
  const batch = b.finish();
  const text = (chunks: readonly (string | Uint8Array)[]): string => chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('latin1'))).join('');
  const files = batch.files.map((f) => `${f.name}|${f.count}|${f.amount}\n${text(f.text)}`);
  const controls = JSON.stringify(batch.controls, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return [...files, text(batch.payments), text(batch.addresses), controls].join('\u0000');
}

/** Bytes past the end of each block the addon is given, in `tight`, that it must leave as they are. */
const CANARY = 64;

/**
 * `run` given a block cut to a little more room than its rows' end (none to ~1,500 bytes, one block
 * or another call by call, by `seed`), with bytes after the cut it must not touch: it must stop for room rather
 * than write past a block's end, and say no end past it. Undefined when it did not (`failed`).
 */
function tight(run: PayRowRun, seed: number, failed: () => void): PayRowRun {
  let x = seed;
  // A fixed sequence of numbers (a linear congruential generator): the same cuts on every machine.
  const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8;
  return (records, digests, consts, ...rest) => {
    const ints = rest[5] as Int32Array;
    const outs = rest.slice(0, 5) as Uint8Array[];
    // One block cut on each call (by turns, from `seed`), to a room below 8, 64, 512 or 1,500 bytes
    // (as likely each), often shorter than one row; the others left whole: the addon writes on
    // until the short one is full.
    const r = next();
    const short = (r + seed) % 5;
    const cut = outs.map((out, o) => {
      if (o !== short) return out;
      const end = Math.min(out.length - CANARY, ints[P_USED + o]! + ((r >>> 5) % [8, 64, 512, 1500][(r >>> 3) & 3]!));
      if (end < ints[P_USED + o]!) return out;
      out.fill(0xa5, end, end + CANARY);
      return out.subarray(0, end);
    });
    const why = run(records, digests, consts, cut[0]!, cut[1]!, cut[2]!, cut[3]!, cut[4]!, ints, rest[6] as BigInt64Array);
    outs.forEach((out, o) => {
      const end = cut[o]!.length;
      if (ints[P_USED + o]! > end || (end < out.length && out.subarray(end, end + CANARY).some((b) => b !== 0xa5))) failed();
    });
    return why;
  };
}

/**
 * `claims` made with `run` watched: `see` is told, for each call, why it stopped and whether it
 * moved on (wrote a record). The builder's own error for a claim it refuses is caught (a probe may
 * hold one).
 */
function watch(claims: readonly PaidClaim[], run: PayRowRun, see: (why: number, moved: boolean) => void): void {
  const watched: PayRowRun = (...args) => {
    const ints = args[8];
    const from = ints[0]!;
    const why = run(...args);
    see(why, ints[0]! !== from);
    return why;
  };
  // Blocks of 1 MiB, as the files' worker has them (a row of a 70,000-byte cell fits).
  const pool = new BlockPool();
  const digests = new Uint8Array(claims.length * 8);
  const ids: RecordIds = { head: 'P1-', digests, ensure: () => undefined, readyRows: () => claims.length };
  const b = new RecordBatchBuilder({ config: SAMPLE_CONFIG, currency: 'USD', round: 1, ids, duplicates: false, native: watched, rows: () => new ByteRows(undefined, pool) });
  try {
    for (const block of sampleBlocks(claims)) b.addBlock(block);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
}

/**
 * Whether `run` makes the sample's files as the builder does, also with little room in its blocks,
 * and leaves to the builder what it must (the load check). Three probes for what the sample's bytes
 * cannot show: a cell of more than 0xffff bytes is written by the addon (its length's long form
 * read, not left to the builder); a record with its payment id as text is left to the builder with
 * nothing written; an ACH amount past NACHA's 10 digits is left to the builder, which refuses it.
 */
export function payRowsRight(run: PayRowRun): boolean {
  try {
    const claims = sampleClaims();
    const blocks = sampleBlocks(claims);
    const want = build(claims.length, blocks, undefined);
    if (build(claims.length, blocks, run) !== want) return false;
    let overran = false;
    if (build(claims.length, blocks, tight(run, 1, () => (overran = true))) !== want || overran) return false;
    let ok = true;
    // After two plain claims (the first begins the PayPal file; the builder makes both, as it does
    // after a call that wrote nothing), one whose recipient is 70,000 bytes: written by the addon.
    const paypal = (recipient: string) => ({ method: 'paypal', recipient, recipientKind: 'email' }) as const;
    const plain = (row: number): PaidClaim => ({ claimId: `p${row}`, amount: 100n, row, election: paypal('a@b.c') });
    let last = -1;
    watch([plain(0), plain(1), { claimId: 'long', amount: 100n, row: 2, election: paypal('y'.repeat(70_000)) }], run, (why, moved) => {
      last = moved ? why : -1;
    });
    ok &&= last === PAY_DONE;
    // After two plain claims, a claim with no ledger row (its payment id as text, no row in its
    // record): left to the builder. Its id's bytes read as a record's cells would make a record (a
    // claim id "Z" and an empty recipient), and its cents as a row and cents would pass.
    watch([plain(0), plain(1), { claimId: 'ab\u0001\u0000Z\u0000\u0000xyz', amount: 2n, election: paypal('a@b.c') }], run, (why, moved) => (ok &&= why !== PAY_DONE && !moved));
    // After two ACH claims (the first begins the NACHA file), an amount past NACHA's 10 digits: left to the builder, which refuses it.
    const ach = (row: number, amount: bigint): PaidClaim => ({ claimId: `a${row}`, amount, row, election: { method: 'ach', routing: '011000015', account: '42', accountType: 'checking', name: 'Ann' } });
    watch([ach(0, 100n), ach(1, 100n), ach(2, 10_000_000_000n)], run, (why, moved) => (ok &&= why !== PAY_DONE && !moved));
    return ok;
  } catch {
    return false;
  }
}

/** The addon's `payRows`, once it has passed the load check; undefined without it (see above). */
export const payRowsNative: () => PayRowRun | undefined = nativeFunction((path) => loadCheckedFunction<PayRowRun>(path, 'payRows', payRowsRight));
