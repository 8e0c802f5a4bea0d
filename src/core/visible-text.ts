/**
 * Text from the user's files (claim ids, class and status cells, case names, file names) shown on
 * a terminal with its control characters escaped, so that a cell cannot retitle the terminal
 * (OSC), move the cursor, hide or recolour lines (CSI), reverse the text around it (bidi
 * overrides) or emit a NUL: ESC is shown as `\x1b`, NUL as `\x00`, U+202E as `\u202e`.
 * This is the one definition; the CLI applies it to every message it prints and, as a last
 * guard, to everything it writes to a terminal (cli/terminal-guard.ts).
 */

/** C0 controls (but tab and line feed), DEL, C1 controls, bidi embeddings, overrides and isolates. */
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (ch: string): string => {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** `text` with every control character shown as an escape (`\x1b`, `\x00`, `\u202e`). */
export function visibleText(text: string): string {
  return text.replace(CONTROLS, escape);
}

/**
 * What payout writes to a terminal, with the control characters escaped except payout's own:
 * line ends, tab, carriage return, colours (`ESC [ … m`) and erase-line (`ESC [ K`, the progress
 * line). User text inside has been escaped by visibleText already; this catches what was missed.
 */
export function visibleTerminalOutput(text: string): string {
  return text.replace(/\x1b\[[0-9;]*[mK]|\r|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (m) => (m.length > 1 || m === '\r' ? m : escape(m)));
}
