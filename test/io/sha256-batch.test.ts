/**
 * The batched SHA-256 (io/sha256-batch.ts): the native addon (src/native/sha256_batch.c, built by
 * `npm run build` when a C compiler is there) and its node:crypto fallback give the bytes of one
 * node:crypto call per message, for any message lengths, batch sizes, heads, digest prefixes and
 * odd tree levels; both refuse arguments that would read or write out of bounds, with the same
 * errors; and the places that use it (tie keys, payment ids) give the same bytes with and without
 * it. The receipts leaves and levels made with the addon are compared with node:crypto's in
 * test/receipts/receipts-root.test.ts (allocationReceiptsRoot, batched, against ledgerReceiptsRoot,
 * one call a hash) and end to end in test/cli/native-sha256.test.ts.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextLevel } from '../../src/core/merkle.js';
import { batchDigests, digestInto } from '../../src/io/payments/payment-ids.js';
import { LedgerIds } from '../../src/io/payments/ledger-ids.js';
import { sha256Into } from '../../src/io/receipts-leaves.js';
import { fallbackSha256Batch, hashesRight, loadNativeSha256, nativeAddonPath, sha256Batch, type Sha256Batch } from '../../src/io/sha256-batch.js';
import { batchKeyPrefixes, tieKeyPrefixer } from '../../src/io/tie-keys.js';
import { ledgerLeaves, ledgerReceiptsRoot } from '../../src/io/receipts-root.js';
import { allocate } from '../../src/core/allocate.js';
import { allocationLedger } from '../../src/core/expected-ledger.js';
import { tieKeyer } from '../../src/io/hash.js';
import { makeBulkTable, makePlan } from '../helpers/make-table.js';
import { tempDir } from '../helpers/tmp.js';

const sha = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

const addonPath = nativeAddonPath();
const native = addonPath !== undefined ? loadNativeSha256(addonPath) : undefined;
const implementations: Array<[string, Sha256Batch]> = [['node:crypto loop', fallbackSha256Batch]];
if (native !== undefined) implementations.push(['native addon', native]);

/** What `many` must give: one node:crypto call per message. */
function expectedMany(bytes: Uint8Array, ends: Uint32Array, head: Uint8Array, take: number, first: number): Uint8Array {
  const out = new Uint8Array(ends.length * take);
  let from = first;
  ends.forEach((to, i) => {
    const m = new Uint8Array(head.length + to - from);
    m.set(head);
    m.set(bytes.subarray(from, to), head.length);
    out.set(sha(m).subarray(0, take), i * take);
    from = to;
  });
  return out;
}

