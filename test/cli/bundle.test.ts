/**
 * The bundle that bin/payout.js runs (scripts/bundle.js): every file a chunk loads at run time is
 * there. The workers are found by path rather than imported, and a run without them still works
 * (on one thread, slower), so no other test would notice one missing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt, runCli } from '../helpers/run-cli.js';

const BUNDLE = join(ROOT, 'dist/bundle');

describe('dist/bundle', () => {
  beforeAll(() => ensureBuilt());

  it('is what bin/payout.js runs', () => {
    expect(readFileSync(join(ROOT, 'bin/payout.js'), 'utf8')).toMatch(/from '\.\.\/dist\/bundle\/main\.js'/);
  });

  it('has each worker next to the chunk that starts it', () => {
    const files = readdirSync(BUNDLE);
    const started = files.flatMap((f) => [...readFileSync(join(BUNDLE, f), 'utf8').matchAll(/new URL\(["']\.\/([^"']+)["'], import\.meta\.url\)/g)].map((m) => m[1]));
    expect(started.sort()).toEqual(['dedupe-worker.js', 'ledger-worker.js']);
    for (const worker of started) expect(files).toContain(worker);
  });

  it('imports only its own chunks and Node modules', () => {
    const files = new Set(readdirSync(BUNDLE));
    let imports = 0;
    for (const f of files) {
      const text = readFileSync(join(BUNDLE, f), 'utf8');
      // Static imports start a line; dynamic ones are awaited (a JSDoc `{ import("./x.js") }` is neither).
      const specs = [...text.matchAll(/^(?:import|export)\b[^;\n]*?\bfrom\s*"([^"]+)"/gm), ...text.matchAll(/\bawait\s+import\("([^"]+)"\)/g)];
      imports += specs.length;
      for (const m of specs) {
        const spec = m[1] as string;
        if (spec.startsWith('./')) expect(files, `${f} imports ${spec}`).toContain(spec.slice(2));
        else expect(isBuiltin(spec), `${f} imports ${spec}: not a Node module, and not bundled`).toBe(true);
      }
    }
    expect(imports).toBeGreaterThan(20); // the patterns above do find the imports
  });

  it('runs a command end to end', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
