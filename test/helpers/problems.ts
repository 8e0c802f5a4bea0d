import { basename } from 'node:path';
import { formatProblem, type Problem } from '../../src/core/problems.js';

/** `<severity> <code> <file>:<line>: <field>: <message>`, the file named without its directory. */
export function catalogueLine(p: Problem): string {
  return `${p.severity} ${p.code} ${formatProblem({ ...p, file: basename(p.file ?? '') })}`;
}
