/**
 * Errors are data with a place. The core and the readers collect every problem they find and hand
 * them back; only the CLI renders them (`claims.csv:42: class: unknown class "ilinois" …`) and only
 * the entry point turns them into an exit code (docs/spec.md §8).
 */
import { visibleText } from './visible-text.js';

export type Severity = 'error' | 'warning';

/** A stable code per kind of problem; the catalogue under fixtures/errors/ has one bad input each. */
export type ProblemCode =
  // plan.json
  | 'plan_json'
  | 'plan_invalid'
  // claims CSV
  | 'empty_file'
  | 'header_only'
  | 'missing_column'
  | 'duplicate_column'
  | 'column_count'
  | 'unclosed_quote'
  | 'csv_syntax'
  | 'invalid_utf8'
  | 'empty_claim_id'
  | 'duplicate_claim_id'
  | 'unknown_class'
  | 'bad_units'
  | 'duplicate_email'
  | 'duplicate_name_address'
  | 'blank_row'
  | 'lookalike_claim_id'
  | 'blank_status'
  // anything else a command reports about its inputs
  | 'input';

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  message: string;
  /** The file the problem is in, as the user named it. */
  file?: string;
  /** Physical line (1-based; the CSV header is line 1) on which the record starts. */
  line?: number;
  /** The column or JSON path the problem is about. */
  field?: string;
}

/**
 * The issues of a schema check (zod's `error.issues`) of a JSON file payout reads back, one input
 * error each, at the key's dotted path. (plan.json has its own wording: see parsePlan.)
 */
export function schemaProblems(issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>, file: string): Problem[] {
  return issues.map((i) => ({
    code: 'input',
    severity: 'error',
    file,
    ...(i.path.length > 0 ? { field: i.path.map(String).join('.') } : {}),
    message: i.message,
  }));
}

/**
 * `file:line: field: message`, the shape every tool that reads text files uses. Control
 * characters from the files (a claim id holding ESC or NUL) are shown escaped (visible-text.ts).
 */
export function formatProblem(p: Problem): string {
  let place = p.file ?? '';
  if (p.line !== undefined) place += `${place ? ':' : 'line '}${p.line}`;
  const head = place ? `${place}: ` : '';
  const field = p.field ? `${p.field}: ` : '';
  return visibleText(`${head}${field}${p.message}`);
}
