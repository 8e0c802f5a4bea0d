/**
 * `--help` says which options are required, on every command: `--plan` appears in the usage line
 * of each command that needs it and its description says `(required)`; a repeatable option that
 * starts empty shows no `(default: [])`.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommands } from '../../src/cli/commands/index.js';
import { helpConfiguration } from '../../src/cli/help.js';
import { runCli } from '../helpers/run-cli.js';

function program(): Command {
  const p = new Command('payout').configureHelp(helpConfiguration);
  registerCommands(p);
  return p;
}

const help = (name: string): string => {
  const cmd = program().commands.find((c) => c.name() === name);
  if (cmd === undefined) throw new Error(`no command ${name}`);
  return cmd.helpInformation();
};

const NEEDS_PLAN = ['validate', 'allocate', 'verify', 'explain', 'estimate', 'redistribute', 'compare', 'pay'];

describe('--help', () => {
  it('lists exactly these commands as needing --plan', () => {
    const needing = program()
      .commands.filter((c) => c.options.some((o) => o.long === '--plan' && o.mandatory))
      .map((c) => c.name());
    expect(needing.sort()).toEqual([...NEEDS_PLAN].sort());
  });

  it.each(NEEDS_PLAN)('%s: --plan in the usage line and marked required', (name) => {
    const text = help(name);
    const usage = text.split('\n')[0] ?? '';
    expect(usage).toMatch(new RegExp(`^Usage: payout ${name} --plan `));
    expect(text).toMatch(/--plan <plan\.json>\s+[^\n]*\(required\)/);
  });

  it('every required option of every command says so', () => {
    for (const cmd of program().commands) {
      const text = cmd.helpInformation().replace(/\n\s+/g, ' ');
      for (const o of cmd.options.filter((x) => x.mandatory)) {
        expect(text, `${cmd.name()} ${o.flags}`).toMatch(new RegExp(`${o.flags.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\n]*?\\(required\\)`));
      }
    }
  });

  it('no command shows an empty list as a default', () => {
    for (const cmd of program().commands) expect(cmd.helpInformation(), cmd.name()).not.toContain('(default: [])');
  });

  it('payout estimate --help (the binary): --plan required, no (default: [])', async () => {
    const r = await runCli(['estimate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: payout estimate --plan PLAN /);
    expect(r.stdout).toMatch(/--plan <plan\.json>\s+the plan of allocation \(required\)/);
    expect(r.stdout).not.toContain('(default: [])');
  });
});
