import { describe, expect, it } from 'vitest';
import { paymentIdMaker } from '../../src/app/pay.js';
import { PAYMENT_ID_WORKER_MIN_ROWS, PaymentIds } from '../../src/io/payments/payment-ids.js';
import { LedgerIds } from '../../src/io/payments/ledger-ids.js';

describe('PaymentIds', () => {
  const ids = Array.from({ length: PAYMENT_ID_WORKER_MIN_ROWS + 123 }, (_, i) => (i % 7 === 0 ? `Zoë-${i}` : `PX-${String(i).padStart(7, '0')}`));
  const slow = paymentIdMaker('seed-1', 2);

  for (const worker of [true, false]) {
    it(`gives the ids (and their 64 bits) paymentIdMaker gives, ${worker ? 'hashed on a worker thread' : 'on this thread'}`, () => {
      // The ledger's ids in strings of 2^12 ids each (2^20 in a run): the worker reads them across strings.
      const fast = new PaymentIds('seed-1', 2, LedgerIds.from(ids, 12), { worker });
      try {
        // The first rows are wanted at once, before the worker has started: hashed here, not waited for.
        expect(fast.id(0)).toBe(slow(ids[0]!));
        expect(fast.aheadOfWorker).toBe(worker ? 1 : 0);
        for (let r = 0; r < ids.length; r += r < 5000 ? 1 : 97) {
          const id = slow(ids[r]!);
          expect(fast.id(r)).toBe(id);
          expect(fast.bits(r)).toBe(BigInt(`0x${id.slice(-16)}`));
        }
        const last = ids.length - 1;
        expect(fast.id(last)).toBe(slow(ids[last]!));
      } finally {
        fast.close();
      }
    });
  }
});
