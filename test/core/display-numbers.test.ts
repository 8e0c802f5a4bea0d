import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseNameParts } from '../../src/core/display-numbers.js';

const dockets = (name: string): string[] => caseNameParts(name).filter((p) => p.docket).map((p) => p.text);

describe('caseNameParts: docket numbers kept whole', () => {
  it('finds MDL, case and docket numbers with what names them', () => {
    expect(dockets('In re TikTok, Inc., Consumer Privacy Litigation (MDL 2948)')).toEqual(['MDL 2948']);
    expect(dockets('In re Apple Inc. Device Performance Litigation, Case No. 5:18-md-02827-EJD')).toEqual(['Case No. 5:18-md-02827-EJD']);
    expect(dockets('Rosenbach v. Six Flags, No. 2019-CH-03145 (MDL No. 2967)')).toEqual(['No. 2019-CH-03145', 'MDL No. 2967']);
    expect(dockets('Facebook BIPA, 3:15-cv-03747-JD')).toEqual(['3:15-cv-03747-JD']);
    expect(dockets('Statuses: approved and cured claims are paid')).toEqual([]);
  });

  it('the parts joined give the name back', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (name) => caseNameParts(name).map((p) => p.text).join('') === name));
  });
});
