/**
 * A payment file's text in chunks (core/payments/batch.ts): rows as strings joined a few at a
 * time, held as they are or encoded into blocks of UTF-8 bytes.
 */
import { BLOCK, FIRST_BLOCK } from './byte-rows.js';

/** A piece of a file: text, or the text as UTF-8 bytes (PaymentBatchOptions.bytes). */
export type Chunk = string | Uint8Array;

/**
 * A file's text row by row, joined every few thousand rows: a row made by concatenation is a rope
 * of its pieces, some 20 objects, and a million of them held until the end took gigabytes.
 */
/**
 * Rows joined and packed at a time: rows waiting to be joined outlive a young-generation garbage
 * collection and are copied by it; 4,096 per file kept ~2 MB to copy at each one. Since rows are
 * encoded into blocks (no buffer per chunk), fewer still: 128 (1M claims, three alternating pairs
 * of runs on a loaded machine: 8.9–10.6 s of CPU against 9.3–11.2 s with 512).
 */
const ROWS_PER_CHUNK = 128;

/** Packs text into chunks: as it is, or as UTF-8 bytes (PaymentBatchOptions.bytes). */
export interface Packer {
  /** Adds `text` to `chunks`. */
  add(chunks: Chunk[], text: string): void;
  /** The chunk being filled, if any, into `chunks` (no bytes after it will be added). */
  end(chunks: Chunk[]): void;
}

export const asText = (): Packer => ({ add: (chunks, text) => void chunks.push(text), end: () => undefined });

/**
 * UTF-8 bytes, what the file will hold, outside the JS heap that the garbage collector traces,
 * encoded into blocks of up to 1 MiB (no allocation per chunk of rows, and few large writes).
 */
export function asBytes(encoder: TextEncoder): () => Packer {
  return () => {
    let block: Uint8Array | undefined;
    let used = 0;
    let size = FIRST_BLOCK;
    return {
      add(chunks, text) {
        let rest = text;
        for (;;) {
          if (block === undefined) {
            block = new Uint8Array(Math.max(size, rest.length * 3));
            size = Math.min(BLOCK, size * 2);
            used = 0;
          }
          const r = encoder.encodeInto(rest, used === 0 ? block : block.subarray(used));
          used += r.written;
          if (r.read === rest.length) return;
          // The block is full: on with the rest in a new one.
          chunks.push(block.subarray(0, used));
          block = undefined;
          rest = rest.slice(r.read);
        }
      },
      end(chunks) {
        // The last block is copied to its length: its unused room is not kept while others are made.
        if (block !== undefined && used > 0) chunks.push(block.slice(0, used));
        block = undefined;
      },
    };
  };
}

export class TextChunks {
  private rows: string[] = [];
  private readonly chunks: Chunk[] = [];
  private readonly packer: Packer;
  constructor(pack: () => Packer) {
    this.packer = pack();
  }
  push(row: string): void {
    this.rows.push(row);
    if (this.rows.length === ROWS_PER_CHUNK) {
      this.packer.add(this.chunks, this.rows.join(''));
      this.rows = [];
    }
  }
  /** The text in chunks (written one by one, never joined whole). */
  parts(): Chunk[] {
    if (this.rows.length > 0) this.packer.add(this.chunks, this.rows.join(''));
    this.rows = [];
    this.packer.end(this.chunks);
    return this.chunks;
  }
}

