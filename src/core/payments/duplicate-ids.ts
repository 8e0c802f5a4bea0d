// The payment ids that two claims share, among those the payment files' worker made (record-batch.ts).

/**
 * Payment ids made for more than one claim (hex), as PaymentBatchBuilder finds them (an id made k
 * times is listed k − 1 times): `n` ids of 8 bytes in `idBytes` (at an offset a multiple of 4).
 * Each id goes into an open-addressing table of the ids' indexes by their 64 bits; an id found
 * there is a duplicate. At 1M ids: 7–130 ms where sorting them as 64-bit numbers took 200–300 ms
 * (a micro-benchmark on the loaded machine, load 10).
 */
export function duplicateIds(idBytes: Uint8Array, n: number): string[] {
  const words = new Uint32Array(idBytes.buffer, idBytes.byteOffset, n * 2);
  let size = 1024;
  while (size < n * 2) size *= 2;
  const table = new Int32Array(size); // index + 1 of the id in each slot; 0: empty
  const mask = size - 1;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    // The ids are hashes: their bits are spread already; mixed all the same.
    let h = (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const j = table[h]!;
      if (j === 0) {
        table[h] = i + 1;
        break;
      }
      if (words[2 * j - 2] === lo && words[2 * j - 1] === hi) {
        let hex = '';
        for (let k = i * 8; k < i * 8 + 8; k++) hex += idBytes[k]!.toString(16).padStart(2, '0');
        out.push(hex);
        break;
      }
      h = (h + 1) & mask;
    }
  }
  return out.sort();
}
