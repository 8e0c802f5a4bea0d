/** SHA-256, the one hash payout uses: manifests, and the tie-break key of docs/spec.md §4a. */
import { createHash, hash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  // crypto.hash (Node ≥ 20.12) is the one-shot form, several times faster for short inputs.
  return typeof hash === 'function' ? hash('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

/** The tie-break key of docs/spec.md §4a: lowercase hex SHA-256 of `seed + ":" + claim_id`. */
export function tieKeyer(seed: string): (claimId: string) => string {
  const prefix = `${seed}:`;
  return (claimId) => sha256Hex(prefix + claimId);
}
