/**
 * A generated payments input of `rows` claims (scripts/generate-payments-fixture.js): claims.csv,
 * elections.csv and the payments fixture's plan with a gross of $92 a claim, in `dir`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './run-cli.js';

export interface PaymentsInput {
  plan: string;
  claims: string;
  elections: string;
}

export async function writePaymentsInput(dir: { path(name: string): string }, rows: number, seed: string): Promise<PaymentsInput> {
  const { claimsText, electionsText } = (await import(pathToFileURL(join(ROOT, 'scripts/generate-payments-fixture.js')).href)) as {
    claimsText: (rows: number, seed: string) => string;
    electionsText: (claims: string) => string;
  };
  const input = { plan: dir.path('plan.json'), claims: dir.path('claims.csv'), elections: dir.path('elections.csv') };
  const text = claimsText(rows, seed);
  writeFileSync(input.claims, text);
  writeFileSync(input.elections, electionsText(text));
  const p = JSON.parse(readFileSync(join(ROOT, 'fixtures/payments/plan.json'), 'utf8')) as { gross: string };
  p.gross = `${rows * 92}.00`;
  writeFileSync(input.plan, JSON.stringify(p));
  return input;
}
