/**
 * A test-only NACHA reader, written from the record layouts and not from payout's writer: it
 * checks that every record is 94 characters, the record order (1, then batches of 5 … 6 … 8, then
 * 9, then 9-filler to a multiple of 10), and that the batch and file controls add up (entry
 * counts, entry hash = Σ of the 8-digit routing prefixes mod 10^10, total credit, block count).
 */
export interface ParsedEntry {
  transactionCode: string;
  routing: string;
  account: string;
  amount: bigint;
  individualId: string;
  name: string;
  trace: string;
}

export interface ParsedNacha {
  header: { destination: string; origin: string; date: string; time: string; modifier: string; destinationName: string; originName: string };
  batches: { serviceClass: string; companyName: string; companyId: string; sec: string; effectiveDate: string; odfi: string; batchNumber: string; entries: ParsedEntry[] }[];
  entries: ParsedEntry[];
  total: bigint;
}

const num = (s: string): bigint => {
  if (!/^\d+$/.test(s)) throw new Error(`not a number field: ${JSON.stringify(s)}`);
  return BigInt(s);
};

export function parseNacha(text: string): ParsedNacha {
  if (!text.endsWith('\n')) throw new Error('the file does not end with a line break');
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((l, i) => {
    if (l.length !== 94) throw new Error(`record ${i + 1} is ${l.length} characters, not 94`);
  });
  if (lines.length % 10 !== 0) throw new Error(`${lines.length} records: not a multiple of the blocking factor 10`);
  let i = 0;
  const at = (): string => lines[i] ?? '';
  const h = at();
  if (h[0] !== '1') throw new Error('the first record is not a file header (1)');
  if (h.slice(34, 37) !== '094' || h.slice(37, 39) !== '10' || h[39] !== '1') throw new Error('file header: record size, blocking factor or format code wrong');
  const header = {
    destination: h.slice(3, 13),
    origin: h.slice(13, 23),
    date: h.slice(23, 29),
    time: h.slice(29, 33),
    modifier: h[33]!,
    destinationName: h.slice(40, 63).trimEnd(),
    originName: h.slice(63, 86).trimEnd(),
  };
  i++;
  const batches: ParsedNacha['batches'] = [];
  const all: ParsedEntry[] = [];
  let fileHash = 0n;
  let fileCredit = 0n;
  let fileCount = 0n;
  while (at()[0] === '5') {
    const b = at();
    const batch = {
      serviceClass: b.slice(1, 4),
      companyName: b.slice(4, 20).trimEnd(),
      companyId: b.slice(40, 50),
      sec: b.slice(50, 53),
      effectiveDate: b.slice(69, 75),
      odfi: b.slice(79, 87),
      batchNumber: b.slice(87, 94),
      entries: [] as ParsedEntry[],
    };
    i++;
    let hash = 0n;
    let credit = 0n;
    while (at()[0] === '6') {
      const e = at();
      const entry: ParsedEntry = {
        transactionCode: e.slice(1, 3),
        routing: e.slice(3, 12),
        account: e.slice(12, 29).trimEnd(),
        amount: num(e.slice(29, 39)),
        individualId: e.slice(39, 54).trimEnd(),
        name: e.slice(54, 76).trimEnd(),
        trace: e.slice(79, 94),
      };
      if (e[78] !== '0') throw new Error('an entry with an addenda indicator: not written by pay');
      if (!entry.trace.startsWith(batch.odfi)) throw new Error(`trace ${entry.trace} does not start with the ODFI ${batch.odfi}`);
      hash += num(entry.routing.slice(0, 8));
      credit += entry.amount;
      batch.entries.push(entry);
      i++;
    }
    const c = at();
    if (c[0] !== '8') throw new Error(`record ${i + 1}: expected a batch control (8)`);
    if (c.slice(1, 4) !== batch.serviceClass) throw new Error('batch control: service class differs from its header');
    if (num(c.slice(4, 10)) !== BigInt(batch.entries.length)) throw new Error('batch control: entry count wrong');
    if (num(c.slice(10, 20)) !== hash % 10n ** 10n) throw new Error('batch control: entry hash wrong');
    if (num(c.slice(20, 32)) !== 0n) throw new Error('batch control: debits in a credit batch');
    if (num(c.slice(32, 44)) !== credit) throw new Error('batch control: total credit wrong');
    if (c.slice(87, 94) !== batch.batchNumber) throw new Error('batch control: batch number differs');
    i++;
    batches.push(batch);
    all.push(...batch.entries);
    fileHash += hash;
    fileCredit += credit;
    fileCount += BigInt(batch.entries.length);
  }
  const f = at();
  if (f[0] !== '9') throw new Error(`record ${i + 1}: expected the file control (9)`);
  if (num(f.slice(1, 7)) !== BigInt(batches.length)) throw new Error('file control: batch count wrong');
  if (num(f.slice(7, 13)) !== BigInt(lines.length / 10)) throw new Error('file control: block count wrong');
  if (num(f.slice(13, 21)) !== fileCount) throw new Error('file control: entry count wrong');
  if (num(f.slice(21, 31)) !== fileHash % 10n ** 10n) throw new Error('file control: entry hash wrong');
  if (num(f.slice(43, 55)) !== fileCredit) throw new Error('file control: total credit wrong');
  i++;
  for (; i < lines.length; i++) if (lines[i] !== '9'.repeat(94)) throw new Error(`record ${i + 1}: after the file control only 9-filler`);
  return { header, batches, entries: all, total: fileCredit };
}
