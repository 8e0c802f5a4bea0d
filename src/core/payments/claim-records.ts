/**
 * Paid claims as compact records of bytes, for the thread that builds the payment files
 * (io/payments/pay-builder.ts): per claim a tag byte, its ledger row, its amount in cents and its
 * cells as UTF-8 (each after its length), packed into blocks that are moved to that thread whole.
 * The reading thread makes no row, no amount text and no object per claim; the building thread
 * (core/payments/record-batch.ts) makes the files' rows from these bytes without decoding them.
 */
import type { PaidClaim } from './batch.js';

/** Size of a block of records (the last one of a run is sent as far as it is filled). */
export const RECORD_BLOCK = 1 << 20;

// The tag byte: the method in bits 0–2, then what the record holds.
export const M_PAYPAL = 0;
export const M_VENMO = 1;
export const M_CHECKING = 2;
export const M_SAVINGS = 3;
export const M_CHECK = 4;
export const METHOD_BITS = 7;
/** The claim has a mailing address (addresses.csv). */
export const HAS_MAILING = 8;
/** A check to the claim's mailing address: its six cells are sent once, for both. */
export const MAILING_IS_CHECK = 16;
/** No ledger row: the payment id follows the claim id as text. */
export const ID_TEXT = 32;
/** An amount outside a signed 64-bit integer of cents: sent as its digits (cents) after the claim and payment id. */
export const AMOUNT_TEXT = 64;

/**
 * A claim's election as cells of bytes (election-bytes.ts): the record's tag and its cells after the
 * claim id, in the record's order; cell k is `bytes(k)[start[k] … end[k]]`.
 */
export interface RecordCells {
  readonly tag: number;
  readonly count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  bytes(k: number): Uint8Array;
}

const encoder = new TextEncoder();

const viewOf = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/**
 * Packs paid claims into blocks of records; `send` takes each full block (and the last, at `flush`).
 * Layout of a record: tag (1 byte), row (u32, absent with ID_TEXT), amount in cents (i64, absent
 * with AMOUNT_TEXT), then cells, each a u16 length (0xffff: a u32 length follows) and its bytes:
 * claim id, [payment id], [amount in cents as digits], the election's cells (PayPal/Venmo:
 * recipient; ACH: routing, account, name; check: name, address, address2, city, state, zip), [the
 * mailing address's six].
 */
export class ClaimRecordWriter {
  private block: Uint8Array;
  private view: DataView;
  private used = 0;

  /**
   * `send` takes each block and may give the next one to fill (of `size` bytes: a block of shared
   * memory it has done with, io/payments/pay-builder.ts); else a new one is made. `first`: the
   * first block to fill.
   */
  constructor(
    private readonly send: (block: Uint8Array) => Uint8Array | void,
    private readonly size = RECORD_BLOCK,
    first?: Uint8Array,
  ) {
    this.block = first ?? new Uint8Array(size);
    this.view = viewOf(this.block);
  }

  /** Records written since the block began. */
  get pending(): number {
    return this.used;
  }

  /** `paymentId`: the claim's payment id, needed (only) when it has no ledger row. */
  add(c: PaidClaim, paymentId?: string): void {
    const e = c.election;
    const m = c.mailing;
    let tag: number;
    let units = c.claimId.length;
    switch (e.method) {
      case 'paypal':
      case 'venmo':
        tag = e.method === 'paypal' ? M_PAYPAL : M_VENMO;
        units += e.recipient.length;
        break;
      case 'ach':
        tag = e.accountType === 'checking' ? M_CHECKING : M_SAVINGS;
        units += e.routing.length + e.account.length + e.name.length;
        break;
      default:
        tag = M_CHECK;
        units += e.name.length + e.address.length + e.address2.length + e.city.length + e.state.length + e.zip.length;
    }
    if (m !== undefined) {
      tag |= HAS_MAILING;
      if (e.method === 'check' && m.name === e.name && m.address === e.address && m.address2 === e.address2 && m.city === e.city && m.state === e.state && m.zip === e.zip) {
        tag |= MAILING_IS_CHECK;
      } else units += m.name.length + m.address.length + m.address2.length + m.city.length + m.state.length + m.zip.length;
    }
    let id: string | undefined;
    if (c.row === undefined) {
      tag |= ID_TEXT;
      id = paymentId ?? '';
      units += id.length;
    }
    const exact = BigInt.asIntN(64, c.amount) === c.amount;
    if (!exact) tag |= AMOUNT_TEXT;
    // At most 3 bytes per UTF-16 unit, 6 per cell's length, 13 for the tag, row and amount; +60 for the amount's text.
    const most = units * 3 + 17 * 6 + 13 + 60;
    if (this.used + most > this.block.length) this.next(most);
    const b = this.block;
    b[this.used++] = tag;
    if ((tag & ID_TEXT) === 0) {
      this.view.setUint32(this.used, c.row!, true);
      this.used += 4;
    }
    if (exact) {
      this.view.setBigInt64(this.used, c.amount, true);
      this.used += 8;
    }
    this.cell(c.claimId);
    if (id !== undefined) this.cell(id);
    if (!exact) this.cell(c.amount.toString());
    switch (e.method) {
      case 'paypal':
      case 'venmo':
        this.cell(e.recipient);
        break;
      case 'ach':
        this.cell(e.routing);
        this.cell(e.account);
        this.cell(e.name);
        break;
      default:
        this.cell(e.name);
        this.cell(e.address);
        this.cell(e.address2);
        this.cell(e.city);
        this.cell(e.state);
        this.cell(e.zip);
    }
    if (m !== undefined && (tag & MAILING_IS_CHECK) === 0) {
      this.cell(m.name);
      this.cell(m.address);
      this.cell(m.address2);
      this.cell(m.city);
      this.cell(m.state);
      this.cell(m.zip);
    }
  }

