/**
 * Returns files for `payout reconcile`, told apart by their header (case-insensitive):
 *   ACH returns      return_code, and payment_id, trace_number or claim_id; amount
 *   PayPal items     status, and payment_id or customer_reference; amount (no check_number)
 *   check statuses   check_number (or payment_id), status; amount
 * A byte-order mark and CRLF are accepted; every row is kept with its line for the messages.
 */
import { basename } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { ManifestInput } from '../../core/manifest.js';
import type { ReturnKind, ReturnRow } from '../../core/payments/reconcile.js';
import { csvReadError, readCsvFile } from '../csv-records.js';

export async function readReturns(file: string): Promise<{ kind: ReturnKind; rows: ReturnRow[]; input: ManifestInput }> {
  let col: Record<string, number> | undefined;
  let kind: ReturnKind | undefined;
  const rows: ReturnRow[] = [];
  let digest;
  try {
    digest = await readCsvFile(file, (cells, line) => {
      if (col === undefined) {
        const names = cells.map((h) => h.trim().toLowerCase());
        col = Object.fromEntries(names.map((n, i) => [n, i]));
        const has = (n: string): boolean => col![n] !== undefined;
        kind = has('return_code') ? 'ach' : has('check_number') ? 'check' : has('status') ? 'paypal' : undefined;
        if (kind === undefined) {
          throw new UsageError(
            `${file}:1: cannot tell the kind of returns file from its header (${names.join(', ')}): an ACH returns file has return_code, a check status file check_number and status, a PayPal file status and customer_reference`,
          );
        }
        if (!has('amount')) throw new UsageError(`${file}:1: no amount column: every returned or reported payment is checked against the amount issued`);
        return;
      }
      const cell = (n: string): string | undefined => {
        const i = col![n];
        const v = i === undefined ? undefined : (cells[i] ?? '').trim();
        return v === '' ? undefined : v;
      };
      const paymentId = cell('payment_id');
      const reference = kind === 'ach' ? cell('trace_number') : kind === 'check' ? cell('check_number') : undefined;
      const claimId = kind === 'paypal' ? (cell('customer_reference') ?? cell('claim_id')) : cell('claim_id');
      const status = kind === 'ach' ? (cell('return_code') ?? '').toUpperCase() : (cell('status') ?? '').toLowerCase();
      rows.push({
        kind: kind!,
        file,
        line,
        ...(paymentId !== undefined ? { paymentId } : {}),
        ...(reference !== undefined ? { reference } : {}),
        ...(claimId !== undefined ? { claimId } : {}),
        status,
        amountText: cell('amount') ?? '',
      });
    });
  } catch (err) {
    throw csvReadError(file, 'the returns file', err);
  }
  if (kind === undefined) throw new UsageError(`${file}: empty, expected a header`);
  return { kind, rows, input: { file: basename(file), sha256: digest.sha256, rows: rows.length } };
}
