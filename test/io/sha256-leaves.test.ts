/**
 * The batched SHA-256's `leaves` (io/sha256-batch.ts, src/native/sha256_batch.c): the receipts
 * tree's leaf messages assembled from claim ids and suffixes and hashed, by the native addon and
 * by its node:crypto fallback. Both give one node:crypto call per message assembled by hand
 * (head ‖ decimal(id's byte length) ‖ ':' ‖ id ‖ ',' ‖ suffix), for ids of 0 to 300 bytes, ASCII
 * or not, across the 10, 100 and 256 byte boundaries, rows given or from a start; both refuse,
 * with the same errors and before writing anything, every argument that would read or write out of
 * bounds. An addon without `leaves` (one built from older sources) is not used.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fallbackSha256Batch, hashesRight, loadNativeSha256, nativeAddonPath, type Sha256Batch } from '../../src/io/sha256-batch.js';

const addonPath = nativeAddonPath();
const native = addonPath !== undefined ? loadNativeSha256(addonPath) : undefined;
const implementations: Array<[string, Sha256Batch]> = [['node:crypto loop', fallbackSha256Batch]];
if (native !== undefined) implementations.push(['native addon', native]);

/** Byte strings one after another, and where each ends. */
function packed(parts: Uint8Array[]): { bytes: Uint8Array; ends: Uint32Array } {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const ends = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((p, i) => {
    bytes.set(p, at);
    ends[i] = at += p.length;
  });
  return { bytes, ends };
}

/** What `leaves` must give: one node:crypto call per message, assembled here. */
function expected(head: Uint8Array, ids: Uint8Array[], rows: number[], suffixes: Uint8Array[], keys: number[]): Buffer {
  return Buffer.concat(
    keys.map((k, i) => {
      const id = ids[rows[i]!]!;
      return createHash('sha256')
        .update(head)
        .update(`${id.length}:`)
        .update(id)
        .update(',')
        .update(suffixes[k]!)
        .digest();
    }),
  );
}

/** Lengths around the places the length's decimal or a buffer could go wrong, and any up to 300. */
const idLength = fc.oneof(fc.constantFrom(0, 1, 9, 10, 11, 99, 100, 101, 255, 256, 257, 300), fc.integer({ min: 0, max: 300 }));
/** An id of `n` bytes: ASCII, or UTF-8 with two-, three- and four-byte characters, or any bytes. */
const idArb = fc.tuple(idLength, fc.constantFrom('ascii', 'utf8', 'bytes'), fc.integer()).map(([n, kind, seed]) => {
  if (kind === 'bytes') return Uint8Array.from({ length: n }, (_, i) => (seed + i * 167) & 0xff);
  const chars = kind === 'ascii' ? ['C', '-', '7', 'x'] : ['ë', '✓', '😀', 'a'];
  let text = '';
  for (let i = 0; Buffer.byteLength(text) < n; i++) text += chars[(seed + i) & 3];
  return new Uint8Array(Buffer.from(text)); // n bytes or up to 3 more
});

const caseArb = fc
  .record({
    head: fc.uint8Array({ maxLength: 40 }),
    ids: fc.array(idArb, { minLength: 1, maxLength: 60 }),
    suffixes: fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 12 }),
    picks: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 120 }),
    start: fc.nat(),
    given: fc.boolean(),
  })
  .map(({ head, ids, suffixes, picks, start, given }) => {
    // Rows given (any order, repeats) or from a start row; keys any suffix, repeats too.
    const n = given ? picks.length : Math.min(picks.length, ids.length - (start % ids.length));
    const from = start % ids.length;
    const rows = given ? picks.map(([r]) => r % ids.length) : Array.from({ length: n }, (_, i) => from + i);
    const keys = picks.slice(0, n).map(([, k]) => k % suffixes.length);
    return { head, ids, suffixes, rows, keys, given, from };
  });