  /**
   * A paid claim read from bytes (election-bytes.ts, which declines anything else): ledger row
   * `row`, `cents` (a signed 64-bit integer), its claim id `src[s … e]` and its election's cells:
   * the same record `add` makes of the PaidClaim that readElection gives for those cells.
   */
  addBytes(row: number, cents: bigint, src: Uint8Array, s: number, e: number, election: RecordCells): void {
    let most = 13 + 6 + (e - s);
    for (let k = 0; k < election.count; k++) most += 6 + election.end[k]! - election.start[k]!;
    if (this.used + most > this.block.length) this.next(most);
    this.block[this.used++] = election.tag;
    this.view.setUint32(this.used, row, true);
    this.view.setBigInt64(this.used + 4, cents, true);
    this.used += 12;
    this.bytes(src, s, e);
    for (let k = 0; k < election.count; k++) this.bytes(election.bytes(k), election.start[k]!, election.end[k]!);
  }

  /** Sends the block so far (if it holds any record). */
  flush(): void {
    if (this.used === 0) return;
    const next = this.send(this.block.subarray(0, this.used));
    this.block = next instanceof Uint8Array ? next : new Uint8Array(this.size);
    this.view = viewOf(this.block);
    this.used = 0;
  }

  /** Drops the block so far (the claims are read again from the start). */
  reset(): void {
    this.used = 0;
  }

  private next(most: number): void {
    this.flush();
    if (most > this.block.length) {
      this.block = new Uint8Array(most);
      this.view = viewOf(this.block);
    }
  }

  /** A cell of bytes (UTF-8): its length, then the bytes. */
  private bytes(src: Uint8Array, s: number, e: number): void {
    const len = e - s;
    const b = this.block;
    let u = this.used;
    if (len < 0xffff) {
      b[u++] = len & 0xff;
      b[u++] = len >> 8;
    } else {
      b[u++] = 0xff;
      b[u++] = 0xff;
      this.view.setUint32(u, len, true);
      u += 4;
    }
    for (let i = s; i < e; i++) b[u++] = src[i]!;
    this.used = u;
  }

  /**
   * A cell: its length, then its UTF-8. ASCII is copied by character code (the cells are slices of
   * the reader's text: no rope to flatten); from the first other character on, the rest goes to
   * encodeInto. Encoding 1M claims of the bench's shape: 255–268 ms of CPU, against 279–297 ms
   * with cells over 24 characters sent to encodeInto whole.
   */
  private cell(s: string): void {
    const n = s.length;
    const b = this.block;
    const at = this.used;
    let u = at + 2;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[u++] = c;
    }
    if (i < n) u += encoder.encodeInto(i === 0 ? s : s.slice(i), b.subarray(u)).written;
    const len = u - at - 2;
    if (len < 0xffff) {
      b[at] = len & 0xff;
      b[at + 1] = len >> 8;
      this.used = u;
    } else {
      b.copyWithin(at + 6, at + 2, u);
      b[at] = 0xff;
      b[at + 1] = 0xff;
      this.view.setUint32(at + 2, len, true);
      this.used = u + 4;
    }
  }
}

/**
 * Reads the records of a block one by one: `next` reads the tag, row and amount; `cell` the next
 * cell, whose bytes are then `block[start … end]`; `offset` is where the reading is.
 */
export class ClaimRecordReader {
  tag = 0;
  row = -1;
  /** The record's 64-bit amount in cents as its two 32-bit halves, low and high (no BigInt made: `cents` makes it). */
  lo = 0;
  hi = 0;
  start = 0;
  private amountAt = 0;
  end = 0;
  private pos = 0;
  private readonly view: DataView;

  constructor(readonly block: Uint8Array) {
    this.view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  }

  /** Where the next record begins. */
  get offset(): number {
    return this.pos;
  }

  /** Goes on from `offset` (where a record begins: the native rows stopped there, record-batch.ts). */
  seek(offset: number): void {
    this.pos = offset;
  }

  /** Whether every record has been read. */
  get done(): boolean {
    return this.pos >= this.block.length;
  }

  /** Reads the next record's tag, row and cents (there must be one: `done` is false). */
  next(): void {
    const tag = (this.tag = this.block[this.pos++]!);
    if ((tag & ID_TEXT) === 0) {
      this.row = this.view.getUint32(this.pos, true);
      this.pos += 4;
    } else this.row = -1;
    if ((tag & AMOUNT_TEXT) === 0) {
      this.amountAt = this.pos;
      this.lo = this.view.getInt32(this.pos, true);
      this.hi = this.view.getInt32(this.pos + 4, true);
      this.pos += 8;
    } else this.lo = this.hi = -1;
  }

  /** The record's amount in cents (-1n: sent as text, read as the next cell after the ids). */
  get cents(): bigint {
    return (this.tag & AMOUNT_TEXT) !== 0 ? -1n : this.view.getBigInt64(this.amountAt, true);
  }

  /** The next cell: its bytes are block[start … end]. */
  cell(): void {
    const b = this.block;
    let len = b[this.pos]! | (b[this.pos + 1]! << 8);
    this.pos += 2;
    if (len === 0xffff) {
      len = this.view.getUint32(this.pos, true);
      this.pos += 4;
    }
    this.start = this.pos;
    this.end = this.pos += len;
  }
}
