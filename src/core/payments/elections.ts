/**
 * Payment elections (docs/payments.md): how each claimant chose to be paid, from the claims file's
 * columns or an elections file joined on claim_id. Each method needs its own fields; a claim whose
 * election is missing or invalid is paid by check when it has a mailing address (a warning naming
 * its line), and is an error otherwise. Values in messages are masked to their last 4 characters.
 */
import type { Problem } from '../problems.js';
import { isAbaRouting } from './aba.js';
import { isDigits, isEmailAddress, isVenmoHandle, normalisePhone, withoutSpacesAndHyphens } from './election-text.js';
import { maskLast4 } from '../mask.js';

export { normalisePhone };

export const PAYMENT_METHODS = ['paypal', 'venmo', 'ach', 'check'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The columns an election is read from (header names, matched case-insensitively). */
export const ELECTION_COLUMNS = {
  method: 'payment_method',
  email: 'email',
  phone: 'phone',
  venmoHandle: 'venmo_handle',
  routing: 'routing_number',
  account: 'account_number',
  accountType: 'account_type',
  name: 'name',
  address: 'address',
  address2: 'address2',
  city: 'city',
  state: 'state',
  zip: 'zip',
} as const;
export type ElectionField = keyof typeof ELECTION_COLUMNS;
export type ElectionInput = Record<ElectionField, string>;

export interface MailingAddress {
  name: string;
  address: string;
  address2: string;
  city: string;
  state: string;
  zip: string;
}

export type Election =
  | { method: 'paypal'; recipient: string; recipientKind: 'email' | 'phone' }
  | { method: 'venmo'; recipient: string; recipientKind: 'phone' | 'handle' }
  | { method: 'ach'; routing: string; account: string; accountType: 'checking' | 'savings'; name: string }
  | ({ method: 'check' } & MailingAddress);

export interface ElectionResult {
  election?: Election;
  /** The mailing address, when the row has one (a failed electronic payment is reissued to it). */
  mailing?: MailingAddress;
  problems: Problem[];
}

// Three faults' messages, also made from bytes (election-bytes.ts: the claims paid by check for them).
/** A payment method that is none of PAYMENT_METHODS (`text`: the cell, trimmed). */
export const unknownMethod = (text: string): string => `unknown payment method ${JSON.stringify(text)} (accepted: ${PAYMENT_METHODS.join(', ')})`;
/** A routing number of 9 digits whose ABA check digit is wrong. */
export const routingCheckDigit = (routing: string): string => `routing number ${maskLast4(routing)} fails the ABA check digit (a mistyped digit?)`;
export const VENMO_EMAIL = 'Venmo needs a phone number or a venmo_handle; an email is not accepted for Venmo';

/** The warning of a fault in `field`: the claim is paid by check to its mailing address instead. */
export function fallbackWarning(place: { file: string; line: number; claimId: string }, field: ElectionField, message: string): Problem {
  return {
    code: 'input',
    severity: 'warning',
    file: place.file,
    line: place.line,
    field: ELECTION_COLUMNS[field],
    message: `${message}; claim ${place.claimId} is paid by check to its mailing address`,
  };
}

/** The problems of an election read without any (shared: nothing adds to it). */
const NO_PROBLEMS: Problem[] = Object.freeze([]) as unknown as Problem[];

type Fault = { field: ElectionField; message: string };

function mailingOf(input: ElectionInput): MailingAddress | undefined {
  const name = input.name.trim();
  const address = input.address.trim();
  if (name === '' || address === '') return undefined;
  return { name, address, address2: input.address2.trim(), city: input.city.trim(), state: input.state.trim(), zip: input.zip.trim() };
}

/** A check to `m`, field by field (spreading `m` took V8's slow path, once per check). */
const checkTo = (m: MailingAddress): Election => ({ method: 'check', name: m.name, address: m.address, address2: m.address2, city: m.city, state: m.state, zip: m.zip });

/**
 * Reads one claim's election. `place` names the file and line for messages (neither it nor `input`
 * is kept: a reader may reuse them for the next claim). Problems are errors
 * when the claim cannot be paid at all, warnings when it falls back to a check.
 */
export function readElection(input: ElectionInput, place: { file: string; line: number; claimId: string }): ElectionResult {
  // Made at the first fault only: nearly every election has none.
  let faults: Fault[] | undefined;
  const fault = (field: ElectionField, message: string): void => void (faults ??= []).push({ field, message });
  const mailing = mailingOf(input);
  const method = input.method.trim().toLowerCase();
  let election: Election | undefined;

  if (method === '') {
    fault('method', `no payment method (accepted: ${PAYMENT_METHODS.join(', ')})`);
  } else if (method === 'paypal') {
    const email = input.email.trim();
    const phoneText = input.phone.trim();
    if (email !== '') {
      if (isEmailAddress(email)) election = { method, recipient: email, recipientKind: 'email' };
      else fault('email', `PayPal needs a valid email address (${maskLast4(email)} is not one)`);
    } else if (phoneText !== '') {
      const phone = normalisePhone(phoneText);
      if (phone !== undefined) election = { method, recipient: phone, recipientKind: 'phone' };
      else fault('phone', `PayPal needs a 10-digit US phone number (${maskLast4(phoneText)} is not one)`);
    } else fault('email', 'PayPal needs an email or a phone number');
  } else if (method === 'venmo') {
    const phoneText = input.phone.trim();
    const handleText = input.venmoHandle.trim();
    const handle = handleText.charCodeAt(0) === 0x40 ? handleText.slice(1) : handleText;
    if (phoneText !== '') {
      const phone = normalisePhone(phoneText);
      if (phone !== undefined) election = { method, recipient: phone, recipientKind: 'phone' };
      else fault('phone', `Venmo needs a 10-digit US phone number (${maskLast4(phoneText)} is not one)`);
    } else if (handle !== '') {
      if (isVenmoHandle(handle)) election = { method, recipient: handle, recipientKind: 'handle' };
      else fault('venmoHandle', `not a Venmo handle (${maskLast4(handle)}): 5 to 30 letters, digits, - or _`);
    } else if (input.email.trim() !== '') {
      fault('phone', VENMO_EMAIL);
    } else fault('phone', 'Venmo needs a phone number or a venmo_handle');
  } else if (method === 'ach') {
    const routing = input.routing.trim();
    const account = withoutSpacesAndHyphens(input.account.trim());
    const type = input.accountType.trim().toLowerCase();
    const name = input.name.trim();
    let ok = true;
    if (routing === '') (ok = false), fault('routing', 'ACH needs a routing number');
    else if (!isDigits(routing, 9, 9)) (ok = false), fault('routing', `a routing number has 9 digits (${maskLast4(routing)} does not)`);
    else if (!isAbaRouting(routing)) (ok = false), fault('routing', routingCheckDigit(routing));
    if (account === '') (ok = false), fault('account', 'ACH needs an account number');
    else if (!isDigits(account, 4, 17)) (ok = false), fault('account', `an account number has 4 to 17 digits (${maskLast4(account)} does not)`);
    if (type !== 'checking' && type !== 'savings') {
      ok = false;
      fault('accountType', type === '' ? 'ACH needs an account_type: checking or savings' : `account_type must be checking or savings, not ${JSON.stringify(input.accountType.trim())}`);
    }
    if (name === '') (ok = false), fault('name', 'ACH needs the account holder\'s name');
    if (ok) election = { method, routing, account, accountType: type as 'checking' | 'savings', name };
  } else if (method === 'check') {
    if (mailing !== undefined) election = checkTo(mailing);
    else fault(input.name.trim() === '' ? 'name' : 'address', 'a check needs a name and a mailing address');
  } else {
    fault('method', unknownMethod(input.method.trim()));
  }

  if (election !== undefined) return mailing !== undefined ? { election, mailing, problems: NO_PROBLEMS } : { election, problems: NO_PROBLEMS };
  if (faults === undefined) throw new Error('internal: an election neither read nor faulted');
  const at = (severity: Problem['severity'], f: { field: ElectionField; message: string }): Problem => ({
    code: 'input',
    severity,
    file: place.file,
    line: place.line,
    field: ELECTION_COLUMNS[f.field],
    message: f.message,
  });
  if (mailing !== undefined && method !== 'check') {
    // Paid all the same, by check to the address on file: the administrator is told, the claimant is not left out.
    return {
      election: checkTo(mailing),
      mailing,
      problems: faults.map((f) => fallbackWarning(place, f.field, f.message)),
    };
  }
  return {
    problems: faults.map((f) => ({ ...at('error', f), message: `${f.message}; claim ${place.claimId} has no mailing address to fall back on` })),
  };
}
