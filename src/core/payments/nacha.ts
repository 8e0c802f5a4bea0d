/**
 * A NACHA file of PPD credits (docs/payments.md): 94-character records, file header (1), one
 * batch (5 … 8, service class 220: credits only), entry details (6: transaction code 22 checking,
 * 32 savings), file control (9), then lines of 9s up to a multiple of 10 records (blocking factor
 * 10). The dates come from the plan's issue date and the time is 0000, so the same inputs give
 * the same file.
 */
import type { Cents } from '../money.js';
import type { AchConfig } from './plan-section.js';
import { countOf } from '../display-numbers.js';

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
 * One NACHA file holding one batch, made entry by entry: `entry` gives each entry's record as it
 * comes (nothing of it is kept), `finish` the records before the entries (file and batch header)
 * and after them (batch and file control, the 9s filler). The file is `head`, the entries' records
 * each followed by a line break, then `tail`. `fileIdModifier` tells apart files made the same day
 * (A-Z, 0-9). Trace sequences start at `firstSequence`, so that the files of one run never share
 * a trace number (a return names its entry by it). Throws a RangeError when an amount or a total
 * does not fit its field.
 */
export class NachaWriter {
  private readonly date: string;
  private readonly companyId: string;
  private readonly batch: string;
  /** Σ of the entries' 8-digit routing prefixes: exact as a number up to 90 million entries. */
  private routingSum = 0;
  private total = 0n;
  private count = 0;

  constructor(
    private readonly config: AchConfig,
    issueDate: string,
    private readonly fileIdModifier: string,
    batchNumber: number,
    private readonly firstSequence = 1,
  ) {
    this.date = yymmdd(issueDate);
    this.companyId = config.companyId.padEnd(10, ' ').slice(0, 10);
    this.batch = right(batchNumber, 7);
  }

  /** The next entry's record (94 characters, no line break). */
  entry(e: AchEntry): string {
    const trace = traceNumber(this.config.odfi, this.firstSequence + this.count);
    this.count++;
    this.routingSum += Number(e.routing.slice(0, 8));
    this.total += e.amount;
    const line =
      '6' + (e.accountType === 'checking' ? '22' : '32') + e.routing + e.account.padEnd(17, ' ') + right(e.amount, 10) +
      left(e.individualId, 15) + left(e.name, 22) + '  ' + '0' + trace;
    checkLength(line);
    return line;
  }

  /**
   * Counts `count` entries whose records were made elsewhere (as bytes, core/payments/record-batch.ts,
   * or by the addon's rows): the sum of the first 8 digits of their routing numbers, as `entry`
   * counts them; their amounts go in with `credit`.
   */
  tallyRun(count: number, prefixes: number): void {
    this.count += count;
    this.routingSum += prefixes;
  }

  /** Adds to the total the amounts of entries counted by `tallyRun` (summed by the caller, before `finish`). */
  credit(amount: Cents): void {
    this.total += amount;
  }

  /** The records before the entries (file and batch header), which do not depend on them. */
  headRecords(): string[] {
    const { config, date, companyId, batch } = this;
    const destination = ` ${config.immediateDestination}`;
    const origin = config.immediateOrigin.padStart(10, ' ');
    return [
      '1' + '01' + destination + origin + date + '0000' + this.fileIdModifier + '094' + '10' + '1' +
        left(config.immediateDestinationName, 23) + left(config.immediateOriginName, 23) + left(config.referenceCode, 8),
      '5' + '220' + left(config.companyName, 16) + left(config.discretionaryData, 20) + companyId + 'PPD' +
        left(config.entryDescription, 10) + date + date + '   ' + '1' + config.odfi + batch,
    ];
  }

  finish(): { head: string; tail: string; entryHash: bigint; total: Cents; records: number; count: number } {
    const { config, companyId, batch, count, total } = this;
    const head = this.headRecords();
    const entryHash = BigInt(this.routingSum) % 10n ** 10n;
    const hash = right(entryHash, 10);
    const tail = ['8' + '220' + right(count, 6) + hash + right(0, 12) + right(total, 12) + companyId + ' '.repeat(19) + ' '.repeat(6) + config.odfi + batch];
    const records = head.length + count + tail.length + 1;
    const blocks = Math.ceil(records / NACHA_BLOCKING_FACTOR);
    tail.push('9' + right(1, 6) + right(blocks, 6) + right(count, 8) + hash + right(0, 12) + right(total, 12) + ' '.repeat(39));
    const filler = '9'.repeat(NACHA_RECORD_LENGTH);
    let lines = head.length + count + tail.length;
    while (lines % NACHA_BLOCKING_FACTOR !== 0) {
      tail.push(filler);
      lines++;
    }
    for (const l of [...head, ...tail]) checkLength(l);
    return { head: `${head.join('\n')}\n`, tail: `${tail.join('\n')}\n`, entryHash, total, records, count };
  }
}

function checkLength(l: string): void {
  if (l.length !== NACHA_RECORD_LENGTH) throw new RangeError(`NACHA record of ${countOf(l.length, 'character')}: ${l.slice(0, 1)}`);
}

/** One NACHA file of `entries` at once (NachaWriter). */
export function writeNacha(
  config: AchConfig,
  issueDate: string,
  fileIdModifier: string,
  batchNumber: number,
  entries: readonly AchEntry[],
  firstSequence = 1,
): NachaFile {
  const w = new NachaWriter(config, issueDate, fileIdModifier, batchNumber, firstSequence);
  const lines = entries.map((e) => `${w.entry(e)}\n`);
  const traces = entries.map((_, i) => traceNumber(config.odfi, firstSequence + i));
  const f = w.finish();
  return { text: f.head + lines.join('') + f.tail, traces, entryHash: f.entryHash, total: f.total, records: f.records };
}
