/**
 * The receipts tree (core/merkle.ts, docs/receipts.md): the leaf encoding byte for byte, proofs
 * for every leaf of trees of every shape, and that any change to a leaf or a proof step moves the
 * root. Also the fact the block-wise builder relies on: with blocks of 2^k leaves, the tree over
 * the blocks' roots has the root of the whole tree.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concat,
  DIGEST_BYTES,
  digest,
  leafMessage,
  merkleProof,
  merkleRoot,
  nodeHash,
  rootFromProof,
  toHex,
  type Sha256,
} from '../../src/core/merkle.js';

const sha256: Sha256 = (bytes, out, at) => out.set(createHash('sha256').update(bytes).digest(), at);
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest();
const leavesOf = (n: number): Uint8Array => concat(Array.from({ length: n }, (_, i) => sha(`leaf ${i}`)));

describe('the leaf encoding payout-merkle/1', () => {
  it('is 0x00, then netstring(column) netstring(cell) for each column, lengths in UTF-8 bytes', () => {
    const m = leafMessage(['claim_id', 'amount', 'name'], ['TT-1', '27.84', 'Zoë']);
    expect(Buffer.from(m).toString('latin1')).toBe('\x008:claim_id,4:TT-1,6:amount,5:27.84,4:name,4:Zo\xc3\xab,');
  });

  it('keeps column and cell apart: moving a character across the boundary changes the leaf', () => {
    expect(toHex(leafMessage(['ab'], ['c']))).not.toBe(toHex(leafMessage(['a'], ['bc'])));
  });

  it('hashes a node as SHA-256(0x01 ‖ left ‖ right)', () => {
    const l = sha('l');
    const r = sha('r');
    expect(toHex(nodeHash(l, r, sha256))).toBe(sha(Buffer.concat([Buffer.of(1), l, r])).toString('hex'));
  });

  it('gives SHA-256 of nothing for a ledger without rows, and the leaf itself for one row', () => {
    expect(toHex(merkleRoot(new Uint8Array(0), 0, sha256))).toBe(sha('').toString('hex'));
    const one = sha('only');
    expect(toHex(merkleRoot(one, 1, sha256))).toBe(one.toString('hex'));
  });

  it('promotes the odd last node unchanged: 3 leaves give H(1 ‖ H(1 ‖ a ‖ b) ‖ c)', () => {
    const [a, b, c] = [sha('a'), sha('b'), sha('c')];
    const ab = sha(Buffer.concat([Buffer.of(1), a, b]));
    const root = sha(Buffer.concat([Buffer.of(1), ab, c]));
    expect(toHex(merkleRoot(concat([a, b, c]), 3, sha256))).toBe(root.toString('hex'));
  });
});

describe('proofs', () => {
  it('lead from every leaf to the root, in trees of 1 to 70 leaves', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = leavesOf(n);
      const root = toHex(merkleRoot(leaves, n, sha256));
      for (let i = 0; i < n; i++) {
        const { root: r, proof } = merkleProof(leaves, n, i, sha256);
        expect(toHex(r)).toBe(root);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        expect(toHex(rootFromProof(leaves.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES), proof, sha256))).toBe(root);
      }
    }
  });

  it('fail when a leaf, a step\'s hash or a step\'s side is changed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), fc.nat(255), (n, iSeed, stepSeed, byte) => {
        const leaves = leavesOf(n);
        const i = iSeed % n;
        const { root, proof } = merkleProof(leaves, n, i, sha256);
        const leaf = leaves.slice(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES);
        const rootHex = toHex(root);
        // a leaf byte
        const badLeaf = leaf.slice();
        badLeaf[byte % DIGEST_BYTES] ^= 1 + (byte % 255);
        expect(toHex(rootFromProof(badLeaf, proof, sha256))).not.toBe(rootHex);
        // a step's hash, one hex digit
        const s = stepSeed % proof.length;
        const step = proof[s]!;
        const digit = step.hash[byte % 64]!;
        const changed = step.hash.slice(0, byte % 64) + (digit === '0' ? '1' : '0') + step.hash.slice((byte % 64) + 1);
        expect(toHex(rootFromProof(leaf, proof.map((p, k) => (k === s ? { ...p, hash: changed } : p)), sha256))).not.toBe(rootHex);
        // a step's side
        const flipped = proof.map((p, k) => (k === s ? { ...p, side: p.side === 'left' ? ('right' as const) : ('left' as const) } : p));
        expect(toHex(rootFromProof(leaf, flipped, sha256))).not.toBe(rootHex);
      }),
      { numRuns: 200 },
    );
  });
});

describe('block-wise building (io/receipts-leaves.ts)', () => {
  it('with blocks of 2^k leaves, the tree over the blocks\' roots has the root of the whole tree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 6 }), (n, k) => {
        const leaves = leavesOf(n);
        const block = 1 << k;
        const roots: Uint8Array[] = [];
        for (let from = 0; from < n; from += block) {
          const to = Math.min(n, from + block);
          roots.push(merkleRoot(leaves.subarray(from * DIGEST_BYTES, to * DIGEST_BYTES), to - from, sha256));
        }
        expect(toHex(merkleRoot(concat(roots), roots.length, sha256))).toBe(toHex(merkleRoot(leaves, n, sha256)));
      }),
      { numRuns: 150 },
    );
  });

  it('is wrong with blocks of another size (so the test above can fail)', () => {
    const leaves = leavesOf(7);
    const roots = [merkleRoot(leaves, 3, sha256), merkleRoot(leaves.subarray(3 * DIGEST_BYTES), 4, sha256)];
    expect(toHex(merkleRoot(concat(roots), 2, sha256))).not.toBe(toHex(merkleRoot(leaves, 7, sha256)));
    expect(toHex(digest(sha256, new Uint8Array(0)))).toBe(sha('').toString('hex'));
  });
});
