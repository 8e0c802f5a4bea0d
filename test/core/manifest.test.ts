/** core/manifest.ts: one builder for every command's manifest, its keys always in the same order. */
import { describe, expect, it } from 'vitest';
import { buildManifest, manifestText } from '../../src/core/manifest.js';
import { VERSION } from '../../src/core/version.js';

const outputs = [
  { file: 'ledger.csv', sha256: 'a'.repeat(64), bytes: 10, rows: 2 },
  { file: 'summary.json', sha256: 'b'.repeat(64), bytes: 5 },
];

describe('buildManifest', () => {
  it('orders the keys format, tool, command, plan, claims, inputs, parameters, seed, outputs whatever the order given', () => {
    const m = buildManifest(
      {
        seed: 's',
        parameters: { costs: '1.00' },
        inputs: { uncashed: { file: 'u.csv', sha256: 'c'.repeat(64), rows: 1 } },
        claims: { file: 'claims.csv', sha256: 'd'.repeat(64), rows: 2 },
        plan: { file: 'plan.json', sha256: 'e'.repeat(64) },
        command: 'x',
      },
      outputs,
    );
    expect(Object.keys(m)).toEqual(['format', 'tool', 'command', 'plan', 'claims', 'inputs', 'parameters', 'seed', 'outputs']);
    expect(m.tool).toEqual({ name: 'payout', version: VERSION });
  });

  it('leaves out what a command does not record (no undefined keys in the text)', () => {
    const m = buildManifest({ command: 'allocate', plan: { file: 'plan.json', sha256: 'e'.repeat(64) }, seed: 's' }, outputs);
    expect(Object.keys(m)).toEqual(['format', 'tool', 'command', 'plan', 'seed', 'outputs']);
    expect(manifestText(m)).not.toContain('undefined');
    expect(manifestText(m).endsWith('}\n')).toBe(true);
  });
});
