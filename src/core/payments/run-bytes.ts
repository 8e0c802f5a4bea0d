/**
 * The bytes every payment row of a run may hold beyond its claim's own (record-batch.ts): the
 * currencies, the PayPal note and wallets, the payment ids' head, the issue date, the ODFI, the
 * check template and account, payments.csv's `round,method,file,` per method and file, and the
 * check numbers; and the same packed for the native addon's rows (record-batch-native.ts).
 */
import { checkNumber } from './batch.js';
import type { CheckConstants } from './check-record.js';
import { DEFAULT_CHECK_COLUMNS, type CheckColumn } from './check-columns.js';
import { M_SAVINGS, M_VENMO } from './claim-records.js';
import type { PaymentsConfig } from './plan-section.js';
import { putAscii, putInt } from './record-cells.js';
import { P_ACH_PER_FILE, P_CHECK_WIDTH, P_CONSTANTS, P_PAYPAL_PER_FILE, B_CHECK_BASE, packPayConstants, payRowBound } from './record-batch-native.js';
import { csvField } from '../csv-cell.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ascii = (s: string): Uint8Array => encoder.encode(s);

/** Methods by their number in a record's tag (M_PAYPAL … M_CHECK), as payments.csv names them. */
export const METHOD_NAMES = ['paypal', 'venmo', 'ach', 'ach', 'check'] as const;

export class RunBytes {
  readonly head: Uint8Array;
  readonly currency: Uint8Array;
  readonly paypalCurrency: Uint8Array;
  readonly note: Uint8Array;
  readonly wallets = [ascii('PAYPAL'), ascii('VENMO')];
  readonly issueDate: Uint8Array;
  readonly odfi: Uint8Array;
  readonly checkColumns: readonly CheckColumn[];
  readonly check: CheckConstants;
  readonly round: Uint8Array;
  /** Bytes beyond a record's own that a row may hold: the note, currencies, id head, dates, numbers. */
  readonly constants: number;
  /** The current check's number as ASCII digits (checkNumbers). */
  readonly number = new Uint8Array(64);
  /** The check start's value, read once (a start of up to 15 digits). */
  private checkBase: number | undefined;
  /** By method: the file its `middle` bytes were made for, and payments.csv's `round,method,file,`. */
  private readonly middles: { file: Uint8Array; bytes: Uint8Array }[] = METHOD_NAMES.map(() => ({ file: new Uint8Array(0), bytes: new Uint8Array(0) }));

  constructor(
    private readonly config: PaymentsConfig,
    currency: string,
    round: number,
    ids: { head: string; digests: Uint8Array },
  ) {
    this.head = ascii(ids.head);
    this.currency = encoder.encode(currency);
    this.paypalCurrency = encoder.encode(config.paypal.currency ?? currency);
    this.note = encoder.encode(csvField(config.paypal.note));
    this.issueDate = ascii(config.issueDate);
    this.odfi = ascii(config.ach?.odfi ?? '');
    this.checkColumns = config.check?.columns ?? DEFAULT_CHECK_COLUMNS;
    this.check = { issueDate: this.issueDate, account: encoder.encode(config.check?.account ?? ''), head: this.head, digests: ids.digests };
    this.round = ascii(String(round));
    this.constants = 320 + this.note.length + this.currency.length + this.paypalCurrency.length + this.head.length + this.round.length + this.check.account.length;
  }

  /** payments.csv's `round,method,file,` for `method` (M_…) and its current file, made once per file. */
  middle(method: number, file: Uint8Array): Uint8Array {
    const m = this.middles[method]!;
    if (m.file === file) return m.bytes;
    const bytes = ascii(`${decoder.decode(this.round)},${METHOD_NAMES[method]!},${decoder.decode(file)},`);
    this.middles[method] = { file, bytes };
    return bytes;
  }

  /**
   * Check number `index` from `start` (checkNumber's digits) into `number`; returns their length.
   * Up to 15 digits, the start's value is read once and each number written from it.
   */
  checkNumber(start: string, index: number): number {
    if (start.length <= 15) {
      this.checkBase ??= Number(start);
      return putInt(this.number, 0, this.checkBase + index, start.length);
    }
    return putAscii(this.number, 0, checkNumber(start, index));
  }

  /**
   * The addon's constant bytes for the current files (their names by method group), with its
   * settings written into `ints` and `big` (record-batch-native.ts).
   */
  packNative(files: { paypal: Uint8Array; ach: Uint8Array; checks: Uint8Array }, paypalPerFile: number, ints: Int32Array, big: BigInt64Array): Uint8Array {
    const { config } = this;
    const middles = METHOD_NAMES.map((_, m) => this.middle(m, m <= M_VENMO ? files.paypal : m <= M_SAVINGS ? files.ach : files.checks));
    const { bytes, fixed } = packPayConstants(
      {
        note: this.note,
        paypalCurrency: this.paypalCurrency,
        currency: this.currency,
        head: this.head,
        odfi: this.odfi,
        issueDate: this.issueDate,
        account: this.check.account,
        middles,
        wallets: this.wallets,
        columns: this.checkColumns,
      },
      ints,
    );
    ints[P_ACH_PER_FILE] = config.ach?.entriesPerFile ?? 0;
    const start = config.check?.startNumber;
    // Check numbers from a start of up to 15 digits (checkNumber above past that).
    ints[P_CHECK_WIDTH] = start !== undefined && /^[0-9]{1,15}$/.test(start) ? start.length : -1;
    big[B_CHECK_BASE] = ints[P_CHECK_WIDTH]! >= 0 ? BigInt(start!) : 0n;
    ints[P_CONSTANTS] = payRowBound(this.constants, fixed);
    ints[P_PAYPAL_PER_FILE] = paypalPerFile;
    return bytes;
  }
}
