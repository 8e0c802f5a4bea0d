/**
 * The last guard between payout and a terminal: what is written to stdout or stderr, when it is a
 * terminal, has any control character that is not payout's own shown escaped (core/visible-text.ts).
 * Pipes and files get the bytes as they are (`--json` output is data).
 */
import { visibleTerminalOutput } from '../core/visible-text.js';

export function guardTerminal(stream: NodeJS.WriteStream): void {
  if (!stream.isTTY) return;
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? visibleTerminalOutput(chunk) : chunk, ...rest)) as typeof stream.write;
}
