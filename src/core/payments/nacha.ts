/**
 * A NACHA file of PPD credits (docs/payments.md): 94-character records, file header (1), one
 * batch (5 … 8, service class 220: credits only), entry details (6: transaction code 22 checking,
 * 32 savings), file control (9), then lines of 9s up to a multiple of 10 records (blocking factor
 * 10). The dates come from the plan's issue date and the time is 0000, so the same inputs give
 * the same file.
 */
import type { Cents } from '../money.js';
import type { AchConfig } from './plan-section.js';

export const NACHA_RECORD_LENGTH = 94;
export const NACHA_BLOCKING_FACTOR = 10;

export interface AchEntry {
  routing: string;
  account: string;
  accountType: 'checking' | 'savings';
  amount: Cents;
  /** The claim id (cut to 15: the individual identification number). */
  individualId: string;
  name: string;
}

export interface NachaFile {
  text: string;
  /** Trace numbers, in entry order. */
  traces: string[];
  entryHash: bigint;
  total: Cents;
  records: number;
}

const PRINTABLE_ASCII = /^[ -~]*$/;

/** Upper-case printable ASCII: accents dropped, anything else a space (NACHA's character set). */
export function nachaAlpha(text: string): string {
  // Printable ASCII (nearly every name and claim id) has no accents to drop: upper case is all.
  if (PRINTABLE_ASCII.test(text)) return text.toUpperCase();
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^ -~]/g, ' ');
}

const left = (text: string, width: number): string => nachaAlpha(text).slice(0, width).padEnd(width, ' ');
function right(digits: string | bigint | number, width: number): string {
  const s = String(digits);
  if (s.length > width) throw new RangeError(`${s} does not fit a NACHA field of ${width} digits`);
  return s.padStart(width, '0');
}

/** `"2026-12-15"` → `"261215"`. */
export const yymmdd = (isoDate: string): string => isoDate.slice(2, 4) + isoDate.slice(5, 7) + isoDate.slice(8, 10);

/** The 15-character trace number: the ODFI's 8 digits and the entry's sequence. */
export const traceNumber = (odfi: string, sequence: number): string => odfi + right(sequence, 7);

/**
 * Writes one file holding one batch. `fileIdModifier` tells apart files made the same day (A-Z, 0-9).
 * Trace sequences start at `firstSequence`, so that the files of one run never share a trace
 * number (a return names its entry by it). Throws a RangeError when an amount or a total does not
 * fit its field.
 */
export function writeNacha(
  config: AchConfig,
  issueDate: string,
  fileIdModifier: string,
  batchNumber: number,
  entries: readonly AchEntry[],
  firstSequence = 1,
): NachaFile {
  const date = yymmdd(issueDate);
  const lines: string[] = [];
  const destination = ` ${config.immediateDestination}`;
  const origin = config.immediateOrigin.padStart(10, ' ');
  lines.push(
    '1' + '01' + destination + origin + date + '0000' + fileIdModifier + '094' + '10' + '1' +
      left(config.immediateDestinationName, 23) + left(config.immediateOriginName, 23) + left(config.referenceCode, 8),
  );
  const companyId = config.companyId.padEnd(10, ' ').slice(0, 10);
  const batch = right(batchNumber, 7);
  lines.push(
    '5' + '220' + left(config.companyName, 16) + left(config.discretionaryData, 20) + companyId + 'PPD' +
      left(config.entryDescription, 10) + date + date + '   ' + '1' + config.odfi + batch,
  );
  let entryHash = 0n;
  let total = 0n;
  const traces: string[] = [];
  entries.forEach((e, i) => {
    const trace = traceNumber(config.odfi, firstSequence + i);
    traces.push(trace);
    entryHash += BigInt(e.routing.slice(0, 8));
    total += e.amount;
    lines.push(
      '6' + (e.accountType === 'checking' ? '22' : '32') + e.routing + e.account.padEnd(17, ' ') + right(e.amount, 10) +
        left(e.individualId, 15) + left(e.name, 22) + '  ' + '0' + trace,
    );
  });
  const hash = right(entryHash % 10n ** 10n, 10);
  const count = entries.length;
  lines.push('8' + '220' + right(count, 6) + hash + right(0, 12) + right(total, 12) + companyId + ' '.repeat(19) + ' '.repeat(6) + config.odfi + batch);
  const records = lines.length + 1;
  const blocks = Math.ceil(records / NACHA_BLOCKING_FACTOR);
  lines.push('9' + right(1, 6) + right(blocks, 6) + right(count, 8) + hash + right(0, 12) + right(total, 12) + ' '.repeat(39));
  const filler = '9'.repeat(NACHA_RECORD_LENGTH);
  while (lines.length % NACHA_BLOCKING_FACTOR !== 0) lines.push(filler);
  for (const l of lines) if (l.length !== NACHA_RECORD_LENGTH) throw new RangeError(`NACHA record of ${l.length} characters: ${l.slice(0, 1)}`);
  return { text: `${lines.join('\n')}\n`, traces, entryHash: entryHash % 10n ** 10n, total, records };
}