const batchArb = fc
  .record({
    lengths: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 2000 }),
    head: fc.uint8Array({ maxLength: 80 }),
    take: fc.integer({ min: 1, max: 32 }),
    first: fc.integer({ min: 0, max: 70 }),
    seed: fc.integer(),
  })
  .map(({ lengths, head, take, first, seed }) => {
    let total = first;
    const ends = new Uint32Array(lengths.length);
    lengths.forEach((n, i) => {
      total += n;
      ends[i] = total;
    });
    const bytes = new Uint8Array(total + (seed & 7)); // sometimes bytes past the last message
    let x = seed | 1;
    for (let i = 0; i < bytes.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
    return { bytes, ends, head, take, first };
  });

describe('the native addon', () => {
  it('is built by npm run build where a C compiler is, and chosen unless PAYOUT_NATIVE=0', () => {
    // Without a compiler the build says so and payout uses node:crypto; the tests below then check
    // the fallback only. CI installs the compiler (.ci/run): there the addon must be there.
    if (addonPath === undefined) {
      if (process.env.CI) throw new Error('dist/native/payout_sha256.node is missing: npm run build did not build the addon');
      console.warn('sha256-batch.test.ts: no native addon in dist/native/ (no C compiler?): checking the node:crypto fallback only');
      return;
    }
    expect(native?.native).toBe(true);
    expect(sha256Batch().native).toBe(process.env.PAYOUT_NATIVE !== '0');
  });
});

describe('an addon that does not hash as node:crypto does', () => {
  const dir = tempDir();
  // Stand-ins for a stale or foreign payout_sha256.node: modules with the addon's three hashing functions.
  const module = (name: string, body: string): string =>
    dir.write(name, `const c = require('node:crypto');\nconst f = (b) => c.createHash('sha256').update(b).digest();\n${body}`);
  const right = `exports.many = (bytes, ends, out, head = new Uint8Array(0), take = 32, first = 0) => {
  let from = first;
  ends.forEach((to, i) => { out.set(f(Buffer.concat([head, bytes.subarray(from, to)])).subarray(0, take), i * take); from = to; });
};
exports.level = (d, count, out) => {
  let i = 0;
  for (; i + 1 < count; i += 2) out.set(f(Buffer.concat([Uint8Array.of(1), d.subarray(32 * i, 32 * i + 64)])), 16 * i);
  if (count % 2) out.set(d.slice(32 * (count - 1), 32 * count), 16 * (count - 1));
};
exports.leaves = (head, ids, idEnds, rows, sfx, sEnds, keys, out) => {
  const at = (ends, k) => [k === 0 ? 0 : ends[k - 1], ends[k]];
  keys.forEach((k, i) => {
    const [from, to] = at(idEnds, typeof rows === 'number' ? rows + i : rows[i]);
    const [sFrom, sTo] = at(sEnds, k);
    out.set(f(Buffer.concat([head, Buffer.from(String(to - from) + ':'), ids.subarray(from, to), Buffer.from(','), sfx.subarray(sFrom, sTo)])), 32 * i);
  });
};`;

  it('is not used: loadNativeSha256 gives undefined, and sha256Batch would fall back to node:crypto', () => {
    expect(loadNativeSha256(module('right.cjs', right))?.native).toBe(true);
    for (const [name, wrong] of [
      ['zeros.cjs', 'exports.many = () => undefined;\nexports.level = () => undefined;'],
      ['no-head.cjs', right.replace('head = new Uint8Array(0)', 'headIgnored, head = new Uint8Array(0)')],
      ['full-digest.cjs', right.replace('.subarray(0, take), i * take', ', i * take')],
      ['no-first.cjs', right.replace('let from = first', 'let from = 0')],
      ['no-odd-promotion.cjs', right.replace('if (count % 2)', 'if (false)')],
      ['throws.cjs', `${right}\nexports.level = () => { throw new Error('x'); };`],
      ['no-leaves.cjs', `${right}\ndelete exports.leaves;`], // built from sources older than leaves
      ['leaves-no-length.cjs', right.replace("String(to - from) + ':'", "':'")],
    ]) {
      expect(loadNativeSha256(module(name!, wrong!)), name).toBeUndefined();
    }
  });

  it('hashesRight holds for the node:crypto loop and the built addon', () => {
    expect(hashesRight(fallbackSha256Batch)).toBe(true);
    if (native !== undefined) expect(hashesRight(native)).toBe(true);
  });
});

describe.each(implementations)('%s', (_, batch) => {
  it('many: each message hashed as one node:crypto call would (random lengths 0..300, batches 0..2000, heads, prefixes)', () => {
    fc.assert(
      fc.property(batchArb, ({ bytes, ends, head, take, first }) => {
        const out = new Uint8Array(ends.length * take + 5).fill(0xee);
        batch.many(bytes, ends, out, head.length > 0 ? head : undefined, take, first);
        expect(Buffer.from(out.subarray(0, ends.length * take)).equals(Buffer.from(expectedMany(bytes, ends, head, take, first)))).toBe(true);
        expect([...out.subarray(ends.length * take)]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee]); // nothing written past the digests
      }),
      { numRuns: 60 },
    );
  });

  it('many: defaults (no head, 32 bytes, from 0), views at an offset and shared memory', () => {
    const bytes = new Uint8Array(new SharedArrayBuffer(200)).map((_, i) => i);
    const view = bytes.subarray(7, 150);
    const ends = Uint32Array.of(0, 64, 64, 143);
    const out = new Uint8Array(new SharedArrayBuffer(4 * 32 + 16)).subarray(16);
    batch.many(view, ends, out);
    expect(Buffer.from(out).equals(Buffer.from(expectedMany(view, ends, new Uint8Array(0), 32, 0)))).toBe(true);
    expect(Buffer.from(out.subarray(0, 32)).toString('hex')).toBe(createHash('sha256').update('').digest('hex'));
  });

  it('many and level: ends at an offset, and detached buffers (length 0) refused, not read', () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => i);
    const ends = Uint32Array.of(99, 5, 40, 99).subarray(1, 3);
    const out = new Uint8Array(64);
    batch.many(bytes, ends, out);
    expect(Buffer.from(out).equals(Buffer.from(expectedMany(bytes, ends, new Uint8Array(0), 32, 0)))).toBe(true);
    const detach = <T extends Uint8Array | Uint32Array>(a: T): T => {
      structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
      return a;
    };
    const untouched = new Uint8Array(64).fill(7);
    expect(() => batch.many(detach(Uint8Array.from(bytes)), Uint32Array.of(5), untouched)).toThrow(RangeError);
    expect(() => batch.many(bytes, Uint32Array.of(5), detach(new Uint8Array(64)))).toThrow(RangeError);
    expect(() => batch.level(detach(new Uint8Array(64)), 2, untouched)).toThrow(RangeError);
    expect(() => batch.level(new Uint8Array(64), 2, detach(new Uint8Array(64)))).toThrow(RangeError);
    expect(untouched.every((b) => b === 7)).toBe(true);
    // A detached `ends` is an empty batch: nothing hashed, nothing written.
    batch.many(bytes, detach(Uint32Array.of(5)), untouched);
    expect(untouched.every((b) => b === 7)).toBe(true);
  });

  it('level: the next level of core/merkle.ts for any count, odd ones promoting their last digest, also in place', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer(), (count, seed) => {
        const digests = new Uint8Array(count * 32).map((_, i) => (i * 131 + seed) & 0xff);
        const want = nextLevel(digests, count, sha256Into);
        const out = new Uint8Array(Math.ceil(count / 2) * 32);
        batch.level(digests, count, out);
        expect(Buffer.from(out).equals(Buffer.from(want))).toBe(true);
        const inPlace = digests.slice();
        batch.level(inPlace, count, inPlace);
        expect(Buffer.from(inPlace.subarray(0, out.length)).equals(Buffer.from(want))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses what would read or write out of bounds, and wrong types, before writing anything', () => {
    const bytes = new Uint8Array(10);
    const out = new Uint8Array(64).fill(7);
    const cases: Array<[() => void, ErrorConstructor]> = [
      [() => batch.many(bytes, Uint32Array.of(5, 11), out), RangeError], // past the end of bytes
      [() => batch.many(bytes, Uint32Array.of(5, 4), out), RangeError], // ends going back
      [() => batch.many(bytes, Uint32Array.of(3), out, undefined, 32, 4), RangeError], // first after the first end
      [() => batch.many(bytes, Uint32Array.of(3), out, undefined, 32, 11), RangeError], // first past the end
      [() => batch.many(bytes, Uint32Array.of(1, 2, 3), out), RangeError], // out holds 2 digests, not 3
      [() => batch.many(bytes, Uint32Array.of(1, 2, 3), out, undefined, 22), RangeError],
      [() => batch.many(bytes, Uint32Array.of(1), out, undefined, 0), RangeError],
      [() => batch.many(bytes, Uint32Array.of(1), out, undefined, 33), RangeError],
      [() => batch.many(bytes, Uint32Array.of(1), out, undefined, 1.5), TypeError],
      [() => batch.many(bytes, Uint32Array.of(1), out, undefined, 32, -1), TypeError],
      [() => batch.many(bytes, Int32Array.of(1) as unknown as Uint32Array, out), TypeError],
      [() => batch.many(Array.from(bytes) as unknown as Uint8Array, Uint32Array.of(1), out), TypeError],
      [() => batch.many(bytes, Uint32Array.of(1), new Uint16Array(32) as unknown as Uint8Array), TypeError],
      [() => batch.many(bytes, Uint32Array.of(1), out, 'seed:' as unknown as Uint8Array), TypeError],
      [() => (batch.many as (...a: unknown[]) => void)(bytes, Uint32Array.of(1)), TypeError],
      [() => batch.level(new Uint8Array(95), 3, out), RangeError], // 3 digests need 96 bytes
      [() => batch.level(new Uint8Array(160), 5, out), RangeError], // 3 nodes need 96 bytes of out
      [() => batch.level(new Uint8Array(64), -1, out), TypeError],
      [() => batch.level(new Uint8Array(64), 2 ** 32, out), TypeError],
      [() => batch.level(new Uint8Array(64), '2' as unknown as number, out), TypeError],
      [() => batch.level(new Uint8Array(64), 2, new Uint32Array(8) as unknown as Uint8Array), TypeError],
    ];
    for (const [call, type] of cases) {
      expect(call).toThrow(type);
      expect(out.every((b) => b === 7)).toBe(true);
    }
    // Empty batches and levels are fine: nothing to hash.
    batch.many(new Uint8Array(0), new Uint32Array(0), new Uint8Array(0));
    batch.level(new Uint8Array(0), 0, new Uint8Array(0));
  });

  it('tie keys: batchKeyPrefixes gives the prefixes tieKeyPrefixer does, 0 where skipped', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => (i % 11 === 0 ? `Zoë-${i}` : `C${i}`));
    const enc = ids.map((s) => Buffer.from(s, 'utf8'));
    const bytes = Buffer.concat(enc);
    let end = 0;
    const ends = Uint32Array.from(enc, (b) => (end += b.length));
    const skip = Uint8Array.from(ids, (_, i) => (i % 5 === 0 ? 1 : 0));
    const slow = tieKeyPrefixer('tie-seed');
    const got = batchKeyPrefixes(batch, Buffer.from('tie-seed:'), bytes, ends, skip);
    expect(Array.from(got)).toEqual(ids.map((id, i) => (skip[i] ? 0 : slow(id))));
  });

  it('payment ids: batchDigests gives the bytes digestInto does, across strings of ids, ASCII or not', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => (i >= 2048 && i < 3000 && i % 3 === 0 ? `Zoë-${i}` : `PX-${i}`));
    const ledgerIds = LedgerIds.from(ids, 10); // 1,024 ids a string: some all ASCII, some not
    const prefix = 'seed-1:payment:2:';
    const want = new Uint8Array(ids.length * 8);
    ids.forEach((id, r) => digestInto(nodeCrypto, prefix, id, want, r * 8));
    const got = new Uint8Array(ids.length * 8);
    const told: number[] = [];
    batchDigests(batch, Buffer.from(prefix), ledgerIds.texts, ledgerIds.starts, ids.length, ledgerIds.shift, got, (n) => told.push(n), 300);
    expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
    expect(told.at(-1)).toBe(ids.length);
    expect(told.every((n, i) => i === 0 || n > told[i - 1]!)).toBe(true);
  });

  it('a ledger given cell by cell: the leaves and root of one node:crypto call a hash (0, 1, odd and several batches of rows, kept cells not ASCII)', () => {
    const plan = makePlan({ gross: '100000.00', classes: [{ id: 'nationwide', weight: '1' }, { id: 'illinois', weight: '6' }] });
    for (const rows of [0, 1, 1025, 3001]) {
      const table = makeBulkTable(plan, [
        { class: 'nationwide', count: Math.ceil(rows / 2) },
        { class: 'illinois', count: Math.floor(rows / 2) },
      ]);
      const kept = Array.from({ length: table.count }, (_, i) => (i % 3 === 0 ? 'paypal' : i % 3 === 1 ? '=check' : 'Zoë, "venmo" ✓'));
      const t = { ...table, kept: new Map([['payment_method', kept]]) };
      const ledger = allocationLedger(plan, t, allocate(plan, t, tieKeyer(plan.seed)), ['payment_method']);
      const want = ledgerLeaves(ledger, fallbackSha256Batch);
      expect(Buffer.from(ledgerLeaves(ledger, batch).leaves).equals(Buffer.from(want.leaves))).toBe(true);
      expect(ledgerReceiptsRoot(ledger, batch)).toEqual(ledgerReceiptsRoot(ledger, fallbackSha256Batch));
    }
  });
});
