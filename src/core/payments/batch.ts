/**
 * From the paid claims of a ledger and their elections to the payment files (docs/payments.md):
 * PayPal/Venmo rows in files of at most 5,000, NACHA files of ACH credits, one check register,
 * payments.csv with one row per payment, and the control totals (count and sum per file, per
 * method and overall) that must equal the ledger before anything is written.
 */
import { ACH_FILE_IDS, orderedFiles, refuseAchFile, refuseUnplanned } from './batch-limits.js';
import type { ControlLine, FileMethod, PaymentFile } from './batch-types.js';
import { formatMoney, formatMoneyHuman, type Cents } from '../money.js';
import type { Problem } from '../problems.js';
import type { Election, MailingAddress } from './elections.js';
import { maskLast4 } from '../mask.js';
import { NachaWriter, traceNumber } from './nacha.js';
import type { PaymentsConfig } from './plan-section.js';
import { DEFAULT_CHECK_COLUMNS, type CheckColumn } from './check-columns.js';
import { countOf } from '../display-numbers.js';
import {
  addressRow,
  ADDRESSES_COLUMNS,
  checkHeader,
  checkRow,
  PAYMENTS_COLUMNS,
  paymentsRow,
  paypalRow,
  PAYPAL_ROWS_PER_FILE,
  type CheckRow,
  type PaymentRecord,
} from './rows.js';
import { addressRowBytes, checkRowBytes, paymentsRowBytes, paypalRowBytes } from './row-bytes.js';
import { csvField } from '../csv-cell.js';
import { ByteRows, type IdBytes } from './byte-rows.js';
import { asBytes, asText, TextChunks, type Chunk, type Packer } from './text-chunks.js';

export interface PaidClaim {
  claimId: string;
  amount: Cents;
  /** The claim's row in the ledger (0-based), for ids made ahead by row (PaymentBatchOptions.paymentIdOfRow). */
  row?: number;
  election: Election;
  mailing?: MailingAddress;
}

export type { Chunk };
export type { ControlLine, FileMethod, PaymentFile };

export interface Controls {
  files: ({ file: string; method: FileMethod } & ControlLine)[];
  methods: Record<Election['method'], ControlLine>;
  total: ControlLine;
}

export interface PaymentBatch {
  files: PaymentFile[];
  /** payments.csv, in chunks. */
  payments: Chunk[];
  /** addresses.csv, in chunks. */
  addresses: Chunk[];
  controls: Controls;
  /** Payment ids made for more than one claim (none, unless the hash collides). */
  duplicateIds: string[];
}

export { ACH_FILE_IDS };

export const seq = (n: number): string => String(n).padStart(3, '0');

/** Check numbers from the plan's start, keeping its width ("000101" → "000102"). */
export function checkNumber(start: string, index: number): string {
  // Up to 15 digits the sum is exact as a number (no BigInt per check); longer starts take BigInt.
  if (start.length <= 15) return String(Number(start) + index).padStart(start.length, '0');
  return (BigInt(start) + BigInt(index)).toString().padStart(start.length, '0');
}

export interface PaymentBatchOptions {
  config: PaymentsConfig;
  currency: string;
  round: number;
  /** The stable id of a claim's payment (seed, claim id and round; docs/payments.md). */
  paymentId: (claimId: string) => string;
  /**
   * The same ids by ledger row, with their 64 bits (idBits), for claims that carry their row: made
   * ahead of the claims (io/payments/payment-ids.ts), so nothing is hashed or parsed per claim here.
   */
  paymentIdOfRow?: {
    id(row: number): string;
    bits(row: number): bigint;
    /**
     * With bytes: the ids' head (`P1-`) and their 8 bytes per row, there once bits(row) returned:
     * written as hex digits into the files, no id string made per claim.
     */
    head?: string;
    digests?: Uint8Array;
  };
  /**
   * Hold the files as UTF-8 bytes rather than text (the same bytes once written): a million
   * claims' rows held as strings kept the garbage collector tracing hundreds of MB again and again.
   */
  bytes?: boolean;
}

/**
 * Builds the files claim by claim, in ledger order, so that a million claims are never held as
 * objects: each claim's rows are made when it is added. Claims with an amount of 0 are refused
 * (they get no payment). `finish` throws a UsageError when an election needs a part of the plan's
 * `payments` section that is not there.
 */
