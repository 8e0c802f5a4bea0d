/**
 * The duplicate-claimant checks of a very large file without their tables in memory (a
 * partitioned, "grace hash" check). In memory, the two tables of a HashedLineIndex take ~29 bytes
 * a claim (~600 MB at 20M claims), touched all over from the first rows, so resident all through
 * the reading. Here, while the file is read, each key's 64-bit hash and line go to one of
 * PARTITIONS files by the hash's top bits (written in blocks; the page cache holds them, not the
 * process), and each row's claim id and email to a file of row details. When the reading ends,
 * each partition is read back and checked with a table of its own (1/PARTITIONS of the keys), in
 * line order: a key's first line is the first line it came with, as in one table; so the same
 * 64-bit hashes give the same duplicates with the same first lines. The duplicates are then put
 * in row order (email before name and address within a row), and the details file is read once
 * for their claim ids and emails. The folder is the caller's (DuplicateChecks makes and removes it).
 * Of each email only its last 4 characters go to disk, and only when it has more: a duplicate's
 * email is only ever shown masked to them (maskLast4), so the spill folder holds no address.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { LineTable } from './csv-dedupe.js';
import { HashedLineIndex, PARTITION_LOAD } from './line-index.js';

/** Partitions per kind, by the top bits of the hash's high word: ~310,000 keys each at 20M claims. */
const PARTITION_BITS = 6;
const PARTITIONS = 1 << PARTITION_BITS;
/** Keys buffered per partition before they are written: 4,096 × 12 bytes, ~3 MiB for the 64 of a kind. */
const BUFFER_KEYS = 4096;
const KEY_WORDS = 3;

/** Writes all of `bytes` (a typed array's view) at the end of the file. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.byteLength) done += fs.writeSync(fd, bytes, done, bytes.byteLength - done);
}

/** Reads the whole file at `path` into `into` (grown when short); returns the bytes read. */
function readAll(path: string, into: { buf: Uint8Array }): number {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > into.buf.byteLength) into.buf = new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, into.buf, done, size - done, done);
      if (n === 0) throw new Error(`${path}: ended early`);
      done += n;
    }
    return size;
  } finally {
    fs.closeSync(fd);
  }
}

/** The keys of one kind (emails, or names and addresses), appended to their partitions; `firstLine` answers 0. */
export class PartitionedKeys implements LineTable {
  private readonly buffers: Uint32Array[] = [];
  private readonly fill = new Int32Array(PARTITIONS);
  private readonly fds = new Int32Array(PARTITIONS).fill(-1);

  constructor(
    private readonly dir: string,
    private readonly name: string,
  ) {
    for (let p = 0; p < PARTITIONS; p++) this.buffers.push(new Uint32Array(0));
  }

  private path(p: number): string {
    return join(this.dir, `${this.name}-${p}.bin`);
  }

  firstLine(hi: number, lo: number, line: number): number {
    const p = hi >>> (32 - PARTITION_BITS);
    let b = this.buffers[p] as Uint32Array;
    if (b.length === 0) b = this.buffers[p] = new Uint32Array(BUFFER_KEYS * KEY_WORDS);
    let at = this.fill[p] as number;
    b[at] = hi;
    b[at + 1] = lo;
    b[at + 2] = line;
    at += KEY_WORDS;
    if (at === b.length) {
      this.write(p, b.length);
      at = 0;
    }
    this.fill[p] = at;
    return 0;
  }

  reserve(): void {
    // Nothing is held per key.
  }

  clear(): void {
    this.close();
  }

  private write(p: number, words: number): void {
    if (words === 0) return;
    if (this.fds[p] === -1) this.fds[p] = fs.openSync(this.path(p), 'w');
    const b = this.buffers[p] as Uint32Array;
    writeAll(this.fds[p] as number, new Uint8Array(b.buffer, b.byteOffset, words * 4));
  }

