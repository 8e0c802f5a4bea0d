/**
 * The payment files made from paid claims' records of bytes (core/payments/claim-records.ts), on
 * the thread that builds them (io/payments/pay-build-worker.ts): the same bytes as
 * PaymentBatchBuilder (core/payments/batch.ts) makes from PaidClaim objects, made by copying the
 * cells' UTF-8 bytes into each file's rows in one pass per claim, amounts' digits straight from
 * the cents, and no string or object per claim (text only for the rare cell that needs it: a
 * NACHA name that is not printable ASCII, a destination that is not plain ASCII).
 */
import { seq, type Controls, type ControlLine, type PaymentBatch, type PaymentFile } from './batch.js';
import { ByteRows } from './byte-rows.js';
import {
  AMOUNT_TEXT,
  ClaimRecordReader,
  HAS_MAILING,
  ID_TEXT,
  MAILING_IS_CHECK,
  METHOD_BITS,
  M_PAYPAL,
  M_SAVINGS,
  M_VENMO,
} from './claim-records.js';
import { NachaWriter } from './nacha.js';
import { putAchEntry, putTrace, routingPrefix } from './ach-record.js';
import { RunBytes } from './run-bytes.js';
import { AmountMemo, PaymentIdWords } from './record-batch-state.js';
import { ACH_FILE_IDS, orderedFiles, refuseAchFile, refuseUnplanned } from './batch-limits.js';
import { put, putCell, putField, putHexId, putInt, putMasked, putText } from './record-cells.js';
import { putAddressRow } from './address-record.js';
import { putCheckRow } from './check-record.js';
import type { PaymentsConfig } from './plan-section.js';
import { ADDRESSES_COLUMNS, PAYMENTS_COLUMNS, PAYPAL_ROWS_PER_FILE, checkHeader } from './rows.js';
import {
  B_ROUTING,
  PAY_BIGS,
  PAY_DONE,
  PAY_INTS,
  P_ACH_COUNT,
  P_ACH_IN_FILE,
  P_COUNTS,
  P_PAYPAL_ROWS,
  P_POS,
  P_READY,
  P_USED,
  type PayRowRun,
} from './record-batch-native.js';

const COMMA = 0x2c;
const LF = 0x0a;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ascii = (s: string): Uint8Array => encoder.encode(s);

/** The payment ids of the ledger's rows: `head` and 8 bytes per row in `digests` (io/payments/payment-ids.ts). */
export interface RecordIds {
  /** `P<round>-`. */
  head: string;
  digests: Uint8Array;
  /** Makes sure row `row`'s 8 bytes are in `digests` (the claim's id is `src[start … end]`, to hash it if need be). */
  ensure(row: number, src: Uint8Array, start: number, end: number): void;
  /** Rows known to have their 8 bytes in `digests` now (rows below it), for the native rows; none when absent. */
  readyRows?(): number;
}

export interface RecordBatchOptions {
  config: PaymentsConfig;
  currency: string;
  round: number;
  ids: RecordIds;
  /** A file's rows (a new ByteRows; the caller may hash its blocks as they are sealed). */
  rows?: (file: string) => ByteRows;
  /**
   * false: payment ids made twice are not looked for (`duplicateIds` is empty): the caller finds
   * them from the ids of the claims it sent (io/payments/pay-builder.ts, while it waits for this
   * builder to finish). Default true.
   */
  duplicates?: boolean;
  /**
   * The native addon's rows (record-batch-native.ts; io/payments/pay-rows-native.ts loads it):
   * runs of plain records written by it, the others here, the same bytes. Used only with
   * `duplicates: false` (it does not collect the ids).
   */
  native?: PayRowRun;
  /** Rows per PayPal file: PAYPAL_ROWS_PER_FILE (PayPal's limit) but in the addon's load check, which fills a few files. */
  paypalRowsPerFile?: number;
  /**
   * false: the addon is called again after every record it leaves (the load check's probes, which
   * look at where it stops). Default true: after a call that wrote nothing, the builder makes a few
   * records itself first (addBlock).
   */
  nativeBackoff?: boolean;
}

const EMPTY = new Uint8Array(0);

