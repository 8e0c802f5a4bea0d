/**
 * `payout tax --year YEAR DIR [DIR2 …] --tins FILE --out FILE` (docs/tax.md): the 1099 list of a
 * calendar year's settlement payments. Reads each round's ledger (checked against its manifest)
 * and the TINs, sums per taxpayer (core/tax.ts), writes the list of reportable taxpayers to FILE
 * (sensitive: full TINs) and returns the whole list for the command to show, TINs masked.
 */
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { buildTaxList, taxCsv, THRESHOLDS, thresholdOf, type TaxList } from '../core/tax.js';
import { OutputSet } from '../io/atomic-output.js';
import { readRound, readTins, type RoundRead } from '../io/tax-inputs.js';
import { countOf } from '../core/display-numbers.js';

export interface TaxOptions {
  year: number;
  /** The rounds paid in `year`: --out folders of allocate and redistribute. */
  dirs: readonly string[];
  tinsFile: string;
  out: string;
  force?: boolean;
}

export interface TaxResult {
  list: TaxList;
  /** Things to tell the user that do not stop the run. */
  notes: string[];
}

export async function taxList(o: TaxOptions): Promise<TaxResult> {
  const threshold = thresholdOf(o.year);
  if (threshold === undefined) {
    throw new UsageError(`--year ${o.year}: payout has no 1099-MISC threshold for ${o.year} (it knows ${[...THRESHOLDS.keys()].join(', ')}); refused rather than guessed`);
  }
  if (o.dirs.length === 0) throw new UsageError('give the folders of the rounds paid in the year: payout tax --year YEAR DIR [DIR2 …] --tins FILE --out FILE');
  const seen = new Set<string>();
  for (const d of o.dirs) {
    if (seen.has(resolve(d))) throw new UsageError(`${d} is given twice: its payments would be counted twice`);
    seen.add(resolve(d));
  }
  if (resolve(o.out) === resolve(o.tinsFile)) throw new UsageError(`--out ${o.out}: that is the TINs file; name a new file`);
  // Refuse to overwrite before any work.
  const out = await OutputSet.open(dirname(o.out), [basename(o.out)], Boolean(o.force), { lock: false });
  try {
    const rounds: RoundRead[] = [];
    for (const d of o.dirs) rounds.push(await readRound(d));
    const notes = checkRounds(rounds);
    const list = buildTaxList(o.year, threshold, rounds, await readTins(o.tinsFile));
    const f = out.create(basename(o.out));
    await f.write(taxCsv(list));
    await f.close();
    await out.commit();
    return { list, notes };
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/**
 * The same ledger given twice would be counted twice. A second round given without its first
 * round (paid in another year) cannot take back that round's uncashed payments, which are not in
 * this list: they are left alone, and a note says so.
 */
function checkRounds(rounds: readonly RoundRead[]): string[] {
  const notes: string[] = [];
  const bySha = new Map<string, RoundRead>();
  for (const r of rounds) {
    const twin = bySha.get(r.ledgerSha256);
    if (twin !== undefined) throw new UsageError(`${r.dir} and ${twin.dir} hold the same ledger: its payments would be counted twice`);
    bySha.set(r.ledgerSha256, r);
  }
  for (const r of rounds) {
    if (r.firstLedgerSha256 !== undefined && !bySha.has(r.firstLedgerSha256) && r.returned.size > 0) {
      notes.push(`${r.dir} is a second round whose first round is not given: its ${countOf(r.returned.size, 'uncashed first-round payment')} ${r.returned.size === 1 ? 'is' : 'are'} not taken back (give the first round's folder when it was paid in the same year)`);
      r.returned = new Map();
    }
  }
  return notes;
}
