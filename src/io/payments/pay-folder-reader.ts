/**
 * Reads a pay run's folder back for `payout reconcile`: manifest.json (command "pay"), then
 * payments.csv and addresses.csv, each checked against the SHA-256 the manifest records.
 */
import { basename, join } from 'node:path';
import { restoreFormula } from '../../core/csv-cell.js';
import { DataError, UsageError } from '../../core/errors.js';
import type { Manifest, ManifestInput } from '../../core/manifest.js';
import { parseMoney } from '../../core/money.js';
import type { MailingAddress } from '../../core/payments/elections.js';
import { PAYMENTS_COLUMNS, type PaymentRecord } from '../../core/payments/rows.js';
import type { Problem } from '../../core/problems.js';
import { csvReadError, readCsvFile } from '../csv-records.js';
import type { FileDigest } from '../file-hash.js';
import { sha256Hex } from '../hash.js';
import { readJsonFile } from '../json-file.js';
import { assertFinishedRun } from '../run-state.js';

export interface PayFolderRead {
  dir: string;
  manifest: Manifest;
  payments: PaymentRecord[];
  mailing: Map<string, MailingAddress>;
  inputs: Record<string, ManifestInput>;
}

export async function readPayFolder(dir: string): Promise<PayFolderRead> {
  const manifestPath = join(dir, 'manifest.json');
  await assertFinishedRun(dir);
  const manifestFile = await readJsonFile(manifestPath, {
    kind: 'manifest',
    refused: `${manifestPath}: not valid JSON`,
    missing: () => new UsageError(`${dir} has no manifest.json: is it the --out folder of payout pay?`),
  });
  const bytes = manifestFile.bytes;
  const manifest = manifestFile.value as Manifest;
  if (Array.isArray(manifest.outputs)) await assertFinishedRun(dir, manifest.outputs.map((o) => String(o.file)));
  if (manifest.command !== 'pay' || !Array.isArray(manifest.outputs)) throw new UsageError(`${dir} is not the folder of payout pay (its manifest's command is ${JSON.stringify(manifest.command)})`);
  const folder = basename(dir.replace(/[\\/]+$/, '')) || '.';
  const inputs: Record<string, ManifestInput> = { payManifest: { file: `${folder}/manifest.json`, sha256: sha256Hex(bytes) } };
  const mismatch: Problem[] = [];
  const read = async (name: string, onRecord: (cells: string[], line: number) => void): Promise<void> => {
    const path = join(dir, name);
    let digest: FileDigest;
    try {
      digest = await readCsvFile(path, onRecord);
    } catch (err) {
      throw csvReadError(path, 'the ledger', err);
    }
    const recorded = manifest.outputs.find((o) => o.file === name);
    if (recorded?.sha256 !== digest.sha256) {
      mismatch.push({ code: 'input', severity: 'error', message: `${path} does not match its manifest (sha256 ${digest.sha256} now, ${recorded?.sha256 ?? 'none'} recorded)` });
    }
    inputs[name === 'payments.csv' ? 'payments' : 'addresses'] = { file: `${folder}/${name}`, sha256: digest.sha256 };
  };

  const payments: PaymentRecord[] = [];
  let header = true;
  await read('payments.csv', (c, line) => {
    if (header) {
      header = false;
      if (c.join(',') !== PAYMENTS_COLUMNS.join(',')) throw new UsageError(`${dir}/payments.csv:1: not the payments.csv of payout pay`);
      return;
    }
    const amount = parseMoney(c[7] ?? '');
    if (amount === undefined) throw new DataError(`${dir}/payments.csv:${line}: amount ${JSON.stringify(c[7])} is not an amount`);
    payments.push({
      paymentId: c[0] ?? '',
      claimId: restoreFormula(c[1] ?? ''),
      round: Number(c[2]),
      method: c[3] as PaymentRecord['method'],
      file: c[4] ?? '',
      row: Number(c[5]),
      reference: restoreFormula(c[6] ?? ''),
      amount,
      currency: c[8] ?? '',
      destination: c[9] ?? '',
    });
  });
  const mailing = new Map<string, MailingAddress>();
  header = true;
  await read('addresses.csv', (c) => {
    if (header) return void (header = false);
    const [id = '', name = '', address = '', address2 = '', city = '', state = '', zip = ''] = c.map(restoreFormula);
    mailing.set(id, { name, address, address2, city, state, zip });
  });
  if (mismatch.length > 0) throw new DataError(`${dir}: the payment files are not the ones its manifest records`, mismatch);
  return { dir, manifest, payments, mailing, inputs };
}