  /** Closes the files (their keys stay on disk). */
  close(): void {
    for (let p = 0; p < PARTITIONS; p++) {
      if (this.fds[p] !== -1) fs.closeSync(this.fds[p] as number);
      this.fds[p] = -1;
    }
  }

  /**
   * Checks every partition with a table of its own, in line order within it; pushes each
   * duplicate as (line, kind, first line) onto `out`. The keys are written out first.
   */
  duplicates(kind: number, out: number[]): void {
    for (let p = 0; p < PARTITIONS; p++) {
      this.write(p, this.fill[p] as number);
      this.fill[p] = 0;
      this.buffers[p] = new Uint32Array(0);
    }
    this.close();
    const read = { buf: new Uint8Array(0) };
    // One table for every partition, emptied between them (HashedLineIndex.reset); in cache, and
    // filled to half only: the walk over its tags was most of a key's cost at 0.9 (line-index.ts).
    const table = new HashedLineIndex(PARTITION_LOAD);
    for (let p = 0; p < PARTITIONS; p++) {
      if (!fs.existsSync(this.path(p))) continue;
      const size = readAll(this.path(p), read);
      const keys = new Uint32Array(read.buf.buffer, 0, size / 4);
      const n = keys.length / KEY_WORDS;
      table.reset(n);
      for (let at = 0; at < keys.length; at += KEY_WORDS) {
        const line = keys[at + 2] as number;
        const first = table.firstLine(keys[at] as number, keys[at + 1] as number, line);
        if (first !== 0) out.push(line, kind, first);
      }
    }
  }
}

/** Bytes of a row's details record ahead of its id and email: line, id length, email length, flags. */
const DETAILS_HEAD = 16;
/** Characters of an email shown (maskLast4's), the only ones written to the details file. */
export const EMAIL_SHOWN = 4;
/** ASCII white space, which String#trim removes: space, tab, line feed, vertical tab, form feed, carriage return. */
const isSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);
/** Flag bits of a details record: claim id with doubled quotes, email with doubled quotes. */
const ID_DOUBLED = 1;
const EMAIL_DOUBLED = 2;
const DETAILS_BUFFER = 1 << 20;

/** Writes `v` (0 to 2^32 − 1) at `at` as four little-endian bytes (as Buffer#writeUInt32LE, unchecked). */
function putUint32(d: Uint8Array, at: number, v: number): void {
  d[at] = v & 0xff;
  d[at + 1] = (v >>> 8) & 0xff;
  d[at + 2] = (v >>> 16) & 0xff;
  d[at + 3] = v >>> 24;
}

/** The four little-endian bytes at `at` as a number (as Buffer#readUInt32LE, unchecked). */
function getUint32(d: Uint8Array, at: number): number {
  return ((d[at] as number) | ((d[at + 1] as number) << 8) | ((d[at + 2] as number) << 16) | ((d[at + 3] as number) << 24)) >>> 0;
}

/** A duplicate as the spilled checks give it: line, kind (0 email, 1 name), first line, the email shown, the claim id. */
export type SpilledHit = [line: number, kind: number, first: number, shown: string, claimId: string];

/** A cell of the details as the fast tokenizer decodes it: UTF-8, doubled quotes undone. */
function cell(buf: Buffer, start: number, end: number, doubled: boolean): string {
  const text = buf.toString('utf8', start, end);
  return doubled ? text.replaceAll('""', '"') : text;
}

/** The spilled checks: the two kinds' partitions and each row's claim id and email, in one folder. */
export class SpilledClaimants {
  readonly emails: PartitionedKeys;
  readonly namesAddresses: PartitionedKeys;
  private readonly detailsPath: string;
  private details = Buffer.allocUnsafe(DETAILS_BUFFER);
  private at = 0;
  private fd = -1;

  constructor(private readonly dir: string) {
    this.emails = new PartitionedKeys(dir, 'email');
    this.namesAddresses = new PartitionedKeys(dir, 'name');
    this.detailsPath = join(dir, 'rows.bin');
  }

