#!/usr/bin/env node
// Deterministic generator of claims with payment elections, and of the returns that come back
// from a payment run (docs/payments.md; fixtures/payments/).
//
//   node scripts/generate-payments-fixture.js claims --rows N --seed S --out FILE
//   node scripts/generate-payments-fixture.js elections --claims FILE --out FILE
//   node scripts/generate-payments-fixture.js returns --pay PAYDIR --seed S --out DIR
//
// claims: claim_id,class,units,status,name,email,phone,venmo_handle,routing_number,account_number,
// account_type,address,city,state,zip,payment_method. About 35% PayPal, 20% Venmo (phone or
// handle), 25% ACH (real routing numbers, whose ABA check digits hold), 15% check, 5% elections
// that fail (an unknown method, Venmo with only an email, an ACH routing number with a wrong
// check digit); most of those have an address and fall back to a check. 2% are rejected (no
// payment). Electronic elections have a mailing address about 70% of the time.
//
// returns: from PAYDIR/payments.csv, ach-returns.csv (claim_id,return_code,amount: ~4% of ACH),
// paypal-items.csv (customer_reference,status,amount: ~5% unclaimed or returned) and
// check-status.csv (check_number,status,amount: ~85% cashed, ~6% void, ~6% stale, the rest no word).
// Same arguments, same bytes: a seeded sfc32 PRNG, no clock.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

