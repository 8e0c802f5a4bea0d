/**
 * What both payment batch builders (batch.ts, on one thread; record-batch.ts, from records on the
 * payment files' worker) refuse, with the same words, and the order they give their files in.
 */
import { UsageError } from '../errors.js';
import { claimCount } from '../display-numbers.js';
import type { ControlLine, PaymentFile } from './batch-types.js';
import type { PaymentsConfig } from './plan-section.js';

/** NACHA file id modifiers: one a file, A–Z then 0–9 (36 files a day). */
export const ACH_FILE_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Trace numbers of one ODFI: 7 digits. */
const TRACE_NUMBERS = 9_999_999;

const tooManyAch = (achCount: number): UsageError => new UsageError(`${achCount} ACH payments: more than the 9,999,999 trace numbers of one ODFI`);

/** Refuses to close NACHA file number `file` past the day's file id modifiers, or one that never opened (its payments past the trace numbers). */
export function refuseAchFile(entriesPerFile: number, file: number, opened: boolean, achCount: number): void {
  if (file > ACH_FILE_IDS.length) {
    throw new UsageError(`more ACH payments than ${ACH_FILE_IDS.length} NACHA files of ${entriesPerFile}, the file id modifiers of one day: raise payments.ach.entriesPerFile`);
  }
  if (!opened) throw tooManyAch(achCount);
}

/** Refuses a batch with ACH or check payments and no part of the plan for them, or more ACH payments than trace numbers. */
export function refuseUnplanned(config: PaymentsConfig, achClaims: number, checkClaims: number, achCount: number): void {
  if (achClaims > 0 && config.ach === undefined) {
    throw new UsageError(`${claimCount(achClaims)} elected ACH: the plan's payments.ach section (origin, company, ODFI) is needed to write the NACHA file`);
  }
  if (checkClaims > 0 && config.check === undefined) {
    throw new UsageError(`${claimCount(checkClaims)} ${checkClaims === 1 ? 'is' : 'are'} paid by check: the plan's payments.check section (startNumber) is needed to number the checks`);
  }
  if (achCount > TRACE_NUMBERS) throw tooManyAch(achCount);
}

/** The files in a fixed order (PayPal, ACH, then the check register when there is one) and their total. */
export function orderedFiles(files: readonly PaymentFile[], checks: PaymentFile | undefined): { files: PaymentFile[]; total: ControlLine } {
  const ordered = [...files.filter((f) => f.method === 'paypal'), ...files.filter((f) => f.method === 'ach'), ...(checks !== undefined ? [checks] : [])];
  const total = ordered.reduce((t, f) => ({ count: t.count + f.count, amount: t.amount + f.amount }), { count: 0, amount: 0n } as ControlLine);
  return { files: ordered, total };
}
