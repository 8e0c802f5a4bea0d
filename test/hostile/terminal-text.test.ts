/**
 * Control characters from the user's files are shown escaped on a terminal (issue 18, finding 5):
 * a claim or class cell holding ESC/OSC sequences or NUL was echoed raw in error messages.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/core/problems.js';
import { visibleTerminalOutput, visibleText } from '../../src/core/visible-text.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
const PLAN = join(ROOT, 'fixtures/tiktok/plan.json');
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('visibleText', () => {
  it('escapes ESC, NUL, BEL, CR, DEL, C1 and bidi overrides; keeps tab, line feed and other text', () => {
    expect(visibleText('A\x1b]0;pwned\x07B\x00C\rD\x7f\x9bE\u202eF')).toBe('A\\x1b]0;pwned\\x07B\\x00C\\x0dD\\x7f\\x9bE\\u202eF');
    expect(visibleText('café\tx\ny')).toBe('café\tx\ny');
  });

  it('the terminal guard keeps payout\'s own colours, erase-line and carriage return, escapes the rest', () => {
    expect(visibleTerminalOutput('\x1b[31merror\x1b[39m: \x1b]0;t\x07 \r\x1b[K\x00')).toBe('\x1b[31merror\x1b[39m: \\x1b]0;t\\x07 \r\x1b[K\\x00');
  });

  it('formatProblem shows a hostile cell escaped', () => {
    expect(formatProblem({ code: 'unknown_class', severity: 'error', file: 'c.csv', line: 3, field: 'class', message: 'unknown class "x\x1b[2J"' })).toBe(
      'c.csv:3: class: unknown class "x\\x1b[2J"',
    );
  });
});

it('validate and allocate print no raw control character from hostile cells (they did: OSC retitle, NUL)', async () => {
  const claims = tmp.write(
    'hostile.csv',
    'claim_id,class,units,status\nA\x1b]0;pwned\x07,nationwide,1,approved\nB,nation\x1b[31mwide\x00,1,approved\nA\x1b]0;pwned\x07,illinois,1,appr\x1b[8moved\n',
  );
  for (const args of [['validate', '--plan', PLAN, claims], ['allocate', '--plan', PLAN, claims, '--out', tmp.path('out')]]) {
    const r = await runCli(args);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr + r.stdout).toContain('unknown class "nation\\x1b[31mwide\\x00"');
  }
});