describe.each(implementations)('%s: leaves', (_, batch) => {
  it('hashes head ‖ netstring(id) ‖ suffix per position, rows given or from a start', () => {
    fc.assert(
      fc.property(caseArb, ({ head, ids, suffixes, rows, keys, given, from }) => {
        const id = packed(ids);
        const sfx = packed(suffixes);
        const out = new Uint8Array(keys.length * 32 + 5).fill(0xee);
        batch.leaves(head, id.bytes, id.ends, given ? Uint32Array.from(rows) : from, sfx.bytes, sfx.ends, Uint32Array.from(keys), out);
        expect(Buffer.from(out.subarray(0, keys.length * 32)).equals(expected(head, ids, rows, suffixes, keys))).toBe(true);
        expect([...out.subarray(keys.length * 32)]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee]); // nothing past the digests
      }),
      { numRuns: 80 },
    );
  });

  it('a leaf as core/merkle.ts makes it: 0x00 ‖ netstring("claim_id") ‖ netstring(id) ‖ the other fields', () => {
    const head = new Uint8Array(Buffer.from('\x008:claim_id,'));
    const ids = ['A-1', 'Zoë-100000', 'x'.repeat(256)].map((s) => new Uint8Array(Buffer.from(s)));
    const suffix = new Uint8Array(Buffer.from('5:class,4:west,6:amount,4:1.25,'));
    const id = packed(ids);
    const out = new Uint8Array(96);
    batch.leaves(head, id.bytes, id.ends, Uint32Array.of(2, 0, 1), suffix, Uint32Array.of(suffix.length), Uint32Array.of(0, 0, 0), out);
    const want = [`256:${'x'.repeat(256)},`, '3:A-1,', '11:Zoë-100000,'].map((ns) =>
      createHash('sha256').update(`\x008:claim_id,${ns}5:class,4:west,6:amount,4:1.25,`).digest(),
    );
    expect(Buffer.from(out).equals(Buffer.concat(want))).toBe(true);
  });

  it('reads ids, ends and keys from shared memory and views at an offset', () => {
    const ids = ['a', 'bb', 'Zoë'].map((s) => new Uint8Array(Buffer.from(s)));
    const id = packed(ids);
    const bytes = new Uint8Array(new SharedArrayBuffer(id.bytes.length + 3)).subarray(3);
    bytes.set(id.bytes);
    const ends = new Uint32Array(new SharedArrayBuffer(16)).subarray(1);
    ends.set(id.ends);
    const keys = Uint32Array.of(9, 0, 0, 0).subarray(1);
    const out = new Uint8Array(new SharedArrayBuffer(96 + 8)).subarray(8);
    batch.leaves(new Uint8Array(0), bytes, ends, 0, new Uint8Array(0), Uint32Array.of(0), keys, out);
    expect(Buffer.from(out).equals(expected(new Uint8Array(0), ids, [0, 1, 2], [new Uint8Array(0)], [0, 0, 0]))).toBe(true);
  });

  it('refuses what would read or write out of bounds, and wrong types, before writing anything', () => {
    const h = new Uint8Array(2);
    const ids = new Uint8Array(10);
    const ends = Uint32Array.of(3, 7, 10);
    const sfx = new Uint8Array(6);
    const sEnds = Uint32Array.of(2, 6);
    const keys = Uint32Array.of(0, 1);
    const out = new Uint8Array(64).fill(7);
    const call = (...args: unknown[]) => () => (batch.leaves as (...a: unknown[]) => void)(...args);
    const cases: Array<[() => void, ErrorConstructor]> = [
      [call(h, ids, Uint32Array.of(3, 2, 10), Uint32Array.of(0, 1), sfx, sEnds, keys, out), RangeError], // an id's ends decrease
      [call(h, ids, Uint32Array.of(3, 11, 12), Uint32Array.of(1, 0), sfx, sEnds, keys, out), RangeError], // an id past idBytes
      [call(h, ids, ends, Uint32Array.of(0, 3), sfx, sEnds, keys, out), RangeError], // a row past idEnds
      [call(h, ids, ends, 2, sfx, sEnds, keys, out), RangeError], // rows 2 and 3 from a start: 3 is past idEnds
      [call(h, ids, ends, Uint32Array.of(0), sfx, sEnds, keys, out), RangeError], // rows shorter than keys
      [call(h, ids, ends, new Uint32Array(0), sfx, sEnds, keys, out), RangeError], // empty rows (no data pointer), not a start
      [call(h, ids, ends, new Uint32Array(new SharedArrayBuffer(0)), sfx, sEnds, keys, out), RangeError], // the same in shared memory
      [call(h, ids, ends, 0, sfx, sEnds, Uint32Array.of(0, 2), out), RangeError], // a key past suffixEnds
      [call(h, ids, ends, 0, sfx, Uint32Array.of(4, 3), keys, out), RangeError], // a suffix's ends decrease
      [call(h, ids, ends, 0, sfx, Uint32Array.of(2, 7), keys, out), RangeError], // a suffix past suffixBytes
      [call(h, ids, ends, 0, sfx, sEnds, keys, new Uint8Array(63)), RangeError], // out holds one digest, not two
      [call(h, ids, ends, -1, sfx, sEnds, keys, out), TypeError],
      [call(h, ids, ends, 1.5, sfx, sEnds, keys, out), TypeError],
      [call(h, ids, ends, Int32Array.of(0, 1), sfx, sEnds, keys, out), TypeError],
      [call(h, ids, ends, '0', sfx, sEnds, keys, out), TypeError],
      [call('x', ids, ends, 0, sfx, sEnds, keys, out), TypeError],
      [call(h, Array.from(ids), ends, 0, sfx, sEnds, keys, out), TypeError],
      [call(h, ids, Int32Array.from(ends), 0, sfx, sEnds, keys, out), TypeError],
      [call(h, ids, ends, 0, new Uint16Array(6), sEnds, keys, out), TypeError],
      [call(h, ids, ends, 0, sfx, [2, 6], keys, out), TypeError],
      [call(h, ids, ends, 0, sfx, sEnds, new Uint8Array(2), out), TypeError],
      [call(h, ids, ends, 0, sfx, sEnds, keys, new Uint32Array(16)), TypeError],
      [call(h, ids, ends, 0, sfx, sEnds, keys), TypeError], // too few arguments
    ];
    for (const [c, type] of cases) {
      expect(c).toThrow(type);
      expect(out.every((b) => b === 7)).toBe(true);
    }
    // Nothing to hash: fine, also with a start at the end of idEnds and no suffixes at all.
    batch.leaves(h, ids, ends, 3, new Uint8Array(0), new Uint32Array(0), new Uint32Array(0), new Uint8Array(0));
    batch.leaves(h, ids, ends, new Uint32Array(0), sfx, sEnds, new Uint32Array(0), new Uint8Array(0));
  });
});

describe('an addon without leaves', () => {
  it('is not used: hashesRight is false for an object with many and level alone', () => {
    const { many, level } = fallbackSha256Batch;
    expect(hashesRight({ many, level } as unknown as Sha256Batch)).toBe(false);
    expect(hashesRight(fallbackSha256Batch)).toBe(true);
    if (native !== undefined) expect(hashesRight(native)).toBe(true);
  });

  it('is not used when leaves hashes wrong (ignores the suffix, or the id length from rows)', () => {
    const wrongSuffix: Sha256Batch['leaves'] = (head, idBytes, idEnds, rows, _s, _e, keys, out) =>
      fallbackSha256Batch.leaves(head, idBytes, idEnds, rows, new Uint8Array(0), new Uint32Array(keys.length).fill(0).subarray(0, 1), new Uint32Array(keys.length), out);
    const identityOnly: Sha256Batch['leaves'] = (head, idBytes, idEnds, rows, s, e, keys, out) =>
      fallbackSha256Batch.leaves(head, idBytes, idEnds, typeof rows === 'number' ? rows : 0, s, e, keys, out);
    for (const leaves of [wrongSuffix, identityOnly]) expect(hashesRight({ ...fallbackSha256Batch, leaves })).toBe(false);
  });
});
