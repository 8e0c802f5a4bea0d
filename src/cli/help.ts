/**
 * How `--help` describes an option, the same on every command: a required option says
 * `(required)` (commander's own help does not), and a repeatable option that starts empty does
 * not show its empty list as a default (`(default: [])` tells a reader nothing).
 */
import type { HelpConfiguration, Option } from 'commander';

export function optionDescription(option: Option): string {
  const extra: string[] = [];
  if (option.mandatory) extra.push('required');
  const d: unknown = option.defaultValue;
  const emptyList = Array.isArray(d) && d.length === 0;
  if (d !== undefined && !emptyList && (option.required || option.optional)) {
    extra.push(`default: ${option.defaultValueDescription ?? JSON.stringify(d)}`);
  }
  if (extra.length === 0) return option.description;
  return `${option.description} (${extra.join(', ')})`;
}

/** Given to the program before its commands are added, so that every command inherits it. */
export const helpConfiguration: HelpConfiguration = { optionDescription };
