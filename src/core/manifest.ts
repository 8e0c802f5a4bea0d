/**
 * manifest.json (SPEC section 5): what was run, on which inputs, and what came out, as SHA-256
 * hashes an auditor can check with `sha256sum`. No timestamps and no absolute paths, so the
 * manifest too is the same on every run and machine.
 */
export const MANIFEST_FORMAT = 'payout-manifest/1';

export interface ManifestInput {
  file: string;
  sha256: string;
  rows?: number;
}

export interface ManifestOutput {
  file: string;
  sha256: string;
  bytes: number;
  rows?: number;
}

export interface Manifest {
  format: string;
  tool: { name: string; version: string };
  command: string;
  plan: ManifestInput;
  claims?: ManifestInput;
  /** Inputs of a second distribution: the first round's folder and the uncashed list. */
  inputs?: Record<string, ManifestInput>;
  /** Settings that are not files but change the outputs (a second distribution's `costs`). */
  parameters?: Record<string, string>;
  seed: string;
  outputs: ManifestOutput[];
  /** The Merkle root over the ledger's rows (docs/receipts.md), as in summary.json. */
  receipts?: { encoding: string; root: string; leaves: number };
}

export function manifestText(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
