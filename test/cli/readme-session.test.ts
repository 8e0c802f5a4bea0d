/**
 * The README's "A session at the terminal" works as written, right after the quick start and again
 * after itself (npm start writes out/tiktok-full/, the session out/tiktok/); and the README names
 * every test that needs Chromium.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The `payout …` lines of the session's sh block, comments dropped, as argument lists. */
function sessionCommands(): string[][] {
  const section = README.slice(README.indexOf('### A session at the terminal'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l.startsWith('payout '))
    .map((l) => l.split(/\s+/).slice(1));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('README', () => {
  it('the terminal session runs, twice over, each command exit 0', async () => {
    const commands = sessionCommands();
    expect(commands.map((c) => c[0])).toEqual(['validate', 'allocate', 'verify', 'explain', 'report', 'estimate']);
    // A clone after `npm start`: the fixtures, and out/tiktok-full/ (not touched by the session).
    const cwd = mkdtempSync(join(tmpdir(), 'payout-readme-'));
    symlinkSync(join(ROOT, 'fixtures'), join(cwd, 'fixtures'));
    for (const round of [1, 2]) {
      for (const args of commands) {
        const r = await runCli(args, { cwd });
        expect(r.code, `round ${round}: payout ${args.join(' ')}\n${r.stderr}`).toBe(0);
      }
    }
  }, 120_000);

  it('names every test that needs Chromium, and the package', () => {
    const self = join(ROOT, 'test/cli/readme-session.test.ts');
    const helper = join(ROOT, 'test/helpers/chromium.ts');
    // A browser test names the browser itself or takes it from test/helpers/chromium.ts.
    const browserTests = filesUnder(join(ROOT, 'test')).filter((f) => {
      if (!f.endsWith('.ts') || f === self || f === helper) return false;
      const text = readFileSync(f, 'utf8');
      return text.includes("'/usr/bin/chromium'") || text.includes("from '../helpers/chromium.js'");
    });
    expect(browserTests.length).toBeGreaterThan(0);
    const development = README.slice(README.indexOf('## Development'));
    expect(development).toContain('**Chromium** at `/usr/bin/chromium`');
    for (const f of browserTests) expect(development).toContain(relative(ROOT, f));
  });
});
