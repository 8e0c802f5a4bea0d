/** verify's reading options: the manifest's record by default, a given option that differs warned about. */
import { describe, expect, it } from 'vitest';
import { recordedReading } from '../../src/app/recorded-reading.js';
import { claimsReading, type Manifest } from '../../src/core/manifest.js';

const manifest = (reading?: Manifest['reading']): Manifest => ({
  format: 'payout-manifest/1',
  tool: { name: 'payout', version: '0' },
  command: 'allocate',
  plan: { file: 'plan.json', sha256: 'x' },
  ...(reading !== undefined ? { reading } : {}),
  seed: 's',
  outputs: [],
});
const settings = (read: { delimiter?: string; map?: Record<string, string> }) => ({ read, maxErrors: 50 });

describe('claimsReading', () => {
  it('records nothing for the defaults, and only what differs otherwise', () => {
    expect(claimsReading(',', undefined, [])).toBeUndefined();
    expect(claimsReading(',', {}, [])).toBeUndefined();
    expect(claimsReading('\t', { units: 'Qty', claim_id: 'No' }, ['state'])).toEqual({ delimiter: '\t', map: { claim_id: 'No', units: 'Qty' }, keep: ['state'] });
  });
});

describe('recordedReading', () => {
  const rec = manifest({ delimiter: ';', map: { claim_id: 'ClaimNumber' } });

  it('uses the record when no option is given', () => {
    const r = recordedReading(rec, settings({ delimiter: ',' }), { delimiter: false, map: false });
    expect(r.claims.read).toEqual({ delimiter: ';', map: { claim_id: 'ClaimNumber' } });
    expect(r.warnings).toEqual([]);
  });

  it('uses the defaults for a manifest without the record', () => {
    const r = recordedReading(manifest(), settings({ delimiter: ',' }), { delimiter: false, map: false });
    expect(r.claims.read).toEqual({ delimiter: ',' });
    expect(r.warnings).toEqual([]);
  });

  it('uses a given option that differs, with a warning naming it and both values', () => {
    const r = recordedReading(rec, settings({ delimiter: '\t', map: { claim_id: 'Other' } }), { delimiter: true, map: true });
    expect(r.claims.read).toEqual({ delimiter: '\t', map: { claim_id: 'Other' } });
    expect(r.warnings).toEqual([
      `--delimiter tab differs from the manifest's delimiter ";": the claims are read with tab`,
      `--map claim_id=Other differs from the manifest's map claim_id=ClaimNumber: the claims are read with --map claim_id=Other`,
    ]);
  });

  it('a given "," on a file whose first line sep=X names the recorded delimiter: read as recorded, no warning', () => {
    const r = recordedReading(rec, settings({ delimiter: ',', map: { claim_id: 'ClaimNumber' } }), { delimiter: true, map: true }, ';');
    expect(r.warnings).toEqual([]);
  });

  it('a given "," on a file whose sep= line names another: the warning says what the file is read with', () => {
    const r = recordedReading(rec, settings({ delimiter: ',' }), { delimiter: true, map: false }, '|');
    expect(r.warnings).toEqual([`--delimiter "," differs from the manifest's delimiter ";": the claims are read with "|" (the file's first line sep=)`]);
  });

  it('says nothing when a given option is the recorded one', () => {
    const r = recordedReading(rec, settings({ delimiter: ';', map: { claim_id: 'ClaimNumber' } }), { delimiter: true, map: true });
    expect(r.warnings).toEqual([]);
  });
});