const CELLS = 14;
/** Slots of the amounts kept (a power of 2). */
// Cells of a record by position in `at`: [start, end] pairs.
const C_ID = 0;
const C_E = 1; // the election's first cell
// The amounts' sums (AmountMemo.count): a PayPal file's PayPal and Venmo rows (the method's number,
// M_PAYPAL and M_VENMO), a NACHA file's entries, the ACH payments in no file (past the trace
// numbers, or no payments.ach: the run is refused), the checks.
const S_PAYPAL = M_PAYPAL;
const S_VENMO = M_VENMO;
const S_ACH = 2;
const S_ACH_LEFT = 3;
const S_CHECK = 4;

/**
 * Builds the payment files from blocks of records, claim by claim in ledger order (as
 * PaymentBatchBuilder does from objects). `finish` throws a UsageError when an election needs a
 * part of the plan's `payments` section that is not there.
 */
export class RecordBatchBuilder {
  private readonly config: PaymentsConfig;
  private readonly round: number;
  private readonly newRows: (file: string) => ByteRows;
  private readonly ids: RecordIds;
  /** The bytes every row may hold beyond its claim's (run-bytes.ts). */
  private readonly bytes: RunBytes;
  private readonly files: PaymentFile[] = [];
  private readonly counts = [0, 0, 0, 0];
  /** The methods' amounts drained from `amounts` so far (PayPal, Venmo, ACH, check). */
  private readonly sums = [0n, 0n, 0n, 0n];
  private readonly payments: ByteRows;
  private readonly addresses: ByteRows;
  /** The payment ids' 8 bytes, as two 32-bit words each (record-batch-state.ts). */
  private readonly idWords: PaymentIdWords | undefined;
  /** Amounts met lately, by their 64 bits, and their sums (record-batch-state.ts; S_… below). */
  private readonly amounts = new AmountMemo();
  /** The cells of the record being made: start and end in its block, by position. */
  private readonly at = new Int32Array(2 * CELLS);
  // PayPal and Venmo: files of at most 5,000 rows.
  private paypalRows: ByteRows | undefined;
  private paypalCount = 0;
  private readonly paypalPerFile: number;
  private paypalFile = 1;
  private paypalName = ascii('paypal-001.csv');
  // ACH: one batch per NACHA file.
  private achWriter: NachaWriter | undefined;
  private achRows: ByteRows | undefined;
  private achInFile = 0;
  private achCount = 0;
  private achFile = 1;
  private achName = ascii('ach-001.ach');
  // Checks: one register.
  private readonly checkRows: ByteRows;
  private readonly checksName = ascii('checks-001.csv');
  /** The addon's rows (RecordBatchOptions.native), its numbers, and its constant bytes as made for the current PayPal and NACHA files. */
  private readonly native: PayRowRun | undefined;
  private readonly ints = new Int32Array(PAY_INTS);
  private readonly big = new BigInt64Array(PAY_BIGS);
  private nativeConsts: Uint8Array = EMPTY;
  private nativeFiles = '';
  /** Records to make here before the addon is called again, and the last such stretch (addBlock). */
  private skip = 0;
  private missed = 0;
  private readonly backoff: boolean;

  constructor(o: RecordBatchOptions) {
    this.config = o.config;
    this.round = o.round;
    this.ids = o.ids;
    this.bytes = new RunBytes(o.config, o.currency, o.round, o.ids);
    this.idWords = o.duplicates === false ? undefined : new PaymentIdWords(o.ids.digests);
    this.newRows = o.rows ?? (() => new ByteRows());
    this.native = o.duplicates === false ? o.native : undefined;
    this.paypalPerFile = o.paypalRowsPerFile ?? PAYPAL_ROWS_PER_FILE;
    this.backoff = o.nativeBackoff ?? true;
    this.payments = this.newRows('payments.csv');
    this.addresses = this.newRows('addresses.csv');
    this.checkRows = this.newRows('checks-001.csv');
    if (o.config.check?.header ?? true) this.checkRows.text(checkHeader(this.bytes.checkColumns));
    this.payments.text(`${PAYMENTS_COLUMNS.join(',')}\n`);
    this.addresses.text(`${ADDRESSES_COLUMNS.join(',')}\n`);
  }

  /** Every record of a block, in order: runs of them by the addon (when given), the others here. */
  addBlock(block: Uint8Array): void {
    const r = new ClaimRecordReader(block);
    const run = this.native;
    while (!r.done) {
      if (run !== undefined && (this.skip === 0 || !this.backoff)) {
        const from = r.offset;
        const why = this.runNative(run, r);
        // A run that wrote nothing (payment ids not made yet, a long stretch of records it leaves
        // here): the next 1, 3, 7 … 255 records are made here before it is called again.
        this.missed = r.offset === from ? Math.min(2 * this.missed + 1, 255) : 0;
        if (why === PAY_DONE) break;
        this.skip = this.missed;
      } else if (this.skip > 0) this.skip--;
      this.add(r);
    }
  }