  private room(n: number): void {
    if (this.at + n <= this.details.length) return;
    this.flush();
    if (n > this.details.length) this.details = Buffer.allocUnsafe(n);
  }

  private flush(): void {
    if (this.at === 0) return;
    if (this.fd === -1) this.fd = fs.openSync(this.detailsPath, 'w');
    writeAll(this.fd, this.details.subarray(0, this.at));
    this.at = 0;
  }

  /** A row of a byte batch: its claim id's and email's bytes (ranges into `bytes`, with their doubled-quote flags). */
  rowBytes(line: number, bytes: Uint8Array, idStart: number, idEnd: number, idDoubled: number, emailStart: number, emailEnd: number, emailDoubled: number): void {
    const idLen = idEnd - idStart;
    // The email's last EMAIL_SHOWN characters (trimmed; a doubled quote is one), none when it has no more.
    while (emailEnd > emailStart && isSpace(bytes[emailEnd - 1] as number)) emailEnd--;
    while (emailStart < emailEnd && isSpace(bytes[emailStart] as number)) emailStart++;
    let from = emailEnd;
    for (let chars = 0; from > emailStart && chars < EMAIL_SHOWN; ) {
      const b = bytes[--from] as number;
      if ((b & 0xc0) === 0x80) continue; // inside a character
      if (b === 0x22 && emailDoubled === 1 && from > emailStart && bytes[from - 1] === 0x22) from--;
      chars++;
    }
    if (from === emailStart) from = emailEnd;
    const emailLen = emailEnd - from;
    emailStart = from;
    this.room(DETAILS_HEAD + idLen + emailLen);
    const d = this.details;
    let at = this.at;
    // The head's four little-endian words byte by byte: Buffer#writeUInt32LE checks its arguments
    // on every call, and this runs for every row of the file.
    putUint32(d, at, line);
    putUint32(d, at + 4, idLen);
    putUint32(d, at + 8, emailLen);
    putUint32(d, at + 12, (idDoubled === 1 ? ID_DOUBLED : 0) | (emailDoubled === 1 ? EMAIL_DOUBLED : 0));
    at += DETAILS_HEAD;
    // Loops, not Buffer#copy: cells are short, and the native call costs more than the copy.
    for (let k = idStart; k < idEnd; k++) d[at++] = bytes[k] as number;
    for (let k = emailStart; k < emailEnd; k++) d[at++] = bytes[k] as number;
    this.at = at;
  }

  /** A row read by csv-parse: its claim id and email as text (of the email, what rowBytes keeps). */
  rowText(line: number, claimId: string, email: string): void {
    const idLen = Buffer.byteLength(claimId, 'utf8');
    const v = email.trim();
    let from = v.length;
    for (let chars = 0; from > 0 && chars < EMAIL_SHOWN; chars++) {
      const c = v.charCodeAt(--from);
      if (c >= 0xdc00 && c <= 0xdfff && from > 0 && (v.charCodeAt(from - 1) & 0xfc00) === 0xd800) from--;
    }
    email = from === 0 ? '' : v.slice(from);
    const emailLen = Buffer.byteLength(email, 'utf8');
    this.room(DETAILS_HEAD + idLen + emailLen);
    const d = this.details;
    d.writeUInt32LE(line, this.at);
    d.writeUInt32LE(idLen, this.at + 4);
    d.writeUInt32LE(emailLen, this.at + 8);
    d.writeUInt32LE(0, this.at + 12);
    d.write(claimId, this.at + DETAILS_HEAD, idLen, 'utf8');
    d.write(email, this.at + DETAILS_HEAD + idLen, emailLen, 'utf8');
    this.at += DETAILS_HEAD + idLen + emailLen;
  }