export class PaymentBatchBuilder {
  private readonly currency: string;
  private readonly paypalCurrency: string;
  private readonly files: PaymentFile[] = [];
  private readonly methods: Controls['methods'] = { paypal: zero(), venmo: zero(), ach: zero(), check: zero() };
  private readonly pack: () => Packer;
  private readonly payments: Rows;
  private readonly addresses: Rows;
  /** The 64 bits of each payment id, sorted at the end to find a duplicate (a Set of a million strings cost more). */
  private idBits = new BigUint64Array(1 << 16);
  private idCount = 0;
  private readonly money = new Map<Cents, string>();
  /** Where the current claim's id is in the ids' bytes (bytes and ids by row with their digests). */
  private readonly idOut: IdBytes | undefined;
  // PayPal and Venmo: one Payouts batch format, the wallet per row; files of at most 5,000 rows.
  private paypalRows: Rows;
  /** csvField of the plan's PayPal note, once. */
  private readonly paypalNote: string;
  private paypalCount = 0;
  private paypalAmount = 0n;
  private paypalFile = 1;
  private paypalName = 'paypal-001.csv';
  // ACH: one batch per NACHA file, files of at most entriesPerFile entries; traces unique in the run.
  // The current file's entries are made into records as they come, not held as objects until it is full.
  private achWriter: NachaWriter | undefined;
  private achRows: Rows | undefined;
  private achInFile = 0;
  private achCount = 0;
  private achFile = 1;
  private achName = 'ach-001.ach';
  // Checks: one register, numbered from the plan's start in ledger order.
  private readonly checkColumns: readonly CheckColumn[];
  private readonly checkRows: Rows;
  private checkAmount = 0n;

  constructor(private readonly o: PaymentBatchOptions) {
    this.currency = o.currency;
    this.paypalCurrency = o.config.paypal.currency ?? o.currency;
    this.checkColumns = o.config.check?.columns ?? DEFAULT_CHECK_COLUMNS;
    this.pack = o.bytes === true ? asBytes(new TextEncoder()) : asText;
    this.paypalNote = csvField(o.config.paypal.note);
    const ids = o.paymentIdOfRow;
    this.idOut = o.bytes === true && ids?.head !== undefined && ids.digests !== undefined ? { head: ids.head, bytes: ids.digests, at: -1 } : undefined;
    this.payments = this.rows();
    this.paypalRows = this.rows();
    this.addresses = this.rows();
    this.checkRows = this.rows();
    if (o.config.check?.header ?? true) line(this.checkRows, checkHeader(this.checkColumns));
    line(this.payments, `${PAYMENTS_COLUMNS.join(',')}\n`);
    line(this.addresses, `${ADDRESSES_COLUMNS.join(',')}\n`);
  }

  /** A file's rows: written as bytes cell by cell (PaymentBatchOptions.bytes), else as text. */
  private rows(): Rows {
    return this.o.bytes === true ? new ByteRows() : new TextChunks(this.pack);
  }

  /** formatMoney, once per distinct amount (a distribution has few). */
  private format(c: Cents): string {
    let t = this.money.get(c);
    if (t === undefined) this.money.set(c, (t = formatMoney(c)));
    return t;
  }