  /**
   * The addon's rows of the records from `r.offset` on, until it stops (PAY_…): the builder's state
   * handed over and taken back, and `r` moved to the record it stopped at.
   */
  private runNative(run: PayRowRun, r: ClaimRecordReader): number {
    const { ints, big } = this;
    const files = `${this.paypalFile}:${this.achFile}`;
    if (files !== this.nativeFiles) {
      this.nativeConsts = this.bytes.packNative({ paypal: this.paypalName, ach: this.achName, checks: this.checksName }, this.paypalPerFile, ints, big);
      this.nativeFiles = files;
    }
    const paypal = this.paypalRows;
    const ach = this.achWriter !== undefined ? this.achRows : undefined;
    const blocks = [paypal, ach, this.checkRows, this.payments, this.addresses];
    ints[P_POS] = r.offset;
    ints[P_READY] = this.ids.readyRows?.() ?? 0;
    for (let o = 0; o < 5; o++) ints[P_USED + o] = blocks[o]?.at ?? 0;
    for (let m = 0; m < 4; m++) ints[P_COUNTS + m] = this.counts[m]!;
    ints[P_PAYPAL_ROWS] = this.paypalCount;
    ints[P_ACH_IN_FILE] = this.achInFile;
    const achBefore = (ints[P_ACH_COUNT] = this.achCount);
    big.fill(0n, 0, B_ROUTING + 1);
    const outs = blocks.map((rows) => rows?.open(0) ?? EMPTY);
    const why = run(r.block, this.ids.digests, this.nativeConsts, outs[0]!, outs[1]!, outs[2]!, outs[3]!, outs[4]!, ints, big);
    for (let o = 0; o < 5; o++) blocks[o]?.done(ints[P_USED + o]!);
    for (let m = 0; m < 4; m++) this.counts[m] = ints[P_COUNTS + m]!;
    this.paypalCount = ints[P_PAYPAL_ROWS]!;
    this.achInFile = ints[P_ACH_IN_FILE]!;
    this.achCount = ints[P_ACH_COUNT]!;
    for (let s = 0; s <= S_CHECK; s++) if (big[s] !== 0n) this.amounts.owe(s, big[s]!);
    // The routing prefixes' sum is no amount: NachaWriter keeps it as a number (exact to 90 million entries).
    if (this.achCount > achBefore) this.achWriter!.tallyRun(this.achCount - achBefore, Number(big[B_ROUTING]));
    r.seek(ints[P_POS]!);
    return why;
  }

