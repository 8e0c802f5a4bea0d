/**
 * The layers of src/ (docs/architecture.md), enforced: cli → app → io → core, one way. The core
 * imports no io, app or cli module, no node: module and no chalk; io imports no app or cli; app
 * imports no cli; and no module imports itself through others. The checks are run on the real
 * src/ and, to show they can fail, on small graphs with a planted violation.
 */
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';
import { importCycles, importsOf, layerViolations, readImportGraph, srcDirOf, unresolved, type ImportGraph } from './import-graph.js';

const graphOf = (modules: Record<string, string>): ImportGraph =>
  new Map(Object.entries(modules).map(([file, text]) => [file, importsOf(file, text)]));

describe('src/', () => {
  const graph = readImportGraph(srcDirOf(ROOT));

  it('is read whole: every layer has modules and every relative import names one', () => {
    const layers = new Set([...graph.keys()].map((f) => f.split('/')[0]));
    for (const l of ['core', 'io', 'app', 'cli']) expect(layers).toContain(l);
    expect(graph.size).toBeGreaterThan(50);
    expect([...graph.values()].flat().filter((e) => e.target !== undefined).length).toBeGreaterThan(200);
    expect(unresolved(graph)).toEqual([]);
  });

  it('has layers that point one way (cli → app → io → core) and a pure core', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it("keeps the payment files' worker free of npm packages (zod: ~12 ms of CPU as each worker starts)", () => {
    // The modules the worker loads: its imports that are not types only, and theirs.
    const packages = new Set<string>();
    const seen = new Set<string>();
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const e of graph.get(file) ?? []) {
        if (e.typeOnly) continue;
        if (e.target !== undefined) walk(e.target);
        else if (!e.specifier.startsWith('node:')) packages.add(e.specifier);
      }
    };
    walk('io/payments/pay-build-worker.ts');
    expect(seen.size).toBeGreaterThan(5);
    expect([...packages]).toEqual([]);
  });
});

describe('the checks', () => {
  const clean = {
    'core/plan.ts': "import { x } from './money.js';\nexport const plan = 1;",
    'core/money.ts': 'export const x = 1;',
    'io/plan-file.ts': "import { readFile } from 'node:fs/promises';\nimport { plan } from '../core/plan.js';",
    'app/allocate.ts': "import { plan } from '../core/plan.js';\nimport type { A } from '../io/plan-file.js';",
    'cli/commands/allocate.ts': "import chalk from 'chalk';\nimport { allocateToFolder } from '../../app/allocate.js';\nconst m = await import('../../io/plan-file.js');",
  };

  it('pass a clean graph', () => {
    const g = graphOf(clean);
    expect(layerViolations(g)).toEqual([]);
    expect(importCycles(g)).toEqual([]);
    expect(unresolved(g)).toEqual([]);
  });

  it('find every kind of import', () => {
    const edges = importsOf(
      'cli/x.ts',
      [
        "import a from './a.js';",
        "import type { B } from '../core/b.js';",
        "export { c } from './c.js';",
        "import './d.js';",
        "const e = await import('../app/e.js');",
        "import {\n  f,\n  g,\n} from 'chalk';",
      ].join('\n'),
    );
    expect(edges.map((e) => e.target ?? e.specifier)).toEqual(['cli/a.ts', 'core/b.ts', 'cli/c.ts', 'cli/d.ts', 'chalk', 'app/e.ts']);
    expect(edges.find((e) => e.specifier === '../core/b.js')?.typeOnly).toBe(true);
  });

  it.each([
    ['core imports io', 'core/plan.ts', "import { f } from '../io/plan-file.js';", 'core/plan.ts imports io/plan-file.ts'],
    ['core imports app (type only)', 'core/plan.ts', "import type { R } from '../app/allocate.js';", 'core/plan.ts imports app/allocate.ts'],
    ['core imports cli (dynamic)', 'core/money.ts', "const m = await import('../cli/commands/allocate.js');", 'core/money.ts imports cli/commands/allocate.ts'],
    ['core imports node:', 'core/money.ts', "import { createHash } from 'node:crypto';", 'core/money.ts imports node:crypto'],
    ['core imports a builtin without node:', 'core/money.ts', "import { readFileSync } from 'fs';", 'core/money.ts imports fs'],
    ['core imports chalk', 'core/plan.ts', "import chalk from 'chalk';", 'core/plan.ts imports chalk'],
    ['io imports app', 'io/plan-file.ts', "import { allocateToFolder } from '../app/allocate.js';", 'io/plan-file.ts imports app/allocate.ts'],
    ['io imports cli', 'io/plan-file.ts', "export { x } from '../cli/commands/allocate.js';", 'io/plan-file.ts imports cli/commands/allocate.ts'],
    ['app imports cli', 'app/allocate.ts', "import { x } from '../cli/commands/allocate.js';", 'app/allocate.ts imports cli/commands/allocate.ts'],
  ])('fail on a planted violation: %s', (_name, file, line, expected) => {
    const g = graphOf({ ...clean, [file]: `${clean[file as keyof typeof clean]}\n${line}` });
    const found = layerViolations(g);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it('fail on a planted circle, naming its modules in order', () => {
    const g = graphOf({
      ...clean,
      'core/money.ts': "import type { P } from './plan.js';\nexport const x = 1;",
    });
    expect(importCycles(g)).toEqual(['core/plan.ts → core/money.ts → core/plan.ts']);
  });

  it('fail on a circle through a dynamic import across three modules', () => {
    const g = graphOf({
      'app/verify.ts': "const r = await import('./redistribute.js');",
      'app/redistribute.ts': "import { manifestSeedCheck } from './recompute.js';",
      'app/recompute.ts': "import type { VerifyResult } from './verify.js';",
    });
    expect(importCycles(g)).toEqual(['app/recompute.ts → app/verify.ts → app/redistribute.ts → app/recompute.ts']);
  });

  it('fail on a relative import that names no module', () => {
    expect(unresolved(graphOf({ 'io/a.ts': "import { b } from './b.js';" }))).toEqual(['io/a.ts: ./b.js']);
  });
});
