/**
 * Two pieces of state the records' batch builder (record-batch.ts) keeps claim by claim: the
 * amounts it has met, and the payment ids' 8 bytes it has written (to find two claims with one id).
 */
import { idBits } from './batch.js';
import type { ClaimRecordReader } from './claim-records.js';
import { duplicateIds } from './duplicate-ids.js';
import { putCents } from './record-cells.js';

const AMOUNT_SLOTS = 256;
/** Sums an AmountMemo keeps apart (AmountMemo.count): the builder's methods, files and the like. */
export const AMOUNT_SUMS = 5;

/**
 * A run pays few distinct amounts (a share per class and units, give or take a cent): an amount's
 * BigInt and digits are kept by its 64 bits, not made again for every claim. The amounts are
 * summed the same way: each slot counts the claims paid its amount, per sum (`count`), and a sum
 * is its amounts times their counts when it is asked for (`drain`), or when the slot is given to
 * another amount: no bigint is added per claim (docs/payments.md, "Performance").
 */
export class AmountMemo {
  private readonly lo = new Int32Array(AMOUNT_SLOTS);
  private readonly hi = new Int32Array(AMOUNT_SLOTS);
  private readonly centsOf: bigint[] = new Array<bigint>(AMOUNT_SLOTS).fill(0n);
  private readonly digitsOf: string[] = new Array<string>(AMOUNT_SLOTS).fill('');
  private readonly moneyOf: Uint8Array[] = new Array<Uint8Array>(AMOUNT_SLOTS).fill(new Uint8Array(0));
  /** Claims counted per slot and sum (slot · AMOUNT_SUMS + sum), since the sum was last drained. */
  private readonly counted = new Float64Array(AMOUNT_SLOTS * AMOUNT_SUMS);
  /** Per sum, what slots given to another amount had counted (and amounts over 2^63 cents). */
  private readonly owed: bigint[] = new Array<bigint>(AMOUNT_SUMS).fill(0n);
  /** The slot of the last amount taken; -1: not kept (takeBig). */
  private slot = -1;
  /** The last amount taken: its cents, their decimal digits, and its text as formatMoney writes it ("43.91"), in ASCII bytes. */
  cents = 0n;
  digits = '';
  money: Uint8Array = new Uint8Array(0);

  /** The record's amount (read after `r.next()`), into `cents` and `digits`. */
  take(r: ClaimRecordReader): void {
    const lo = r.lo;
    const hi = r.hi;
    const k = (lo ^ (lo >>> 11)) & (AMOUNT_SLOTS - 1);
    this.slot = k;
    const known = this.digitsOf[k]!;
    if (known !== '' && this.lo[k] === lo && this.hi[k] === hi) {
      this.cents = this.centsOf[k]!;
      this.digits = known;
      this.money = this.moneyOf[k]!;
      return;
    }
    if (known !== '') this.settle(k);
    const cents = r.cents;
    const digits = cents.toString();
    this.lo[k] = lo;
    this.hi[k] = hi;
    this.centsOf[k] = cents;
    this.digitsOf[k] = digits;
    this.moneyOf[k] = this.money = moneyBytes(digits);
    this.cents = cents;
    this.digits = digits;
  }

  /** An amount given as text (over 2^63 cents): its cents and digits, not kept. */
  takeBig(cents: bigint): void {
    this.slot = -1;
    this.cents = cents;
    this.digits = cents.toString();
    this.money = moneyBytes(this.digits);
  }

  /** Adds the last amount taken to sum `sum` (0 … AMOUNT_SUMS − 1). */
  count(sum: number): void {
    if (this.slot >= 0) {
      const i = this.slot * AMOUNT_SUMS + sum;
      this.counted[i] = this.counted[i]! + 1;
    }
    else this.owed[sum] = this.owed[sum]! + this.cents;
  }

  /** Adds `cents` to sum `sum` (what the native rows summed, record-batch-native.ts). */
  owe(sum: number, cents: bigint): void {
    this.owed[sum] = this.owed[sum]! + cents;
  }

  /** Sum `sum`: the amounts counted into it since it was last drained; it starts again from 0. */
  drain(sum: number): bigint {
    let total = this.owed[sum]!;
    this.owed[sum] = 0n;
    const counted = this.counted;
    for (let k = 0; k < AMOUNT_SLOTS; k++) {
      const n = counted[k * AMOUNT_SUMS + sum]!;
      if (n === 0) continue;
      total += BigInt(n) * this.centsOf[k]!;
      counted[k * AMOUNT_SUMS + sum] = 0;
    }
    return total;
  }

  /** Slot `k`'s counts, owed before the slot takes another amount. */
  private settle(k: number): void {
    const counted = this.counted;
    for (let sum = 0; sum < AMOUNT_SUMS; sum++) {
      const n = counted[k * AMOUNT_SUMS + sum]!;
      if (n === 0) continue;
      this.owed[sum] = this.owed[sum]! + BigInt(n) * this.centsOf[k]!;
      counted[k * AMOUNT_SUMS + sum] = 0;
    }
  }
}

/** An amount's text (putCents of its digits) as bytes of its own: copied into each row, not made again. */
function moneyBytes(digits: string): Uint8Array {
  const b = new Uint8Array(digits.length + 3);
  return b.subarray(0, putCents(b, 0, digits));
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
