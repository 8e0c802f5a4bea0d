/**
 * How a claims reading shows itself on a terminal: a progress bar on stderr when stderr is a
 * terminal (never in a pipe or a file) and the file is large enough for the wait to be felt, and
 * the warnings and errors (the first --max-errors of each) on stderr.
 */
import { basename } from 'node:path';
import type { ClaimsReadingHooks, ClaimsSettings } from '../app/validate.js';
import { startProgress } from './progress.js';
import { renderProblemLines, renderTotals } from './render-validate.js';
import { colorFor } from './style.js';

/** What follows the count when the warnings are counted, not listed (`--quiet`). */
const QUIET_NOTE = 'warnings not shown with --quiet: payout validate lists them';

/** The terminal's hooks; `unlistedNote` follows the count of warnings that are not listed. */
export function terminalReadingWith(unlistedNote: string): ClaimsReadingHooks {
  return {
    progress: (file, size, quiet) => startProgress(basename(file), size, { quiet }),
    problems: ({ stats, problems }, maxErrors, quietWarnings) => {
      const c = colorFor(process.stderr);
      const lines = [
        ...renderProblemLines(problems, 'error', stats.errors, maxErrors, c),
        ...(quietWarnings ? [] : renderProblemLines(problems, 'warning', stats.warnings, maxErrors, c)),
        renderTotals(stats.errors, stats.warnings, c) + (quietWarnings && stats.warnings > 0 ? ` (${unlistedNote})` : ''),
      ];
      process.stderr.write(`${lines.join('\n')}\n`);
    },
  };
}

export const terminalReading: ClaimsReadingHooks = terminalReadingWith(QUIET_NOTE);

/**
 * The settings with the terminal's hooks. `--json` and `--quiet` mean the same on every command:
 * neither draws the progress bar; `--quiet` lists errors only and counts the warnings in one line.
 * `unlisted`: a command whose warnings are counted, not listed, unless asked (explain), and the
 * note that says how to list them.
 */
export const onTerminal = (
  settings: ClaimsSettings,
  flags: { json?: boolean | undefined; quiet?: boolean | undefined; unlisted?: string | undefined } = {},
): ClaimsSettings => ({
  ...settings,
  hooks: flags.unlisted === undefined || flags.quiet ? terminalReading : terminalReadingWith(flags.unlisted),
  quiet: Boolean(settings.quiet || flags.json || flags.quiet),
  quietWarnings: Boolean(flags.quiet || flags.unlisted !== undefined),
});