function cyrb128(str) {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
function sfc32([a, b, c, d]) {
  return () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const FIRST = ['Ana', 'James', 'Mary', 'Robert', 'Linda', 'Michael', 'Wei', 'Fatima', 'José', 'Chloé', 'Kenji', 'Priya', 'Olga', 'Kwame', 'Sofia', 'Liam'];
const LAST = ['Garcia', 'Smith', 'Johnson', 'Nguyen', 'Okafor', 'Müller', "O'Brien", 'Kowalski', 'Patel', 'Rossi', 'Kim', 'Haddad', 'Silva', 'Brown'];
const STREETS = ['Main St', 'Oak Ave', 'Lake Shore Dr', 'Elm St', 'Cedar Ln', 'Washington Blvd', 'Maple Ct'];
const CITIES = [['Chicago', 'IL', '606'], ['Springfield', 'IL', '627'], ['Austin', 'TX', '787'], ['Denver', 'CO', '802'], ['Boston', 'MA', '021'], ['Seattle', 'WA', '981']];
const ROUTINGS = ['021000021', '011000015', '091000019', '121000248', '026009593', '071000013', '122000247', '111000025'];

const csv = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export const CLAIMS_HEADER = 'claim_id,class,units,status,name,email,phone,venmo_handle,routing_number,account_number,account_type,address,city,state,zip,payment_method';

export function claimsText(rows, seed) {
  const rnd = sfc32(cyrb128(seed));
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const digits = (n) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  const out = [CLAIMS_HEADER];
  for (let i = 1; i <= rows; i++) {
    const id = `PX-${String(i).padStart(7, '0')}`;
    const cls = rnd() < 0.12 ? 'illinois' : 'nationwide';
    const status = rnd() < 0.02 ? 'rejected' : 'approved';
    const first = pick(FIRST);
    const last = pick(LAST);
    const name = `${first} ${last}`;
    const email = `${first}.${last}${i}@example.com`.toLowerCase().normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/'/g, '');
    const [city, state, zip3] = pick(CITIES);
    const home = { address: `${1 + Math.floor(rnd() * 9899)} ${pick(STREETS)}`, city, state, zip: zip3 + digits(2) };
    const r = rnd();
    const e = { email: '', phone: '', venmo: '', routing: '', account: '', type: '', method: '' };
    let withAddress = rnd() < 0.7;
    if (r < 0.35) Object.assign(e, { method: 'paypal', email });
    else if (r < 0.55) Object.assign(e, rnd() < 0.7 ? { method: 'venmo', phone: `(${pick(['312', '773', '512', '303'])}) 555-${digits(4)}` } : { method: 'venmo', venmo: `${first}-${last}-${i}`.normalize('NFD').replace(/[^A-Za-z0-9-]/g, '') });
    else if (r < 0.8) Object.assign(e, { method: 'ach', routing: pick(ROUTINGS), account: digits(8 + Math.floor(rnd() * 5)), type: rnd() < 0.8 ? 'checking' : 'savings' });
    else if (r < 0.95) {
      Object.assign(e, { method: 'check' });
      withAddress = true;
    } else {
      const bad = Math.floor(rnd() * 3);
      if (bad === 0) Object.assign(e, { method: 'prepaid_card', email });
      else if (bad === 1) Object.assign(e, { method: 'venmo', email });
      else Object.assign(e, { method: 'ach', routing: '021000022', account: digits(10), type: 'checking' });
      withAddress = rnd() < 0.9;
    }
    const a = withAddress ? home : { address: '', city: '', state: '', zip: '' };
    out.push(
      [id, cls, '1', status, name, e.email || (e.method === 'paypal' ? email : ''), e.phone, e.venmo, e.routing, e.account, e.type, a.address, a.city, a.state, a.zip, e.method]
        .map(csv)
        .join(','),
    );
  }
  return `${out.join('\n')}\n`;
}

/**
 * elections.csv: corrections an administrator collected after a first `payout pay` refused the
 * claims whose election failed with no address to fall back on (PayPal for the ones with an
 * email, a corrected routing number), 20 PayPal claimants who switched to ACH, and one claim
 * that is not in the claims file (a warning).
 */
export function electionsText(claimsCsv) {
  const [header, ...lines] = claimsCsv.trimEnd().split('\n');
  const cols = header.split(',');
  const at = (cells, name) => cells[cols.indexOf(name)];
  const out = ['claim_id,payment_method,routing_number,account_number,account_type'];
  let switched = 0;
  for (const line of lines) {
    if (line.includes('"')) continue; // names or addresses with commas: never among these rows
    const c = line.split(',');
    const [id, method, address, status] = [at(c, 'claim_id'), at(c, 'payment_method'), at(c, 'address'), at(c, 'status')];
    if (status !== 'approved') continue;
    if (address === '' && (method === 'prepaid_card' || (method === 'venmo' && at(c, 'phone') === '' && at(c, 'venmo_handle') === ''))) out.push(`${id},paypal,,,`);
    else if (address === '' && method === 'ach' && at(c, 'routing_number') === '021000022') out.push(`${id},ach,021000021,${at(c, 'account_number')},checking`);
    else if (method === 'paypal' && switched < 20) {
      switched++;
      out.push(`${id},ach,${switched % 2 ? '071000013' : '026009593'},${7000000000 + switched * 7919},${switched % 4 ? 'checking' : 'savings'}`);
    }
  }
  out.push('PX-9999999,check,,,');
  return `${out.join('\n')}\n`;
}

export function returnsTexts(paymentsCsv, seed) {
  const rnd = sfc32(cyrb128(`${seed}:returns`));
  const [, ...lines] = paymentsCsv.trimEnd().split('\n');
  const ach = ['claim_id,return_code,amount'];
  const paypal = ['customer_reference,status,amount'];
  const checks = ['check_number,status,amount'];
  for (const line of lines) {
    const [, claimId, , method, , , reference, amount] = line.split(',');
    const r = rnd();
    if (method === 'ach' && r < 0.04) ach.push(`${claimId},${['R01', 'R02', 'R03', 'R04'][Math.floor(rnd() * 4)]},${amount}`);
    else if ((method === 'paypal' || method === 'venmo') && r < 0.05) paypal.push(`${claimId},${r < 0.035 ? 'unclaimed' : 'returned'},${amount}`);
    else if (method === 'check') {
      const s = r < 0.85 ? 'cashed' : r < 0.91 ? 'void' : r < 0.97 ? 'stale' : '';
      if (s) checks.push(`${reference},${s},${amount}`);
    }
  }
  const text = (a) => `${a.join('\n')}\n`;
  return { 'ach-returns.csv': text(ach), 'paypal-items.csv': text(paypal), 'check-status.csv': text(checks) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { rows: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, pay: { type: 'string' }, claims: { type: 'string' } } });
  if (mode === 'claims' && values.rows && values.seed && values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, claimsText(Number(values.rows), values.seed));
  } else if (mode === 'elections' && values.out) {
    writeFileSync(values.out, electionsText(readFileSync(rest[rest.indexOf('--claims') + 1] ?? '', 'utf8')));
  } else if (mode === 'returns' && values.pay && values.seed && values.out) {
    mkdirSync(values.out, { recursive: true });
    for (const [name, text] of Object.entries(returnsTexts(readFileSync(join(values.pay, 'payments.csv'), 'utf8'), values.seed))) writeFileSync(join(values.out, name), text);
  } else {
    process.stderr.write('usage: generate-payments-fixture.js claims --rows N --seed S --out FILE | elections --claims FILE --out FILE | returns --pay PAYDIR --seed S --out DIR\n');
    process.exit(2);
  }
}
