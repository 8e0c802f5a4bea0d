// The payment ids that two claims share, among those the payment files' worker made (record-batch.ts).

/** Payment ids made for more than one claim (hex), as PaymentBatchBuilder finds them: `n` ids of 8 bytes in `idBytes`. */
export function duplicateIds(idBytes: Uint8Array, n: number): string[] {
  // Sorted as 64-bit numbers (in the platform's byte order: equal ids are next to each other all the same).
  const sorted = new BigUint64Array(idBytes.buffer, 0, n).sort();
  const bytes = new Uint8Array(sorted.buffer, 0, n * 8);
  const out: string[] = [];
  for (let i = 1; i < n; i++) {
    if (sorted[i] !== sorted[i - 1]) continue;
    let hex = '';
    for (let j = i * 8; j < i * 8 + 8; j++) hex += bytes[j]!.toString(16).padStart(2, '0');
    out.push(hex);
  }
  return out.sort();
}
