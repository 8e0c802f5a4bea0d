/** Reads plan.json: bytes (for the manifest's hash), JSON with a line and column on a syntax error, then the zod check. */
import { readFile } from 'node:fs/promises';
import { parsePlan, type Plan } from '../core/plan.js';
import type { Problem } from '../core/problems.js';
import { UsageError } from '../core/errors.js';
import { sha256Hex } from './hash.js';

export interface LoadedPlan {
  plan: Plan;
  file: string;
  sha256: string;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/** Loads and checks a plan; a plan that is refused is a usage error (exit 2) listing every problem. */
export async function loadPlan(file: string): Promise<LoadedPlan> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(e.code === 'ENOENT' ? `${file}: plan file not found` : `${file}: cannot read the plan file (${e.code ?? e.message})`);
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const problem: Problem = { code: 'plan_json', severity: 'error', file, message: `not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}` };
    if (pos?.[1] !== undefined) {
      const { line, column } = lineAndColumn(text, Number(pos[1]));
      problem.line = line;
      problem.message += ` (column ${column})`;
    }
    throw new UsageError('the plan was refused', [problem]);
  }
  const parsed = parsePlan(value, file);
  if ('problems' in parsed) throw new UsageError('the plan was refused', parsed.problems);
  return { plan: parsed.plan, file, sha256: sha256Hex(bytes) };
}
