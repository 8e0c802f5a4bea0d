/**
 * Runs before every test file (vitest.config.ts setupFiles). ClaimIds keeps its data in private
 * fields, which toEqual does not see: two tables with different claim ids would compare equal.
 * This tester compares them by their ids.
 */
import { expect } from 'vitest';
import { ClaimIds } from '../../src/core/claims.js';

expect.addEqualityTesters([
  (a: unknown, b: unknown) => {
    const aIds = a instanceof ClaimIds;
    const bIds = b instanceof ClaimIds;
    if (!aIds && !bIds) return undefined;
    if (aIds !== bIds) return false;
    const x = (a as ClaimIds).toArray();
    const y = (b as ClaimIds).toArray();
    return x.length === y.length && x.every((id, i) => id === y[i]);
  },
]);
