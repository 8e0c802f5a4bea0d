/**
 * The fast CSV tokenizer's two ways of finding fields (src/io/csv-fast.ts): the structural index
 * of the native addon (csv-fast-index.ts) and `String#indexOf`. The differential tests run on
 * each; the index also with a tiny index, so that its scans end inside records and fields.
 */
import { csvScan, scanJs, type CsvScan } from '../../src/io/csv-scan.js';

export interface TokenizerPath {
  name: string;
  /** FastCsv's `scan` argument (null: indexOf). */
  scan: CsvScan | null;
  /** Offsets the index holds (FastCsv.indexSize); undefined: the default. */
  indexSize?: number;
  /** PAYOUT_NATIVE for the readers that make their own FastCsv (0: indexOf). */
  native: '0' | '1';
}

/** The addon's scan when it is built; without it (no C compiler) the JavaScript reference stands in, so the index's walk is tested all the same. */
export const INDEX_SCAN: CsvScan = csvScan() ?? scanJs;

/** Whether the addon's scan is there (the readers that make their own FastCsv use the index only then). */
export const ADDON_SCAN = csvScan() !== undefined;

export const TOKENIZER_PATHS: TokenizerPath[] = [
  { name: 'indexOf', scan: null, native: '0' },
  { name: 'structural index', scan: INDEX_SCAN, native: '1' },
  { name: 'structural index of 3 offsets a scan', scan: INDEX_SCAN, indexSize: 3, native: '1' },
];

/** Runs `body` with PAYOUT_NATIVE set to `value`, then restores it. */
export async function withNative<T>(value: '0' | '1', body: () => Promise<T> | T): Promise<T> {
  const before = process.env.PAYOUT_NATIVE;
  process.env.PAYOUT_NATIVE = value;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.PAYOUT_NATIVE;
    else process.env.PAYOUT_NATIVE = before;
  }
}