  /** Closes the files (the folder is the caller's to remove). */
  close(): void {
    this.emails.close();
    this.namesAddresses.close();
    if (this.fd !== -1) fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Every duplicate, in row order (email before name and address within a row), with its claim id and email. */
  finish(): SpilledHit[] {
    const found: number[] = [];
    this.emails.duplicates(0, found);
    this.namesAddresses.duplicates(1, found);
    const order = Array.from({ length: found.length / 3 }, (_, k) => k * 3);
    order.sort((a, b) => (found[a] as number) - (found[b] as number) || (found[a + 1] as number) - (found[b + 1] as number));
    const hits: SpilledHit[] = order.map((k) => [found[k] as number, found[k + 1] as number, found[k + 2] as number, '', '']);
    this.flush();
    if (this.fd !== -1) fs.closeSync(this.fd);
    this.fd = -1;
    this.details = Buffer.alloc(0);
    if (hits.length > 0) this.fillDetails(hits);
    return hits;
  }

  /** Reads the details file once, in row order, for the claim ids (and emails shown) of the duplicates. */
  private fillDetails(hits: SpilledHit[]): void {
    const fd = fs.openSync(this.detailsPath, 'r');
    try {
      let buf = Buffer.allocUnsafe(4 << 20);
      let start = 0;
      let end = 0;
      let pos = 0;
      let h = 0;
      /** Reads on until buf[start, end) holds `n` bytes; false at the end of the file. */
      const want = (n: number): boolean => {
        while (end - start < n) {
          if (start > 0) {
            buf.copy(buf, 0, start, end);
            end -= start;
            start = 0;
          }
          if (n > buf.length) {
            const bigger = Buffer.allocUnsafe(n * 2);
            buf.copy(bigger, 0, 0, end);
            buf = bigger;
          }
          const got = fs.readSync(fd, buf, end, buf.length - end, pos);
          if (got === 0) return false;
          pos += got;
          end += got;
        }
        return true;
      };
      while (h < hits.length) {
        const next = (hits[h] as SpilledHit)[0];
        // Past the rows before the next duplicate's, in the bytes at hand (a row's head read
        // byte by byte: Buffer#readUInt32LE checks its arguments, and this runs for every row).
        for (;;) {
          if (end - start < DETAILS_HEAD) break;
          if (getUint32(buf, start) >= next) break;
          const size = DETAILS_HEAD + getUint32(buf, start + 4) + getUint32(buf, start + 8);
          if (end - start < size) break;
          start += size;
        }
        if (!want(DETAILS_HEAD)) break;
        const line = getUint32(buf, start);
        const idLen = getUint32(buf, start + 4);
        const emailLen = getUint32(buf, start + 8);
        const size = DETAILS_HEAD + idLen + emailLen;
        const hit = hits[h] as SpilledHit;
        if (line === hit[0]) {
          if (!want(size)) break;
          const flags = getUint32(buf, start + 12);
          const idAt = start + DETAILS_HEAD;
          const claimId = cell(buf, idAt, idAt + idLen, (flags & ID_DOUBLED) !== 0).trim();
          for (; h < hits.length && (hits[h] as SpilledHit)[0] === line; h++) {
            const same = hits[h] as SpilledHit;
            same[4] = claimId;
            // An email's last characters (lower-cased as claimantShown does, not trimmed: a space
            // among them is shown), when it has more; else it is shown masked whole, "****".
            if (same[1] === 0) same[3] = emailLen === 0 ? '' : `****${cell(buf, idAt + idLen, idAt + idLen + emailLen, (flags & EMAIL_DOUBLED) !== 0).toLowerCase()}`;
          }
        }
        if (line > hit[0]) throw new Error(`internal: no row details for line ${hit[0]}`);
        if (!want(size)) break;
        start += size;
      }
      if (h < hits.length) throw new Error(`internal: no row details for line ${(hits[h] as SpilledHit)[0]}`);
    } finally {
      fs.closeSync(fd);
    }
  }
}