  private add(r: ClaimRecordReader): void {
    const { at } = this;
    const src = r.block;
    const first = r.offset;
    r.next();
    const tag = r.tag;
    const method = tag & METHOD_BITS;
    r.cell();
    at[0] = r.start;
    at[1] = r.end;
    let textId: string | undefined;
    if ((tag & ID_TEXT) !== 0) {
      r.cell();
      textId = decoder.decode(src.subarray(r.start, r.end));
    }
    let big: bigint | undefined;
    if ((tag & AMOUNT_TEXT) !== 0) {
      r.cell();
      big = BigInt(decoder.decode(src.subarray(r.start, r.end)));
    }
    const cells = method <= M_VENMO ? 1 : method <= M_SAVINGS ? 3 : 6;
    const mailing = (tag & HAS_MAILING) === 0 ? 0 : (tag & MAILING_IS_CHECK) !== 0 ? 0 : 6;
    for (let k = 0; k < cells + mailing; k++) {
      r.cell();
      at[2 * (C_E + k)] = r.start;
      at[2 * (C_E + k) + 1] = r.end;
    }
    // No row is longer than this: each cell at most twice its bytes (quoted, quotes doubled), the
    // claim id twice in payments.csv, and the bytes every row of the run has.
    const most = 4 * (r.offset - first) + this.bytes.constants;
    const amount = this.amounts;
    if (big !== undefined) amount.takeBig(big);
    else amount.take(r);
    const digits = amount.digits; // the amount's digits, for every row of the claim
    const money = amount.money; // and its text (formatMoney's), as bytes
    const m = method <= M_VENMO ? method : method <= M_SAVINGS ? 2 : 3;
    this.counts[m]!++;

    // The payment id's 8 bytes (kept to find two claims with one id, unless the caller does).
    const idAt = r.row * 8;
    if (textId === undefined) {
      this.ids.ensure(r.row, src, at[0]!, at[1]!);
      this.idWords?.addRow(r.row);
    } else {
      this.idWords?.addText(textId);
    }

    // The method's own row, then payments.csv's (file, row, reference, destination told apart by method).
    let file: Uint8Array;
    let row: number;
    const k = this.bytes;
    let currency = k.currency;
    let numberLength = 0;
    if (method <= M_VENMO) {
      if (this.paypalCount === this.paypalPerFile) this.flushPaypal();
      row = ++this.paypalCount;
      amount.count(method); // S_PAYPAL or S_VENMO
      const w = (this.paypalRows ??= this.newRows(decoder.decode(this.paypalName)));
      const b = w.open(most);
      let u = putField(b, w.at, src, at[2]!, at[3]!);
      b[u++] = COMMA;
      u = put(b, u, money, 0, money.length);
      b[u++] = COMMA;
      u = put(b, u, k.paypalCurrency, 0, k.paypalCurrency.length);
      b[u++] = COMMA;
      u = putField(b, u, src, at[0]!, at[1]!);
      b[u++] = COMMA;
      // The note (46 bytes by default) in one copy.
      b.set(k.note, u);
      u += k.note.length;
      b[u++] = COMMA;
      const wallet = k.wallets[method]!;
      u = put(b, u, wallet, 0, wallet.length);
      b[u++] = LF;
      w.done(u);
      file = this.paypalName;
      currency = k.paypalCurrency;
    } else if (method <= M_SAVINGS) {
      const ach = this.config.ach;
      if (ach === undefined) {
        amount.count(S_ACH_LEFT);
        this.address(src, tag, most);
        return; // no row: finish() refuses the run
      }
      if (this.achInFile === ach.entriesPerFile) this.flushAch();
      this.achCount++;
      row = ++this.achInFile;
      file = this.achName;
      if (this.achCount <= 9_999_999) {
        amount.count(S_ACH);
        this.achEntry(src, method, digits);
      } else amount.count(S_ACH_LEFT);
    } else {
      amount.count(S_CHECK);
      const check = this.config.check;
      if (check === undefined) {
        this.address(src, tag, most);
        return;
      }
      const n = this.counts[3]! - 1;
      numberLength = k.checkNumber(check.startNumber, n);
      const w = this.checkRows;
      const b = w.open(most * k.checkColumns.length);
      w.done(putCheckRow(b, w.at, k.checkColumns, src, at, k.number, numberLength, money, k.check, textId === undefined ? idAt : -1, textId));
      file = this.checksName;
      row = n + 1;
    }
    // payments.csv: id, claim id, round, method, file, row, reference, amount, currency, destination.
    const p = this.payments;
    const b = p.open(most);
    let u = p.at;
    u = textId === undefined ? putHexId(b, u, k.head, this.ids.digests, idAt) : putText(b, u, textId);
    b[u++] = COMMA;
    u = putCell(b, u, src, at[0]!, at[1]!);
    b[u++] = COMMA;
    const middle = k.middle(method, file);
    u = put(b, u, middle, 0, middle.length);
    u = putInt(b, u, row);
    b[u++] = COMMA;
    if (method <= M_VENMO) u = putCell(b, u, src, at[0]!, at[1]!); // the customer reference: the claim id
    else if (method <= M_SAVINGS) {
      if (this.achCount <= 9_999_999) u = this.trace(b, u);
    } else u = put(b, u, k.number, 0, numberLength);
    b[u++] = COMMA;
    u = put(b, u, money, 0, money.length);
    b[u++] = COMMA;
    u = put(b, u, currency, 0, currency.length);
    b[u++] = COMMA;
    if (method <= M_VENMO) u = putMasked(b, u, src, at[2]!, at[3]!);
    else if (method <= M_SAVINGS) u = putMasked(b, u, src, at[4]!, at[5]!);
    b[u++] = LF;
    p.done(u);
    this.address(src, tag, most);
  }

