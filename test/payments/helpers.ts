/** Test helpers for the payments core: elections and a payments section. */
import type { ElectionInput } from '../../src/core/payments/elections.js';
import type { PaymentsConfig } from '../../src/core/payments/plan-section.js';
import { paymentsSchema } from '../../src/core/payments/plan-section.js';

export const blankElection = (): ElectionInput => ({
  method: '',
  email: '',
  phone: '',
  venmoHandle: '',
  routing: '',
  account: '',
  accountType: '',
  name: '',
  address: '',
  address2: '',
  city: '',
  state: '',
  zip: '',
});

export const election = (fields: Partial<ElectionInput>): ElectionInput => ({ ...blankElection(), ...fields });

export const PAYMENTS_SECTION = {
  issueDate: '2026-12-15',
  ach: {
    immediateDestination: '091000019',
    immediateDestinationName: 'FEDERAL RESERVE BANK',
    immediateOrigin: '1123456789',
    immediateOriginName: 'SETTLEMENT ADMIN',
    companyName: 'TIKTOK SETTLEMNT',
    companyId: '1123456789',
    odfi: '02100002',
  },
  paypal: { note: 'In re TikTok settlement payment' },
  check: { startNumber: '100001' },
};

export function paymentsConfig(overrides: Record<string, unknown> = {}): PaymentsConfig {
  return paymentsSchema.parse({ ...PAYMENTS_SECTION, ...overrides });
}
