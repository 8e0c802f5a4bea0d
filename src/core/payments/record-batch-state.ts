/**
 * Two pieces of state the records' batch builder (record-batch.ts) keeps claim by claim: the
 * amounts it has met, and the payment ids' 8 bytes it has written (to find two claims with one id).
 */
import { idBits } from './batch.js';
import type { ClaimRecordReader } from './claim-records.js';
import { duplicateIds } from './duplicate-ids.js';

const AMOUNT_SLOTS = 256;

/**
 * A run pays few distinct amounts (a share per class and units, give or take a cent): an amount's
 * BigInt and digits are kept by its 64 bits, not made again for every claim.
 */
export class AmountMemo {
  private readonly lo = new Int32Array(AMOUNT_SLOTS);
  private readonly hi = new Int32Array(AMOUNT_SLOTS);
  private readonly centsOf: bigint[] = new Array<bigint>(AMOUNT_SLOTS).fill(0n);
  private readonly digitsOf: string[] = new Array<string>(AMOUNT_SLOTS).fill('');
  /** The last amount taken: its cents and their decimal digits. */
  cents = 0n;
  digits = '';

  /** The record's amount (read after `r.next()`), into `cents` and `digits`. */
  take(r: ClaimRecordReader): void {
    const lo = r.lo;
    const hi = r.hi;
    const k = (lo ^ (lo >>> 11)) & (AMOUNT_SLOTS - 1);
    const known = this.digitsOf[k]!;
    if (known !== '' && this.lo[k] === lo && this.hi[k] === hi) {
      this.cents = this.centsOf[k]!;
      this.digits = known;
      return;
    }
    const cents = r.cents;
    const digits = cents.toString();
    this.lo[k] = lo;
    this.hi[k] = hi;
    this.centsOf[k] = cents;
    this.digitsOf[k] = digits;
    this.cents = cents;
    this.digits = digits;
  }

  /** An amount given as text (over 2^63 cents): its cents and digits, not kept. */
  takeBig(cents: bigint): void {
    this.cents = cents;
    this.digits = cents.toString();
  }
}

/** The payment ids' 8 bytes, one after another as 32-bit words, as the claims are built. */
export class PaymentIdWords {
  private words: Uint32Array;
  private count = 0;
  /** `digests` as 32-bit words, when it is aligned for them (then ids are copied two words at a time). */
  private readonly digestWords: Uint32Array | undefined;

  /** `digests`: every ledger row's 8 bytes (the payment-id worker's), `rows` of them at most. */
  constructor(private readonly digests: Uint8Array) {
    this.words = new Uint32Array(Math.max(2 << 16, (digests.length >> 3) * 2));
    this.digestWords = digests.byteOffset % 4 === 0 ? new Uint32Array(digests.buffer, digests.byteOffset, digests.length >> 2) : undefined;
  }

  /** Room for one more id; its first word's index. */
  private next(): number {
    if (this.count * 2 === this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    return this.count++ * 2;
  }

  /** The id of ledger row `row`, from the digests (made sure of by the caller). */
  addRow(row: number): void {
    const io = this.next();
    const iw = this.words;
    const idAt = row * 8;
    const dw = this.digestWords;
    if (dw !== undefined) {
      iw[io] = dw[idAt >> 2]!;
      iw[io + 1] = dw[(idAt >> 2) + 1]!;
    } else {
      const d = this.digests;
      const ib = new Uint8Array(iw.buffer, io * 4, 8);
      for (let i = 0; i < 8; i++) ib[i] = d[idAt + i]!;
    }
  }

  /** An id given as text (a claim with no ledger row of its own): its 8 bytes. */
  addText(textId: string): void {
    const io = this.next();
    let bits = idBits(textId);
    const ib = new Uint8Array(this.words.buffer, io * 4, 8);
    for (let i = 7; i >= 0; i--) {
      ib[i] = Number(bits & 0xffn);
      bits >>= 8n;
    }
  }

  /** The ids met more than once. */
  duplicates(): string[] {
    return duplicateIds(new Uint8Array(this.words.buffer), this.count);
  }
}
