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
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PaidClaim, PaymentBatch } from '../../core/payments/batch.js';
import { CHECK_COLUMNS } from '../../core/payments/check-columns.js';
import { BlockPool, ByteRows } from '../../core/payments/byte-rows.js';
import { ClaimRecordWriter } from '../../core/payments/claim-records.js';
import { RecordBatchBuilder, type RecordIds } from '../../core/payments/record-batch.js';
import { PAY_DONE, PAY_RECORD, P_POS, P_USED, type PayRowRun } from '../../core/payments/record-batch-native.js';
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
  // Rows near the bound on a row's bytes (each cell at most twice its bytes, quoted, quotes doubled):
  // claim ids, recipients and addresses of hundreds of quotes and commas, in every method.
  const quotes = (n: number): string => '"'.repeat(n);
  const heavy = { name: quotes(150), address: `${quotes(100)},`, address2: ','.repeat(80), city: quotes(60), state: 'IL', zip: quotes(20) };
  claims.push({ claimId: quotes(300), amount: 2783n, row: row++, election: { method: 'paypal', recipient: `${quotes(200)}@x.com`, recipientKind: 'email' }, mailing: heavy });
  plain();
  claims.push({ claimId: `${quotes(250)},`, amount: 2783n, row: row++, election: { method: 'venmo', recipient: quotes(120), recipientKind: 'handle' }, mailing: heavy });
  plain();
  claims.push({ claimId: quotes(280), amount: 2783n, row: row++, election: { method: 'check', ...heavy } });
  plain();
  claims.push({ claimId: quotes(260), amount: 2783n, row: row++, election: { method: 'ach', routing: '011000015', account: '42', accountType: 'savings', name: quotes(40) }, mailing: heavy });
  plain();
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

/** How the sample is made (build). */
interface Making {
  /** The addon's rows; none: the builder's alone. */
  run?: PayRowRun;
  /** Every payment id made from the start (else as the builder asks for them, a few rows ahead). */
  allReady?: boolean;
  /** Blocks of 1 MiB from this pool, as the files' worker has them (a row of a 70,000-byte cell fits). */
  pool?: BlockPool;
  /** false: the addon is called again after each record it leaves (RecordBatchOptions.nativeBackoff). */
  backoff?: boolean;
}

/**
 * The files and controls made of `blocks`, as text to compare (or the builder's error, as it
 * refuses a claim). By default the payment ids are made as the builder asks for them (`ensure`, a
 * few rows ahead), so the addon meets rows whose id is not made yet.
 */
function build(rows: number, blocks: readonly Uint8Array[], m: Making = {}): string {
  const digests = new Uint8Array(rows * 8);
  let ready = 0;
  const make = (to: number): void => {
    for (let i = ready * 8; i < Math.min(to, rows) * 8; i++) digests[i] = (i * 131 + 7) & 0xff;
    ready = Math.max(ready, Math.min(to, rows));
  };
  make(m.allReady === true ? rows : 3);
  const ids: RecordIds = { head: 'P1-', digests, ensure: (r) => make(r + 5), readyRows: () => ready };
  const pool = m.pool;
  const pooled = new Map<string, Uint8Array[]>();
  const b = new RecordBatchBuilder({
    config: SAMPLE_CONFIG,
    currency: 'USD',
    round: 1,
    ids,
    duplicates: false,
    paypalRowsPerFile: SAMPLE_PAYPAL_ROWS,
    ...(m.run !== undefined ? { native: m.run } : {}),
    ...(m.backoff === false ? { nativeBackoff: false } : {}),
    ...(pool !== undefined
      ? {
          rows: (file: string) => {
            const chunks: Uint8Array[] = [];
            pooled.set(file, chunks);
            return new ByteRows((block) => {
              chunks.push(block.slice());
              pool.give(block);
            }, pool);
          },
        }
      : {}),
  });
  let batch: PaymentBatch;
  try {
    for (const block of blocks) b.addBlock(block);
    batch = b.finish();
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    return `error: ${err.name}: ${err.message}`;
  }
  const text = (chunks: readonly (string | Uint8Array)[]): string => chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('latin1'))).join('');
  const bytesOf = (name: string, chunks: readonly (string | Uint8Array)[]): string => text(pool !== undefined ? (pooled.get(name) ?? []) : chunks);
  const files = batch.files.map((f) => `${f.name}|${f.count}|${f.amount}\n${bytesOf(f.name, f.text)}`);
  const controls = JSON.stringify(batch.controls, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return [...files, bytesOf('payments.csv', batch.payments), bytesOf('addresses.csv', batch.addresses), controls].join('\u0000');
}

