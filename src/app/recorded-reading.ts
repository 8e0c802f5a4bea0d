/**
 * The claims read as a run read them: the reading options its manifest records (`reading`,
 * docs/outputs.md) are the defaults of every command that reads a run's claims file again
 * (`payout verify`, `payout explain --from DIR`). An option given on the command line is used
 * instead, with a warning when it differs from the record.
 */
import { mapText, type Manifest } from '../core/manifest.js';
import type { ClaimsSettings } from './validate.js';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { sniffFirstLines } from '../io/claims-sniff.js';
import { readManifest } from '../io/output-dir.js';

/** Which reading options were given on the command line (not left at their defaults). */
export interface ReadingGiven {
  delimiter: boolean;
  map: boolean;
}

const shownDelimiter = (d: string): string => (d === '\t' ? 'tab' : JSON.stringify(d));

/**
 * The claims settings to read with: the reading options the manifest records unless one is given;
 * a given one that differs from the record is used, with a warning naming the option and both
 * values. A manifest without the record was read with the defaults.
 */
export function recordedReading(
  manifest: Manifest,
  claims: ClaimsSettings,
  given: ReadingGiven,
  /** The delimiter the claims file's first line `sep=X` names, if it has one: it wins over a given ",". */
  sepLine?: string,
): { claims: ClaimsSettings; warnings: string[] } {
  const rec = manifest.reading ?? {};
  const warnings: string[] = [];
  const read = { ...claims.read };
  const recordedDelimiter = rec.delimiter ?? ',';
  const asGiven = read.delimiter ?? ',';
  // What the reader will use: a file's `sep=X` line names the delimiter unless another than "," is given.
  const givenDelimiter = asGiven === ',' && sepLine !== undefined ? sepLine : asGiven;
  if (!given.delimiter) read.delimiter = recordedDelimiter;
  else if (givenDelimiter !== recordedDelimiter) {
    warnings.push(`--delimiter ${shownDelimiter(asGiven)} differs from the manifest's delimiter ${shownDelimiter(recordedDelimiter)}: the claims are read with ${shownDelimiter(givenDelimiter)}${givenDelimiter === asGiven ? '' : ' (the file\'s first line sep=)'}`);
  }
  const recordedMap = mapText(rec.map);
  if (!given.map) {
    if (rec.map !== undefined) read.map = { ...rec.map };
    else delete read.map;
  } else if (mapText(read.map) !== recordedMap) {
    warnings.push(`--map ${mapText(read.map)} differs from the manifest's map ${recordedMap}: the claims are read with --map ${mapText(read.map)}`);
  }
  return { claims: { ...claims, read }, warnings };
}

/** What was given when the command line is not known: a delimiter other than "," and any map. */
export function givenByValue(claims: ClaimsSettings): ReadingGiven {
  return { delimiter: (claims.read.delimiter ?? ',') !== ',', map: claims.read.map !== undefined };
}

/** The delimiter a claims file's first line `sep=X` names, when a delimiter was given (else not needed). */
export async function sepLineOf(file: string | undefined, given: ReadingGiven): Promise<string | undefined> {
  if (!given.delimiter || file === undefined) return undefined;
  return (await sniffFirstLines(file))?.sep;
}

/** A run's folder named to read its claims file again (`payout explain --from DIR`). */
export interface RunReading {
  fromDir: string;
  claimsFile: string;
  /** The claims options as given. */
  claims: ClaimsSettings;
  given: ReadingGiven;
}

/**
 * The claims settings of the `payout allocate` run in `fromDir`, by its manifest (recordedReading),
 * and the warnings for the options given that differ. A folder of another command is a UsageError.
 */
export async function readingOfRun(o: RunReading): Promise<{ claims: ClaimsSettings; warnings: string[]; manifest: Manifest }> {
  const manifest = await readManifest(o.fromDir);
  if (manifest.command !== 'allocate') {
    throw new UsageError(`--from ${o.fromDir}: made by payout ${manifest.command}; --from names the folder of the payout allocate run that read ${o.claimsFile}`);
  }
  const { claims, warnings } = recordedReading(manifest, o.claims, o.given, await sepLineOf(o.claimsFile, o.given));
  return { claims, warnings, manifest };
}

/** A warning for each input whose SHA-256 is not the one the run's manifest records: [file, recorded, now]. */
export function runInputWarnings(fromDir: string, facts: ReadonlyArray<readonly [file: string, recorded: string | undefined, now: string | undefined]>): string[] {
  return facts
    .filter(([, was, now]) => was !== now)
    .map(
      ([file, was, now]) =>
        `${file} is not the file ${fromDir} was made from (sha256 ${was ?? 'not recorded'} in ${join(fromDir, 'manifest.json')}, ${now ?? 'unknown'} now): this explains what these inputs give; payout verify shows how ${fromDir} differs`,
    );
}