  /** The ACH trace number of entry `achCount`: the ODFI's 8 digits and 7 of sequence. */
  private trace(b: Uint8Array, u: number): number {
    return putTrace(b, u, this.bytes.odfi, this.achCount);
  }

  /** One NACHA entry detail record (NachaWriter.entry), and its line break. */
  private achEntry(src: Uint8Array, method: number, digits: string): void {
    const ach = this.config.ach!;
    const { at } = this;
    if (this.achWriter === undefined) {
      this.achWriter = new NachaWriter(ach, this.config.issueDate, ACH_FILE_IDS[this.achFile - 1] ?? '?', 1, this.achCount);
      this.achRows = this.newRows(decoder.decode(this.achName));
      this.achRows.text(`${this.achWriter.headRecords().join('\n')}\n`);
    }
    const w = this.achRows!;
    this.achWriter.tallyRun(1, routingPrefix(src, at[2]!));
    w.done(putAchEntry(w.open(95), w.at, src, at, method === M_SAVINGS, digits, this.bytes.odfi, this.achCount));
  }

  /** addresses.csv's row, when the claim has a mailing address. */
  private address(src: Uint8Array, tag: number, most: number): void {
    if ((tag & HAS_MAILING) === 0) return;
    const a = this.addresses;
    const { at } = this;
    // The check's cells are the address (MAILING_IS_CHECK); else the six after the election's.
    const method = tag & METHOD_BITS;
    const from = 2 * ((tag & MAILING_IS_CHECK) !== 0 ? C_E : C_E + (method <= M_VENMO ? 1 : method <= M_SAVINGS ? 3 : 6));
    a.done(putAddressRow(a.open(most), a.at, src, at, from));
  }

  private flushPaypal(): void {
    if (this.paypalCount === 0 || this.paypalRows === undefined) return;
    const name = decoder.decode(this.paypalName);
    const paypal = this.amounts.drain(S_PAYPAL);
    const venmo = this.amounts.drain(S_VENMO);
    this.sums[0] = this.sums[0]! + paypal;
    this.sums[1] = this.sums[1]! + venmo;
    this.files.push({ name, method: 'paypal', text: this.paypalRows.parts(), count: this.paypalCount, amount: paypal + venmo });
    this.paypalRows = undefined;
    this.paypalCount = 0;
    this.paypalFile++;
    this.paypalName = ascii(`paypal-${seq(this.paypalFile)}.csv`);
  }

  private flushAch(): void {
    const ach = this.config.ach;
    if (ach === undefined || this.achInFile === 0) return;
    refuseAchFile(ach.entriesPerFile, this.achFile, this.achWriter !== undefined && this.achRows !== undefined, this.achCount);
    const credits = this.amounts.drain(S_ACH);
    this.sums[2] = this.sums[2]! + credits;
    this.achWriter!.credit(credits);
    const nacha = this.achWriter!.finish();
    this.achRows!.text(nacha.tail);
    this.files.push({ name: decoder.decode(this.achName), method: 'ach', text: this.achRows!.parts(), count: this.achInFile, amount: nacha.total });
    this.achWriter = undefined;
    this.achRows = undefined;
    this.achInFile = 0;
    this.achFile++;
    this.achName = ascii(`ach-${seq(this.achFile)}.ach`);
  }

  finish(): PaymentBatch {
    const { config, counts } = this;
    refuseUnplanned(config, counts[2]!, counts[3]!, this.achCount);
    this.flushPaypal();
    this.flushAch();
    const { amounts, sums } = this;
    sums[2] = sums[2]! + amounts.drain(S_ACH_LEFT);
    sums[3] = sums[3]! + amounts.drain(S_CHECK);
    const checks: PaymentFile | undefined =
      counts[3]! > 0 ? { name: 'checks-001.csv', method: 'check', text: this.checkRows.parts(), count: counts[3]!, amount: sums[3]! } : undefined;
    const { files, total } = orderedFiles(this.files, checks);
    const line = (k: number): ControlLine => ({ count: counts[k]!, amount: this.sums[k]! });
    const methods: Controls['methods'] = { paypal: line(0), venmo: line(1), ach: line(2), check: line(3) };
    return {
      files,
      payments: this.payments.parts(),
      addresses: this.addresses.parts(),
      controls: { files: files.map((f) => ({ file: f.name, method: f.method, count: f.count, amount: f.amount })), methods, total },
      duplicateIds: this.idWords?.duplicates() ?? [],
    };
  }
}