  add(c: PaidClaim): void {
    if (c.amount <= 0n) throw new RangeError(`claim ${c.claimId}: a payment of ${formatMoney(c.amount)} (only amounts above 0 are paid)`);
    const { config, round } = this.o;
    const e = c.election;
    const m = this.methods[e.method];
    m.count++;
    m.amount += c.amount;
    const byRow = c.row !== undefined ? this.o.paymentIdOfRow : undefined;
    const fast = byRow !== undefined && this.idOut !== undefined;
    const id = byRow === undefined ? this.o.paymentId(c.claimId) : fast ? '' : byRow.id(c.row!);
    if (this.idCount === this.idBits.length) {
      const grown = new BigUint64Array(this.idBits.length * 2);
      grown.set(this.idBits);
      this.idBits = grown;
    }
    this.idBits[this.idCount++] = byRow !== undefined ? byRow.bits(c.row!) : idBits(id);
    if (this.idOut !== undefined) this.idOut.at = fast ? c.row! * 8 : -1;
    const amount = this.format(c.amount);
    let record: PaymentRecord | undefined;
    if (e.method === 'paypal' || e.method === 'venmo') {
      if (this.paypalCount === PAYPAL_ROWS_PER_FILE) this.flushPaypal();
      this.paypalCount++;
      const wallet = e.method === 'paypal' ? 'PAYPAL' : 'VENMO';
      const w = this.paypalRows;
      if (w instanceof ByteRows) paypalRowBytes(w, e.recipient, amount, this.paypalCurrency, c.claimId, this.paypalNote, wallet);
      else w.push(paypalRow({ recipient: e.recipient, amount: c.amount, currency: this.paypalCurrency, claimId: c.claimId, note: config.paypal.note, wallet }, amount));
      this.paypalAmount += c.amount;
      record = { paymentId: id, claimId: c.claimId, round, method: e.method, file: this.paypalName, row: this.paypalCount, reference: c.claimId, amount: c.amount, currency: this.paypalCurrency, destination: maskLast4(e.recipient) };
    } else if (e.method === 'ach') {
      if (config.ach !== undefined) {
        if (this.achInFile === config.ach.entriesPerFile) this.flushAch();
        this.achCount++;
        this.achInFile++;
        let trace = '';
        if (this.achCount <= 9_999_999) {
          // Past the trace numbers of one ODFI nothing is written: finish() refuses the run.
          this.achWriter ??= new NachaWriter(config.ach, config.issueDate, ACH_FILE_IDS[this.achFile - 1] ?? '?', 1, this.achCount);
          const entry = this.achWriter.entry({ routing: e.routing, account: e.account, accountType: e.accountType, amount: c.amount, individualId: c.claimId, name: e.name });
          const w = (this.achRows ??= this.rows());
          if (w instanceof ByteRows) {
            w.text(entry);
            w.byte(0x0a);
          } else w.push(`${entry}\n`);
          trace = traceNumber(config.ach.odfi, this.achCount);
        }
        record = { paymentId: id, claimId: c.claimId, round, method: 'ach', file: this.achName, row: this.achInFile, reference: trace, amount: c.amount, currency: this.currency, destination: maskLast4(e.account) };
      }
    } else if (config.check !== undefined) {
      const n = this.methods.check.count - 1;
      const number = checkNumber(config.check.startNumber, n);
      // Field by field: spreading the election (`{ ...e, … }`) took V8's slow path, ~1 µs a check.
      const r: CheckRow = {
        name: e.name, address: e.address, address2: e.address2, city: e.city, state: e.state, zip: e.zip,
        checkNumber: number, issueDate: config.issueDate, amount: c.amount, claimId: c.claimId, paymentId: id, account: config.check.account ?? '',
      };
      const w = this.checkRows;
      if (w instanceof ByteRows) checkRowBytes(w, this.checkColumns, r, amount, this.idOut ?? NO_ID_BYTES);
      else w.push(checkRow(this.checkColumns, r, amount));
      this.checkAmount += c.amount;
      record = { paymentId: id, claimId: c.claimId, round, method: 'check', file: 'checks-001.csv', row: n + 1, reference: number, amount: c.amount, currency: this.currency, destination: '' };
    }
    const p = this.payments;
    if (record !== undefined) {
      if (p instanceof ByteRows) paymentsRowBytes(p, record, amount, this.idOut ?? NO_ID_BYTES);
      else p.push(paymentsRow(record, amount));
    }
    const a = this.addresses;
    if (c.mailing !== undefined) {
      if (a instanceof ByteRows) addressRowBytes(a, c.claimId, c.mailing);
      else a.push(addressRow(c.claimId, c.mailing));
    }
  }

  private flushPaypal(): void {
    if (this.paypalCount === 0) return;
    this.files.push({ name: this.paypalName, method: 'paypal', text: this.paypalRows.parts(), count: this.paypalCount, amount: this.paypalAmount });
    this.paypalRows = this.rows();
    this.paypalCount = 0;
    this.paypalAmount = 0n;
    this.paypalFile++;
    this.paypalName = `paypal-${seq(this.paypalFile)}.csv`;
  }

  private flushAch(): void {
    const ach = this.o.config.ach;
    if (ach === undefined || this.achInFile === 0) return;
    refuseAchFile(ach.entriesPerFile, this.achFile, this.achWriter !== undefined && this.achRows !== undefined, this.achCount);
    const nacha = this.achWriter!.finish();
    const head = this.pack();
    const text: Chunk[] = [];
    head.add(text, nacha.head);
    head.end(text);
    text.push(...this.achRows!.parts());
    const tail = this.pack();
    tail.add(text, nacha.tail);
    tail.end(text);
    this.files.push({ name: this.achName, method: 'ach', text, count: this.achInFile, amount: nacha.total });
    this.achWriter = undefined;
    this.achRows = undefined;
    this.achInFile = 0;
    this.achFile++;
    this.achName = `ach-${seq(this.achFile)}.ach`;
  }