/** Bytes past the end of a block the addon is given cut short, that it must leave as they are. */
const CANARY = 64;
/** The canary's byte at `i`: a pattern that changes from byte to byte (a run of any one value written past is seen). */
const canary = (i: number): number => (Math.imul(i, 151) + 0x5b) & 0xff;

/**
 * `run` given one block cut short on each call, with bytes after the cut it must not touch: it must
 * stop for room rather than write past a block's end, and say no end past it (else `failed` is
 * told). The cut is one byte short of what the addon writes into that block when given it whole (a
 * first call on copies of the numbers tells), so every row it writes meets its room check at its
 * very edge; `random`: a room below 8, 64, 512 or 1,500 bytes instead. `only`: that block is the
 * one cut, on every call; else one block or another call by call, from a fixed sequence (`seed`).
 */
function tight(run: PayRowRun, seed: number, failed: () => void, only?: number, random = false): PayRowRun {
  let x = seed;
  // A fixed sequence of numbers (a linear congruential generator): the same cuts on every machine.
  const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8;
  return (records, digests, consts, ...rest) => {
    const ints = rest[5] as Int32Array;
    const big = rest[6] as BigInt64Array;
    const outs = rest.slice(0, 5) as Uint8Array[];
    const r = next();
    let short = only ?? (r + seed) % 5;
    let room = (r >>> 5) % [8, 64, 512, 1500][(r >>> 3) & 3]!;
    if (!random) {
      // What it writes into each block given them whole (on copies of the numbers: the real call follows).
      const dry = Int32Array.from(ints);
      run(records, digests, consts, outs[0]!, outs[1]!, outs[2]!, outs[3]!, outs[4]!, dry, BigInt64Array.from(big));
      const wrote = outs.map((_, o) => dry[P_USED + o]! - ints[P_USED + o]!);
      if (only === undefined) for (let k = 0; k < 5 && wrote[short] === 0; k++) short = (short + 1) % 5;
      room = wrote[short]! - 1;
    }
    const cut = outs.map((out, o) => {
      if (o !== short || room < 0) return out;
      const end = Math.min(out.length - CANARY, ints[P_USED + o]! + room);
      if (end < ints[P_USED + o]!) return out;
      for (let i = end; i < end + CANARY; i++) out[i] = canary(i);
      return out.subarray(0, end);
    });
    const why = run(records, digests, consts, cut[0]!, cut[1]!, cut[2]!, cut[3]!, cut[4]!, ints, big);
    outs.forEach((out, o) => {
      const end = cut[o]!.length;
      if (end === out.length) return;
      if (ints[P_USED + o]! > end) failed();
      for (let i = end; i < end + CANARY; i++) if (out[i] !== canary(i)) failed();
    });
    return why;
  };
}

/**
 * Whether `claims` (a probe) make the same files, or the same refusal, with `run` as without it,
 * with the addon called again after every record it leaves, and 1 MiB blocks; and what its last
 * call answered and whether it wrote a record (the probe's last claim is the one that call met).
 */
function probe(claims: readonly PaidClaim[], run: PayRowRun, pool: BlockPool): { same: boolean; why: number; moved: boolean } {
  const last = { why: -1, moved: false };
  const watched: PayRowRun = (...args) => {
    const from = args[8][P_POS]!;
    last.why = run(...args);
    last.moved = args[8][P_POS]! !== from;
    return last.why;
  };
  const blocks = sampleBlocks(claims);
  const m: Making = { allReady: true, pool, backoff: false };
  const same = build(claims.length, blocks, { ...m, run: watched }) === build(claims.length, blocks, m);
  return { same, ...last };
}

