import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './run-cli.js';

/**
 * A copy of the build script (scripts/build-native.js) and of src/native/ in `root`, with `change`
 * made to one source file (`from` replaced by `to`, which must be there once, or `edit`); `dist`: dist/ linked
 * to this one (tsc's output, which npm run build makes before the addon), so the build runs
 * payout's load checks from it. Built into `root`/out: what the build said.
 */
export function buildChangedCopy(
  root: string,
  o: { change?: { file: string; from: string; to: string } | { file: string; edit: (source: string) => string }; dist?: boolean } = {},
): { out: string; run: SpawnSyncReturns<string> } {
  mkdirSync(join(root, 'scripts'), { recursive: true });
  cpSync(join(ROOT, 'scripts/build-native.js'), join(root, 'scripts/build-native.js'));
  cpSync(join(ROOT, 'src/native'), join(root, 'src/native'), { recursive: true });
  if (o.dist === true) symlinkSync(join(ROOT, 'dist'), join(root, 'dist'));
  const change = o.change;
  if (change !== undefined) {
    const c = join(root, 'src/native', change.file);
    const source = readFileSync(c, 'utf8');
    if ('edit' in change) writeFileSync(c, change.edit(source));
    else {
      expect(source.split(change.from).length, `${change.file} holds ${JSON.stringify(change.from)} once`).toBe(2);
      writeFileSync(c, source.replace(change.from, change.to));
    }
  }
  const out = join(root, 'out');
  const run = spawnSync(process.execPath, [join(root, 'scripts/build-native.js'), '--out', out], { encoding: 'utf8', timeout: 120_000 });
  return { out, run };
}
