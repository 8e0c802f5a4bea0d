import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePlan, type Plan, type PlanInput } from '../../src/core/plan.js';
import type { Problem } from '../../src/core/problems.js';
import { ClaimsCollector, normaliseForMatch, readClaims, type ReadClaimsOptions } from '../../src/io/claims-reader.js';
import { UsageError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();

function plan(overrides: Partial<PlanInput> = {}): Plan {
  const parsed = parsePlan(
    {
      name: 'test',
      gross: '1000.00',
      classes: [
        { id: 'nationwide', weight: '1' },
        { id: 'illinois', weight: '6' },
      ],
      seed: 's',
      ...overrides,
    },
    'plan.json',
  );
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  return parsed.plan;
}

const PLAN = plan();
let fileNo = 0;

async function read(content: string | Uint8Array, options: ReadClaimsOptions = {}, p: Plan = PLAN) {
  const file = tmp.write(`claims-${++fileNo}.csv`, content);
  return readClaims(file, p, options);
}

const codesAndLines = (problems: Problem[]) => problems.map((p) => [p.code, p.line]);

describe('readClaims: the table', () => {
  it('reads ids, lines, classes, units and statuses into the compact table', async () => {
    const { table, problems } = await read(
      'claim_id,class,units,status,state\nA,nationwide,1,approved,IL\nB,Illinois,2.50,Rejected ,CA\nC, NATIONWIDE ,1.0,,NY\n',
      { keep: ['State'] },
    );
    // C's blank status is paid as approved (the plan's default blankStatus), with a warning.
    expect(codesAndLines(problems)).toEqual([['blank_status', 4]]);
    expect(table.count).toBe(3);
    expect(table.ids.toArray()).toEqual(['A', 'B', 'C']);
    expect([...table.lines]).toEqual([2, 3, 4]);
    expect([...table.classIndex]).toEqual([0, 1, 0]);
    expect(table.units.map((u) => u.text)).toEqual(['1', '2.5']);
    expect([...table.unitsIndex]).toEqual([0, 1, 0]);
    expect(table.units[1]?.value).toEqual({ n: 25n, scale: 1 });
    expect(table.statuses).toEqual(['approved', 'rejected']);
    expect([...table.statusIndex]).toEqual([0, 1, 0]);
    expect(table.kept.get('State')).toEqual(['IL', 'CA', 'NY']);
  });

  it('notes ids read in increasing order, when every one is ASCII (the receipts root then skips its order check)', async () => {
    const head = 'claim_id,class\n';
    const ordered = await read(`${head}A-1,nationwide\nA-2,illinois\nB-1,nationwide\n`);
    expect(ordered.table.ids.inCodePointOrder).toBe(true);
    // A row left out for an error leaves the rest in order.
    expect((await read(`${head}A-1,nationwide\nA-2,nowhere\nB-1,nationwide\n`)).table.ids.inCodePointOrder).toBe(true);
    expect((await read(`${head}A-2,nationwide\nA-1,illinois\n`)).table.ids.inCodePointOrder).toBe(false);
    // In order as JavaScript strings (U+D83D… before U+FF5E), not by code point: not noted.
    expect((await read(`${head}\u{1F600},nationwide\n\uFF5E,illinois\n`)).table.ids.inCodePointOrder).toBe(false);
    expect((await read(`${head}Zoé-1,nationwide\nZoé-2,illinois\n`)).table.ids.inCodePointOrder).toBe(false);
  });

  it('gives 1 unit when the units column is absent and approved when the status column is absent', async () => {
    const { table, problems } = await read('claim_id,class\nA,nationwide\nB,illinois\n');
    expect(problems).toEqual([]);
    expect(table.units).toEqual([{ text: '1', value: { n: 1n, scale: 0 } }]);
    expect(table.statuses).toEqual(['approved']);
  });

  it('matches headers case-insensitively after trimming, with a BOM and CRLF', async () => {
    const { table, problems, stats } = await read('\uFEFF Claim_ID ,CLASS,Units\r\nA,illinois,3\r\n');
    expect(problems).toEqual([]);
    expect(table.ids.toArray()).toEqual(['A']);
    expect(stats.columns).toEqual({ claim_id: 'Claim_ID', class: 'CLASS', units: 'Units', status: null, email: null, name: null, address: null });
  });

  it('reads columns under other names with --map', async () => {
    const { table, problems, stats } = await read('ClaimNumber,Group,claim_id\nX-1,nationwide,ignored\nX-2,illinois,ignored\n', {
      map: { claim_id: 'claimnumber', class: ' GROUP ' },
    });
    expect(problems).toEqual([]);
    expect(table.ids.toArray()).toEqual(['X-1', 'X-2']);
    expect(stats.columns.claim_id).toBe('ClaimNumber');
  });

  it('reports a --map or --keep header that is not there', async () => {
    const { problems } = await read('claim_id,class\nA,nationwide\n', { map: { units: 'Months' }, keep: ['state'] });
    expect(problems.map((p) => p.message)).toEqual([
      '--map units=Months: no column "Months" in the header (found: claim_id, class)',
      '--keep state: no column "state" in the header (found: claim_id, class)',
    ]);
    expect(problems.every((p) => p.code === 'missing_column' && p.line === 1)).toBe(true);
  });

  it('reads other delimiters', async () => {
    const semi = await read('claim_id;class;units\nA;nationwide;1,5\n', { delimiter: ';' });
    expect(codesAndLines(semi.problems)).toEqual([['bad_units', 2]]);
    const tab = await read('claim_id\tclass\nA\tnationwide\n', { delimiter: '\t' });
    expect(tab.table.ids.toArray()).toEqual(['A']);
  });

  it('leaves rows with errors out of the table and still finds duplicates of them', async () => {
    const { table, problems, stats } = await read('claim_id,class\nA,ilinois\nB,nationwide\nA,nationwide\n');
    expect(table.ids.toArray()).toEqual(['B']);
    expect(problems.map((p) => p.message)).toEqual([
      'unknown class "ilinois" (expected: nationwide, illinois)',
      'claim_id "A" already on line 2',
    ]);
    expect(stats.rows).toBe(3);
    expect(stats.invalidRows).toBe(2);
  });

  it('finds duplicate claim ids as a plain first-seen map does, ids in order, out of order or both', async () => {
    // Ids in increasing order need no index until the first one out of order (then every id so far
    // goes in): the same errors, lines and table whatever the order, held to a reference model.
    const idNumber = fc.integer({ min: 0, max: 25 });
    const row = fc.record({ n: idNumber, pad: fc.constantFrom('', ' '), empty: fc.boolean(), badClass: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 30 }), fc.nat(30), async (rows, sortedPrefix) => {
        // Often a sorted run first (with repeats, which are duplicates), then anything.
        const head = rows.slice(0, sortedPrefix).sort((a, b) => a.n - b.n);
        const all = [...head, ...rows.slice(sortedPrefix)];
        const ids = all.map((r) => (r.empty && r.n % 5 === 0 ? '' : `${r.pad}ID-${String(r.n).padStart(2, '0')}${r.pad}`));
        const lines = all.map((r, i) => `${ids[i]},${r.badClass ? 'nowhere' : 'nationwide'}`);
        const { table, problems } = await read(`claim_id,class\n${lines.join('\n')}\n`);
        // The reference: a first-seen map of trimmed ids, rows with other errors included.
        const seen = new Map<string, number>();
        const want: Array<[number, string]> = [];
        const valid: string[] = [];
        all.forEach((r, i) => {
          const line = i + 2;
          const id = (ids[i] as string).trim();
          if (id === '') return;
          const first = seen.get(id);
          if (first !== undefined) {
            want.push([line, `claim_id "${id}" already on line ${first}`]);
            return;
          }
          seen.set(id, line);
          if (!r.badClass) valid.push(id);
        });
        const got = problems.filter((p) => p.code === 'duplicate_claim_id').map((p) => [p.line, p.message]);
        expect(got).toEqual(want);
        expect(table.ids.toArray()).toEqual(valid);
      }),
      { numRuns: 300 },
    );
  });

  it('summarises claims, eligible claims and points per class, exactly', async () => {
    const { stats } = await read(
      'claim_id,class,units,status\nA,nationwide,1,approved\nB,illinois,1.5,approved\nC,illinois,2,rejected\nD,nationwide,0.000001,approved\n',
    );
    expect(stats.classes).toEqual([
      { id: 'nationwide', claims: 2, eligible: 2, units: '1.000001', points: '1.000001' },
      { id: 'illinois', claims: 2, eligible: 1, units: '1.5', points: '9' },
    ]);
    expect(stats.statuses).toEqual([
      { status: 'approved', claims: 3, eligible: true },
      { status: 'rejected', claims: 1, eligible: false },
    ]);
  });

  it('counts points as units in pools mode', async () => {
    const pools = plan({ classes: [{ id: 'nationwide', poolPercent: '70' }, { id: 'illinois', poolPercent: '30' }] });
    const { stats } = await read('claim_id,class,units\nA,nationwide,2\nB,illinois,3\n', {}, pools);
    expect(stats.classes.map((c) => c.points)).toEqual(['2', '3']);
  });

  it('computes the SHA-256 of the bytes when asked', async () => {
    const { stats } = await read('claim_id,class\nA,nationwide\n', { sha256: true });
    expect(stats.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { createHash } = await import('node:crypto');
    expect(stats.sha256).toBe(createHash('sha256').update('claim_id,class\nA,nationwide\n').digest('hex'));
  });

  it('throws a UsageError for a file that does not exist', async () => {
    await expect(readClaims(tmp.path('nope.csv'), PLAN)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('readClaims: line numbers', () => {
  it('counts the line a record starts on, after quoted LF and CRLF breaks and blank lines', async () => {
    const text = [
      'claim_id,class,note', // 1
      'A,nationwide,"one\r\ntwo\nthree"', // 2-4
      '', // 5
      'B,ilinois,x', // 6
      '"C",nationwide,"a ""quoted""', // 7
      '', // 8 (inside quotes)
      'line"', // 9
      '', // 10
      '', // 11
      'D,nationwide', // 12
    ].join('\r\n');
    const { problems, table } = await read(`${text}\r\n`);
    expect(codesAndLines(problems)).toEqual([
      ['unknown_class', 6],
      ['column_count', 12],
    ]);
    expect([...table.lines]).toEqual([2, 7]);
  });

  it('handles a file mixing LF and CRLF record ends', async () => {
    const { problems } = await read('claim_id,class\r\nA,nationwide\nB,x\r\nC,y\n');
    expect(codesAndLines(problems)).toEqual([
      ['unknown_class', 3],
      ['unknown_class', 4],
    ]);
  });

  it('puts a header after leading blank lines on its own line', async () => {
    const { problems } = await read('\n\nclaim_id,class\nA,x\n');
    expect(codesAndLines(problems)).toEqual([['unknown_class', 4]]);
  });

  it('warns about whitespace-only rows and skips empty lines silently', async () => {
    const { problems, stats } = await read('claim_id,class\nA,nationwide\n   \n\n , \nB,nationwide\n');
    expect(codesAndLines(problems)).toEqual([
      ['blank_row', 3],
      ['blank_row', 5],
    ]);
    expect(stats.rows).toBe(2);
    expect(stats.blankRows).toBe(2);
  });

  it('is the line of the first LF-counted line of the record, for any mix of quoted breaks (property)', async () => {
    const cell = fc.stringMatching(/^[a-z ,"é€\n\r]{0,12}$/).map((s) => s.replace(/\r(?!\n)/g, ''));
    const record = fc.record({ note: cell, blanksBefore: fc.integer({ min: 0, max: 2 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 25 }), fc.boolean(), fc.boolean(), async (records, crlf, bom) => {
        const eol = crlf ? '\r\n' : '\n';
        let text = `${bom ? '\uFEFF' : ''}claim_id,class,note${eol}`;
        const expectedLines: number[] = [];
        records.forEach((r, i) => {
          text += eol.repeat(r.blanksBefore);
          expectedLines.push(1 + (text.match(/\n/g)?.length ?? 0));
          text += `C${i},nationwide,"${r.note.replace(/"/g, '""')}"${eol}`;
        });
        const { table, problems } = await read(text);
        expect(problems).toEqual([]);
        expect([...table.lines]).toEqual(expectedLines);
      }),
      { numRuns: 60 },
    );
  });
});

describe('readClaims: large files and chunk boundaries', () => {
  const row = (i: number) => `C${i},nationwide,1,approved,Zoë Ångström €${i} 𝄞,"${i} Rue de l'Église\nÉtage ${i % 7}"\n`;
  const header = 'claim_id,class,units,status,name,address\n';

  it('finds no invalid UTF-8 where multi-byte characters straddle chunk boundaries', async () => {
    let text = header;
    for (let i = 0; i < 4000; i++) text += row(i);
    const { problems, table } = await read(text);
    expect(problems).toEqual([]);
    expect(table.count).toBe(4000);
    expect(table.lines[3999]).toBe(2 + 2 * 3999);
  });

  it('finds one invalid byte deep in the file on the right line', async () => {
    const parts: Buffer[] = [Buffer.from(header)];
    for (let i = 0; i < 3000; i++) {
      parts.push(Buffer.from(row(i)));
      if (i === 2500) parts.push(Buffer.from('X1,nationwide,1,approved,Ren'), Buffer.from([0xe9]), Buffer.from(',x\n'));
    }
    const { problems } = await read(Buffer.concat(parts));
    // header (1) + 2501 two-line rows → the extra row starts on line 1 + 2 × 2501 + 1.
    // The file-level error (no line) first, then the one example line.
    expect(codesAndLines(problems)).toEqual([['invalid_utf8', undefined], ['invalid_utf8', 5004]]);
    expect(problems[0]?.message).toMatch(/^the file is not UTF-8: 1 line holds bytes that are not UTF-8 /);
    expect(problems[1]?.message).toBe('invalid UTF-8 (byte 0xE9): re-export the file as CSV UTF-8');
  });

  it('keeps every record before an unclosed quote, many chunks in', async () => {
    let text = header;
    for (let i = 0; i < 3000; i++) text += row(i);
    text += 'LAST,nationwide,1,approved,"Open quote,never closed\nmore\n';
    const { problems, table, stats } = await read(text);
    expect(table.count).toBe(3000);
    expect(codesAndLines(problems)).toEqual([['unclosed_quote', 6002]]);
    expect(problems[0]?.field).toBe('name');
    expect(stats.stoppedAtLine).toBe(6002);
  });

  it('stores at most maxStoredProblems per severity but counts and reports them all', async () => {
    let text = 'claim_id,class,email\n';
    for (let i = 0; i < 40; i++) text += `C${i},bad,same@example.com\n`;
    const seen: Array<[string, string | undefined]> = [];
    const { problems, stats } = await read(text, { maxStoredProblems: 5, onProblem: (p, id) => seen.push([p.code, id]) });
    expect(problems.filter((p) => p.severity === 'error')).toHaveLength(5);
    expect(problems.filter((p) => p.severity === 'warning')).toHaveLength(5);
    expect(stats.errors).toBe(40);
    expect(stats.warnings).toBe(39);
    expect(stats.errorsByCode).toEqual({ unknown_class: 40 });
    expect(stats.warningsByCode).toEqual({ duplicate_email: 39 });
    expect(seen).toHaveLength(79);
    expect(seen[0]).toEqual(['unknown_class', 'C0']);
  });
});

describe('ClaimsCollector: another tokenizer can feed it', () => {
  it('takes (fields, line) records', () => {
    const c = new ClaimsCollector('x.csv', PLAN);
    c.record(['claim_id', 'class'], 1);
    c.record(['A', 'nationwide'], 2);
    c.record(['B', 'midwest'], 5);
    const { table, problems } = c.finish({ bytes: 0 });
    expect(table.ids.toArray()).toEqual(['A']);
    expect(codesAndLines(problems)).toEqual([['unknown_class', 5]]);
  });
});

describe('normaliseForMatch', () => {
  it('lower-cases, strips punctuation and collapses whitespace', () => {
    expect(normaliseForMatch("  Mary  O'Brien, Jr. ")).toBe('mary obrien jr');
    expect(normaliseForMatch('12 Main St.,\tSpringfield')).toBe('12 main st springfield');
    expect(normaliseForMatch('ÉLODIE « Dupré »')).toBe('élodie dupré');
  });

  it('gives the same duplicate warnings for ASCII and non-ASCII spellings of the same text', async () => {
    const { problems } = await read(
      'claim_id,class,name,address\nA,nationwide,José Núñez,"1 Calle Mayor, Madrid"\nB,nationwide,josé  núñez!,1 calle mayor madrid\nC,nationwide,Ann,"2 Rd"\nD,nationwide,ANN.,2 rd\n',
    );
    expect(problems.map((p) => p.message)).toEqual([
      'same name and address as line 2 (possible duplicate claim)',
      'same name and address as line 4 (possible duplicate claim)',
    ]);
  });
});
