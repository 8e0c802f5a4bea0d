/**
 * src/native/csv_scan.c takes its SSE2 block scan on every compiler that has SSE2: GCC and Clang
 * define __SSE2__, MSVC does not (it defines _M_X64 / _M_AMD64 on x64, _M_IX86_FP >= 2 on x86 with
 * /arch:SSE2). The file is run through the C preprocessor with __SSE2__ undefined and MSVC's macros
 * given: the SSE2 loads must be there (and not without them). Needs a C compiler (`cc`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const hasCc = spawnSync('cc', ['--version']).status === 0;
const tmp = tempDir();

/** The preprocessed csv_scan.c with `defines` (node_api.h: an empty stand-in) uses the SSE2 loads. */
function usesSse2(defines: string[]): boolean {
  mkdirSync(tmp.path('inc'), { recursive: true });
  writeFileSync(tmp.path('inc/node_api.h'), '');
  const r = spawnSync('cc', ['-E', '-U__SSE2__', ...defines, '-I', tmp.path('inc'), join(ROOT, 'src/native/csv_scan.c')], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.includes('_mm_loadu_si128');
}

describe.skipIf(!hasCc)('csv_scan.c on MSVC', () => {
  it('uses SSE2 on x64 and on x86 with /arch:SSE2 or above, without __SSE2__', () => {
    expect(usesSse2(['-D_M_X64'])).toBe(true);
    expect(usesSse2(['-D_M_AMD64'])).toBe(true);
    expect(usesSse2(['-D_M_IX86_FP=2'])).toBe(true);
  });

  it('does not on x86 without SSE2, nor with no sign of it', () => {
    expect(usesSse2(['-D_M_IX86_FP=0'])).toBe(false);
    expect(usesSse2([])).toBe(false);
  });
});
