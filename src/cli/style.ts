/**
 * Colour for people, never for files or pipes: on only when the stream is a terminal and
 * NO_COLOR is not set (https://no-color.org), or when FORCE_COLOR asks for it.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export function colorFor(stream: NodeJS.WriteStream): ChalkInstance {
  const env = process.env;
  let on = Boolean(stream.isTTY);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') on = false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') on = true;
  return new Chalk({ level: on ? 1 : 0 });
}
