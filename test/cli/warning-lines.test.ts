import { afterEach, describe, expect, it, vi } from 'vitest';
import { warningLines } from '../../src/cli/warning-lines.js';

describe('warning lines', () => {
  afterEach(() => vi.restoreAllMocks());

  it('make a warning\'s text only when it is shown: none with --quiet, none past the most shown', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    let made = 0;
    const text = (t: string) => () => {
      made++;
      return t;
    };
    const quiet = warningLines(true);
    quiet.warn(text('a'));
    quiet.warn(text('b'));
    expect(made).toBe(0);
    quiet.finish();
    expect(written.join('')).toMatch(/2 warnings not shown with --quiet/);
    written.length = 0;
    const some = warningLines(false, 1);
    some.warn(text('first'));
    some.warn(text('second'));
    some.warn('third, as text');
    some.finish();
    expect(made).toBe(1);
    expect(some.count).toBe(3);
    expect(written.join('')).toMatch(/: first\n[^]*2 more warnings not shown/);
  });
});
