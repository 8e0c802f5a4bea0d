/**
 * manifest.json (docs/spec.md §5): what was run, on which inputs, and what came out, as SHA-256
 * hashes an auditor can check with `sha256sum`. No timestamps and no absolute paths, so the
 * manifest too is the same on every run and machine.
 */
import { TOOL, VERSION } from './version.js';

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
  /**
   * How the claims file was read, when that was not the default (docs/outputs.md): the delimiter
   * (from --delimiter or a first line `sep=X`), the --map column map and the --keep columns.
   * verify reads the claims the same way unless told otherwise.
   */
  reading?: ClaimsReading;
  /** Inputs of a second distribution: the first round's folder and the uncashed list. */
  inputs?: Record<string, ManifestInput>;
  /** Settings that are not files but change the outputs (a second distribution's `costs`). */
  parameters?: Record<string, string>;
  seed: string;
  outputs: ManifestOutput[];
  /** The Merkle root over the ledger's rows (docs/receipts.md), as in summary.json. */
  receipts?: { encoding: string; root: string; leaves: number };
  /** A payment run's control totals (docs/payments.md). */
  controls?: unknown;
}

/** The options that change how a claims file is read, as a manifest records them. */
export interface ClaimsReading {
  delimiter?: string;
  map?: Record<string, string>;
  keep?: string[];
}

/** The record of a run's reading options, or undefined when every one was the default (',', no map, no keep). */
export function claimsReading(delimiter: string, map: Readonly<Record<string, string | undefined>> | undefined, keep: readonly string[]): ClaimsReading | undefined {
  const r: ClaimsReading = {};
  if (delimiter !== ',') r.delimiter = delimiter;
  const entries = Object.entries(map ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
  if (entries.length > 0) r.map = Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (keep.length > 0) r.keep = [...keep];
  return Object.keys(r).length > 0 ? r : undefined;
}

/** A column map as given on the command line: `claim_id=ClaimNumber,units=Qty` (sorted by field), or "none". */
export function mapText(map: Readonly<Record<string, string | undefined>> | undefined): string {
  const entries = Object.entries(map ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
  if (entries.length === 0) return 'none';
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([f, h]) => `${f}=${h}`)
    .join(',');
}

export function manifestText(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** The files of an output folder, by name. */
export const LEDGER_FILE = 'ledger.csv';
export const SUMMARY_FILE = 'summary.json';
export const MANIFEST_FILE = 'manifest.json';

/**
 * What a run records in its manifest besides its outputs: every key of the manifest but the format,
 * the tool and the outputs. The receipts root may be known only once the ledger is written
 * (allocate hashes the rows while writing): the writer reads it when it builds the manifest, after
 * every other file.
 */
export type ManifestRun = Omit<Manifest, 'format' | 'tool' | 'outputs'>;

/**
 * The manifest of a run whose files are `outputs` (every one but manifest.json, in the order
 * written). One builder for every command, so the manifests of all commands have the same keys in
 * the same order: format, tool, command, plan, claims, reading, inputs, parameters, seed, outputs, receipts,
 * controls.
 */
export function buildManifest(run: ManifestRun, outputs: ManifestOutput[]): Manifest {
  return {
    format: MANIFEST_FORMAT,
    tool: { name: TOOL, version: VERSION },
    command: run.command,
    plan: run.plan,
    ...(run.claims !== undefined ? { claims: run.claims } : {}),
    ...(run.reading !== undefined ? { reading: run.reading } : {}),
    ...(run.inputs !== undefined ? { inputs: run.inputs } : {}),
    ...(run.parameters !== undefined ? { parameters: run.parameters } : {}),
    seed: run.seed,
    outputs,
    ...(run.receipts !== undefined ? { receipts: run.receipts } : {}),
    ...(run.controls !== undefined ? { controls: run.controls } : {}),
  };
}
