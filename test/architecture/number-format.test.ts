/**
 * One number format for people (docs/outputs.md, "Numbers for people"): digits are grouped in one
 * place (core/money.ts `grouped`, used by core/display-numbers.ts), never by a command of its own,
 * and every command says what it wrote with the one `Wrote …` line (cli/wrote.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const files = sources(join(ROOT, 'src')).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

describe('one number format', () => {
  it('digits are grouped only by core/money.ts', () => {
    const grouping = /\\B\(\?=\(\\d\{3\}\)\+\(\?!\\d\)\)|toLocaleString|Intl\.NumberFormat/;
    expect(files.filter((f) => grouping.test(f.text)).map((f) => f.path)).toEqual(['src/core/money.ts']);
  });

  it('no command defines its own money or plural formatter', () => {
    const own = /^(export )?const (human|plural) = \(/m;
    expect(files.filter((f) => f.path.startsWith('src/cli/') && own.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('"Wrote …" comes from cli/wrote.ts alone, in one casing', () => {
    const wrote = /[`'"][Ww]rote /;
    expect(files.filter((f) => wrote.test(f.text)).map((f) => f.path)).toEqual(['src/cli/wrote.ts']);
  });
});
