/**
 * The import graph of src/ and the rules it must keep (docs/architecture.md): layers point one way,
 * cli → app → io → core, the core is pure, and no module imports itself through others.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative } from 'node:path';

export type Layer = 'core' | 'io' | 'app' | 'cli' | 'other';

/** One module's imports, as written (`./x.js`, `node:fs`, `chalk`), with their kind. */
export interface ImportEdge {
  specifier: string;
  /** A relative import resolved to a path under src/ (`io/hash.ts`), else undefined. */
  target?: string;
  typeOnly: boolean;
}

/** Module path under src/ (`core/plan.ts`) → its imports. */
export type ImportGraph = Map<string, ImportEdge[]>;

// `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')` (each with its text before the quote).
const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports of one module's source text. */
export function importsOf(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean): void => {
    const edge: ImportEdge = { specifier, typeOnly };
    if (specifier.startsWith('.')) edge.target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
    edges.push(edge);
  };
  for (const m of text.matchAll(STATIC)) add(m[3]!, m[2] !== undefined);
  for (const m of text.matchAll(DYNAMIC)) add(m[1]!, false);
  return edges;
}

/** Every .ts module under `srcDir` with its imports. */
export function readImportGraph(srcDir: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts')) {
        const file = relative(srcDir, path).split(/[\\/]/).join('/');
        graph.set(file, importsOf(file, readFileSync(path, 'utf8')));
      }
    }
  };
  walk(srcDir);
  return graph;
}

export const layerOf = (file: string): Layer => {
  const top = file.split('/')[0];
  return top === 'core' || top === 'io' || top === 'app' || top === 'cli' ? top : 'other';
};

/** What each layer must not import (other layers, by name). */
const FORBIDDEN: Record<Layer, Layer[]> = {
  core: ['io', 'app', 'cli'],
  io: ['app', 'cli'],
  app: ['cli'],
  cli: [],
  other: [],
};

const NODE_BUILTINS = new Set(builtinModules);
const isNodeBuiltin = (s: string): boolean => s.startsWith('node:') || NODE_BUILTINS.has(s.split('/')[0]!);

/** Imports that break the layering, one message each (`core/x.ts imports io/y.ts`). */
export function layerViolations(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [file, edges] of graph) {
    const layer = layerOf(file);
    for (const e of edges) {
      if (e.target !== undefined) {
        if (FORBIDDEN[layer].includes(layerOf(e.target))) out.push(`${file} imports ${e.target} (${layer} must not import ${layerOf(e.target)})`);
      } else if (layer === 'core' && (isNodeBuiltin(e.specifier) || e.specifier === 'chalk' || e.specifier.startsWith('chalk/'))) {
        out.push(`${file} imports ${e.specifier} (the core is pure: no node modules, no chalk)`);
      }
    }
  }
  return out;
}

/** Import circles among the relative imports (type-only ones too), each as `a → b → a`. */
export function importCycles(graph: ImportGraph): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const e of graph.get(file) ?? []) {
      if (e.target === undefined || !graph.has(e.target)) continue;
      const s = state.get(e.target);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(e.target)), e.target].join(' → '));
      else if (s === undefined) visit(e.target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

/** Relative imports that name no module under src/ (a typo would hide an edge from the checks). */
export function unresolved(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [file, edges] of graph) {
    for (const e of edges) if (e.target !== undefined && !graph.has(e.target) && !e.target.startsWith('..')) out.push(`${file}: ${e.specifier}`);
  }
  return out;
}

export const srcDirOf = (root: string): string => join(root, 'src');
