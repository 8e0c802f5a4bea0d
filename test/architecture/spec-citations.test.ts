/**
 * The contract ships with payout: every citation of it in src, docs, scripts and the README
 * names docs/spec.md and a section that the page has, and none points at a file that is not in
 * the repository (the old "SPEC section N").
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...filesUnder(rel));
    else if (/\.(ts|js|py|md)$/.test(name)) out.push(rel);
  }
  return out;
}

const sources = [...filesUnder('src'), ...filesUnder('docs'), ...filesUnder('scripts'), 'README.md'];

/** The section numbers docs/spec.md has: "## 3. Allocation" gives 3, "### 4a. …" gives 4a. */
function specSections(): Set<string> {
  const text = readFileSync(join(root, 'docs', 'spec.md'), 'utf8');
  return new Set([...text.matchAll(/^#{2,3} (\d+[a-z]?)\. /gm)].map((m) => m[1]!));
}

/** Every "docs/spec.md §N[, §M and §K]" in a file, with line breaks and comment stars joined. */
function citations(text: string): string[] {
  const flat = text.replace(/[ \t]*\r?\n[ \t]*(?:\*(?!\/)[ \t]*|\/\/[ \t]*|#[ \t]*)?/g, ' ');
  const found: string[] = [];
  for (const m of flat.matchAll(/docs\/spec\.md((?: ?(?:,|and|to)? ?§[0-9A-Za-z]+)+)/g)) {
    for (const s of m[1]!.matchAll(/§([0-9A-Za-z]+)/g)) found.push(s[1]!);
  }
  return found;
}

describe('citations of the contract', () => {
  it('docs/spec.md keeps the section numbers 1 to 8, 4a, 4b and 6a', () => {
    expect([...specSections()].sort()).toEqual(['1', '2', '3', '4', '4a', '4b', '5', '6', '6a', '7', '8']);
  });

  it('every citation in src, docs, scripts and the README names a section of docs/spec.md', () => {
    const sections = specSections();
    const bad: string[] = [];
    let count = 0;
    for (const file of sources) {
      for (const section of citations(readFileSync(join(root, file), 'utf8'))) {
        count += 1;
        if (!sections.has(section)) bad.push(`${file}: §${section}`);
      }
    }
    expect(bad).toEqual([]);
    expect(count).toBeGreaterThan(50);
  });

  it('no citation points outside the repository (SPEC, SPEC.md)', () => {
    const bad: string[] = [];
    for (const file of sources) {
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\bSPEC(\.md)?\b/.test(line)) bad.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(bad).toEqual([]);
  });

  it('a citation of a section that does not exist is caught', () => {
    expect(citations('see docs/spec.md §9 and\n * §4c')).toEqual(['9', '4c']);
  });
});