  finish(): PaymentBatch {
    const { config } = this.o;
    const { methods } = this;
    refuseUnplanned(config, methods.ach.count, methods.check.count, this.achCount);
    this.flushPaypal();
    this.flushAch();
    const checks: PaymentFile | undefined =
      methods.check.count > 0 ? { name: 'checks-001.csv', method: 'check', text: this.checkRows.parts(), count: methods.check.count, amount: this.checkAmount } : undefined;
    const { files, total } = orderedFiles(this.files, checks);
    return {
      files,
      payments: this.payments.parts(),
      addresses: this.addresses.parts(),
      controls: { files: files.map((f) => ({ file: f.name, method: f.method, count: f.count, amount: f.amount })), methods, total },
      duplicateIds: this.duplicates(),
    };
  }

  private duplicates(): string[] {
    const bits = this.idBits.subarray(0, this.idCount).sort();
    const out: string[] = [];
    for (let i = 1; i < bits.length; i++) if (bits[i] === bits[i - 1]) out.push(bits[i]!.toString(16).padStart(16, '0'));
    return out;
  }
}

/**
 * The 64 bits that tell payment ids apart: the id's last 16 hex digits when it ends in them (as
 * pay's ids do), else a 64-bit FNV-1a of the whole id (ids made otherwise, in tests).
 */
export function idBits(id: string): bigint {
  if (id.length >= 16 && isHexTail(id)) return BigInt(`0x${id.slice(-16)}`);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < id.length; i++) h = BigInt.asUintN(64, (h ^ BigInt(id.charCodeAt(i))) * 0x100000001b3n);
  return h;
}

/** Whether the id's last 16 characters are lowercase hex digits (a loop: a regex per payment cost more). */
function isHexTail(id: string): boolean {
  for (let i = id.length - 16; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

const NO_ID_BYTES: IdBytes = { head: '', bytes: new Uint8Array(0), at: -1 };

/** A file's rows as they are made: text rows joined a few at a time, or bytes. */
type Rows = TextChunks | ByteRows;

/** A line of text (a header) into a file's rows. */
function line(rows: Rows, text: string): void {
  if (rows instanceof ByteRows) rows.text(text);
  else rows.push(text);
}

export function zero(): ControlLine {
  return { count: 0, amount: 0n };
}

/** All claims at once (ledger order, amounts above 0): the builder's result. */
export function buildPaymentBatch(input: PaymentBatchOptions & { claims: readonly PaidClaim[] }): PaymentBatch {
  const b = new PaymentBatchBuilder(input);
  for (const c of input.claims) b.add(c);
  return b.finish();
}

/**
 * The control totals against the ledger: the files' count and sum must equal the ledger's paid
 * claims and their amounts to the cent, and every payment id must be unique. Any problem means
 * nothing is written.
 */
export function checkControls(batch: PaymentBatch, ledger: ControlLine, ledgerFile: string): Problem[] {
  const problems: Problem[] = [];
  const { total } = batch.controls;
  if (total.count !== ledger.count || total.amount !== ledger.amount) {
    problems.push({
      code: 'input',
      severity: 'error',
      file: ledgerFile,
      message: `the payment files hold ${countOf(total.count, 'payment')} of ${formatMoneyHuman(total.amount)}, the ledger ${countOf(ledger.count, 'paid claim')} of ${formatMoneyHuman(ledger.amount)}: nothing was written`,
    });
  }
  for (const id of batch.duplicateIds) {
    problems.push({ code: 'input', severity: 'error', file: ledgerFile, message: `two claims have the same payment id (${id}): nothing was written` });
  }
  return problems;
}

/** Controls as JSON: money as strings. */
export function controlsJson(c: Controls): unknown {
  const line = (l: ControlLine) => ({ count: l.count, amount: formatMoney(l.amount) });
  return {
    files: c.files.map((f) => ({ file: f.file, method: f.method, ...line(f) })),
    methods: Object.fromEntries(Object.entries(c.methods).map(([k, v]) => [k, line(v)])),
    total: line(c.total),
  };
}