/**
 * Whether `run` makes the sample's files as the builder does, also with one block a call one byte
 * short of the rows it writes there, and leaves to the builder what it must (the load check). Three probes for what the
 * sample's bytes cannot show, each also compared byte for byte: a cell of more than 0xffff bytes is
 * written by the addon (its length's long form read, not left to the builder); a record with its
 * payment id as text is left to the builder; an ACH amount past NACHA's 10 digits is left to the
 * builder, which refuses it. `thorough` (the build's check, scripts/build-native.js): also each of
 * the five blocks short on every call, at the edge and at rooms of a few to ~1,500 bytes.
 *
 * A wrong addon may write past a block it is given whole, here as in a run: such an addon is kept
 * from payout by the build, whose check runs in a process of its own and marks a refused or crashed
 * check (REFUSED_MARK), rather than by this check in the worker.
 */
export function payRowsRight(run: PayRowRun, thorough = false): boolean {
  try {
    const claims = sampleClaims();
    const blocks = sampleBlocks(claims);
    const want = build(claims.length, blocks);
    if (build(claims.length, blocks, { run }) !== want) return false;
    if (want.startsWith('error:')) return false;
    let overran = false;
    // One block a call one byte short of the rows the addon writes into it; the build's check also
    // each block in turn, at the edge and at rooms of a few to ~1,500 bytes.
    const passes: [number | undefined, boolean][] = thorough ? [[undefined, false], ...[0, 1, 2, 3, 4].flatMap((o): [number, boolean][] => [[o, false], [o, true]])] : [[undefined, false]];
    for (const [only, random] of passes) {
      if (build(claims.length, blocks, { run: tight(run, 1, () => (overran = true), only, random) }) !== want || overran) return false;
    }
    const paypal = (recipient: string) => ({ method: 'paypal', recipient, recipientKind: 'email' }) as const;
    const plain = (row: number): PaidClaim => ({ claimId: `p${row}`, amount: 100n, row, election: paypal('a@b.c') });
    // After two plain claims, one whose recipient is 70,000 bytes (a record of its own): written
    // by the addon, in a call that reaches the end.
    // The probes' blocks, taken again from one build to the next.
    const pool = new BlockPool();
    const long = probe([plain(0), plain(1), { claimId: 'long', amount: 100n, row: 2, election: paypal('y'.repeat(70_000)) }], run, pool);
    if (!long.same || long.why !== PAY_DONE || !long.moved) return false;
    // A claim with no ledger row (its payment id as text, no row in its record): left to the
    // builder. Its id's bytes read as a record's cells would make a record (a claim id "Z" and an
    // empty recipient), and its cents as a row and cents would pass.
    const textId = probe([plain(0), plain(1), { claimId: 'ab\u0001\u0000Z\u0000\u0000xyz', amount: 2n, election: paypal('a@b.c') }], run, pool);
    if (!textId.same || textId.why !== PAY_RECORD) return false;
    // After ACH claims (the first begins the NACHA file), an amount past NACHA's 10 digits: left to the builder, which refuses it.
    const ach = (row: number, amount: bigint): PaidClaim => ({ claimId: `a${row}`, amount, row, election: { method: 'ach', routing: '011000015', account: '42', accountType: 'checking', name: 'Ann' } });
    const big = probe([ach(0, 100n), ach(1, 100n), ach(2, 10_000_000_000n)], run, pool);
    return big.same && big.why === PAY_RECORD;
  } catch {
    return false;
  }
}

/**
 * The file the build (scripts/build-native.js) leaves beside the addon when its payment rows failed
 * its check (or crashed it): payout then does not use them.
 */
export const REFUSED_MARK = 'pay-rows.refused';

/** The addon's `payRows`, once it has passed the load check; undefined without it (see above). */
export const payRowsNative: () => PayRowRun | undefined = nativeFunction(loadPayRows);

/** The `payRows` of the addon at `path`: none when the build marked it refused (REFUSED_MARK beside it) or it fails the load check. */
export function loadPayRows(path: string): PayRowRun | undefined {
  if (existsSync(join(dirname(path), REFUSED_MARK))) return undefined;
  return loadCheckedFunction<PayRowRun>(path, 'payRows', (run) => payRowsRight(run));
}
