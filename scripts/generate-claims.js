#!/usr/bin/env node
// Deterministic generator of a realistic claims CSV for the TikTok privacy settlement (MDL 2948).
//
//   node scripts/generate-claims.js --rows N --seed S --out FILE [--illinois-share 0.1] [--messy]
//
// Same arguments give a byte-identical file on every machine: a seeded sfc32 PRNG (seeded by a
// cyrb128 hash of the seed string), no Math.random, no clock in the output. Memory stays small
// for any row count: rows are encoded into ~2 MB buffers, written with backpressure.
//
// Columns (docs/spec.md §2): claim_id,class,units,status,name,email,address,state,payment_method
// Deliberate quirks, each a parser test:
//   - names with a suffix after a comma ("Smith, Jr.", ~1%), quoted;
//   - names with an apostrophe (O'Brien, ~0.2%) and a few with accents (UTF-8, multi-byte);
//   - names with a nickname in doubled quotes (Robert ""Bobby"" Smith, ~0.1%);
//   - every address contains a comma (quoted); ~0.1% contain a line break inside the quotes;
//   - ~0.3% of rows reuse an earlier row's name and email, with the email in different letter
//     case (possible duplicate claimant warnings);
//   - --messy: UTF-8 byte-order mark and CRLF line ends (also inside quoted addresses), as Excel.

import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const HEADER = 'claim_id,class,units,status,name,email,address,state,payment_method';

// ---------------------------------------------------------------------------------------------
// PRNG: cyrb128 string hash -> sfc32. Pure 32-bit integer arithmetic, identical everywhere.

function cyrb128(str) {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** Returns a function giving uniform floats in [0, 1) (multiples of 2^-32). */
function sfc32(seedString) {
  let [a, b, c, d] = cyrb128(String(seedString));
  const next = () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next(); // warm up
  return next;
}

// ---------------------------------------------------------------------------------------------
// Data tables.

const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David',
  'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah',
  'Christopher', 'Karen', 'Charles', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony',
  'Sandra', 'Mark', 'Margaret', 'Donald', 'Ashley', 'Steven', 'Kimberly', 'Andrew', 'Emily',
  'Paul', 'Donna', 'Joshua', 'Michelle', 'Kenneth', 'Carol', 'Kevin', 'Amanda', 'Brian',
  'Melissa', 'George', 'Deborah', 'Timothy', 'Stephanie', 'Ronald', 'Dorothy', 'Jason',
  'Rebecca', 'Edward', 'Sharon', 'Jeffrey', 'Laura', 'Ryan', 'Cynthia', 'Jacob', 'Amy', 'Gary',
  'Kathleen', 'Nicholas', 'Angela', 'Eric', 'Shirley', 'Jonathan', 'Brenda', 'Stephen', 'Emma',
  'Larry', 'Anna', 'Justin', 'Pamela', 'Scott', 'Nicole', 'Brandon', 'Samantha', 'Benjamin',
  'Katherine', 'Samuel', 'Christine', 'Gregory', 'Helen', 'Alexander', 'Debra', 'Patrick',
  'Rachel', 'Frank', 'Carolyn', 'Raymond', 'Janet', 'Jack', 'Maria', 'Dennis', 'Catherine',
  'Jerry', 'Heather', 'Tyler', 'Diane', 'Aaron', 'Olivia', 'José', 'Julie', 'Adam', 'Joyce',
  'Nathan', 'Victoria', 'Henry', 'Ruth', 'Zachary', 'Virginia', 'Douglas', 'Lauren', 'Peter',
  'Kelly', 'Kyle', 'Christina', 'Noah', 'Joan', 'Ethan', 'Evelyn', 'Jeremy', 'Judith',
  'Christian', 'Andrea', 'Walter', 'Hannah', 'Keith', 'Megan', 'Austin', 'Cheryl', 'Roger',
  'Jacqueline', 'Terry', 'Martha', 'Sean', 'Madison', 'Gerald', 'Teresa', 'Carl', 'Gloria',
  'Dylan', 'Sara', 'Harold', 'Janice', 'Jordan', 'Ann', 'Jesse', 'Kathryn', 'Bryan', 'Abigail',
  'Lawrence', 'Sophia', 'Arthur', 'Frances', 'Gabriel', 'Jean', 'Bruce', 'Alice', 'Logan',
  'Judy', 'Billy', 'Isabella', 'Joe', 'Julia', 'Alan', 'Grace', 'Juan', 'Amber', 'Elijah',
  'Denise', 'Willie', 'Danielle', 'Albert', 'Marilyn', 'Wayne', 'Beverly', 'Randy', 'Charlotte',
  'Mason', 'Natalie', 'Vincent', 'Theresa', 'Liam', 'Diana', 'Roy', 'Brittany', 'Caleb',
  'Kayla', 'Aiden', 'Ava', 'Jayden', 'Mia', 'Wei', 'Priya', 'Mohammed', 'Aaliyah', 'DeShawn',
  'Zoë', 'Renée', 'Andrés', 'Sofía', 'Chloe', 'Hiroshi', 'Fatima', 'Luis', 'Mei', 'Darnell',
];

const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez',
  'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor',
  'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez',
  'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
  'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall',
  'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner',
  'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris', 'Morales',
  'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Bailey',
  'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks',
  'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes', 'Price', 'Alvarez',
  'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez', 'Powell',
  'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell', 'Coleman', 'Butler', 'Henderson', 'Barnes',
  'Gonzales', 'Fisher', 'Vasquez', 'Simmons', 'Romero', 'Jordan', 'Patterson', 'Alexander',
  'Hamilton', 'Graham', 'Reynolds', 'Griffin', 'Wallace', 'Moreno', 'West', 'Cole', 'Hayes',
  'Bryant', 'Herrera', 'Gibson', 'Ellis', 'Tran', 'Medina', 'Aguilar', 'Stevens', 'Murray',
  'Ford', 'Castro', 'Marshall', 'Owens', 'Harrison', 'Fernandez', 'McDonald', 'Woods',
  'Washington', 'Kennedy', 'Wells', 'Vargas', 'Henry', 'Chen', 'Freeman', 'Webb', 'Tucker',
  'Guzman', 'Burns', 'Crawford', 'Olson', 'Simpson', 'Porter', 'Hunter', 'Gordon', 'Mendez',
  'Silva', 'Shaw', 'Snyder', 'Mason', 'Dixon', 'Muñoz', 'Hunt', 'Hicks', 'Holmes', 'Palmer',
  'Wagner', 'Black', 'Robertson', 'Boyd', 'Rose', 'Stone', 'Salazar', 'Fox', 'Warren', 'Mills',
  'Meyer', 'Rice', 'Schmidt', 'Garza', 'Daniels', 'Ferguson', 'Nichols', 'Stephens', 'Soto',
  'Weaver', 'Ryan', 'Gardner', 'Payne', 'Grant', 'Dunn', 'Kowalski', 'Nowak', 'Wang', 'Zhang',
  'Singh', 'Khan', 'Cohen', 'Peña', 'Müller', 'Van Dyke', 'Smith-Jones', 'Okafor', 'Yamamoto',
];

const APOSTROPHE_LAST_NAMES = ["O'Brien", "O'Connor", "O'Neill", "D'Angelo", "O'Malley", "D'Souza", "O'Reilly"];
const SUFFIXES = ['Jr.', 'Jr.', 'Jr.', 'Sr.', 'II', 'III'];
const NICKNAMES = {
  Robert: 'Bobby', William: 'Bill', Richard: 'Rick', Joseph: 'Joey', Elizabeth: 'Liz',
  Katherine: 'Kate', Michael: 'Mike', Christopher: 'Chris', Margaret: 'Peggy', James: 'Jimmy',
};

const STREETS = [
  'Oak', 'Maple', 'Elm', 'Pine', 'Cedar', 'Main', 'Washington', 'Lake', 'Hill', 'Park',
  'Walnut', 'Church', 'Lincoln', 'Jefferson', 'Sunset', 'Highland', 'Ridge', 'River', 'Spring',
  'Center', 'Madison', 'Franklin', 'Chestnut', 'Willow', 'Birch', 'Meadow', 'Forest', 'Adams',
  'Jackson', '2nd', '3rd', '5th', '12th', 'Mill', 'Prospect', 'Union', 'Broad', 'Cherry',
  'Dogwood', 'Hickory', 'Magnolia', 'Sycamore', 'Valley', 'Lakeview', 'Orchard', 'Grove',
];
const STREET_TYPES = ['St', 'St', 'Ave', 'Ave', 'Rd', 'Dr', 'Ln', 'Blvd', 'Ct', 'Way', 'Pl', 'Cir'];

// [state, 2020 population in units of 100,000, cities...]
const STATES = [
  ['AL', 50, 'Birmingham', 'Montgomery', 'Huntsville', 'Mobile'],
  ['AK', 7, 'Anchorage', 'Fairbanks', 'Juneau'],
  ['AZ', 72, 'Phoenix', 'Tucson', 'Mesa', 'Chandler', 'Scottsdale'],
  ['AR', 30, 'Little Rock', 'Fayetteville', 'Fort Smith'],
  ['CA', 395, 'Los Angeles', 'San Diego', 'San Jose', 'San Francisco', 'Fresno', 'Sacramento', 'Long Beach', 'Oakland', 'Bakersfield', 'Anaheim'],
  ['CO', 58, 'Denver', 'Colorado Springs', 'Aurora', 'Fort Collins'],
  ['CT', 36, 'Bridgeport', 'New Haven', 'Hartford', 'Stamford'],
  ['DE', 10, 'Wilmington', 'Dover', 'Newark'],
  ['DC', 7, 'Washington'],
  ['FL', 215, 'Jacksonville', 'Miami', 'Tampa', 'Orlando', 'St. Petersburg', 'Tallahassee'],
  ['GA', 107, 'Atlanta', 'Augusta', 'Columbus', 'Savannah', 'Athens'],
  ['HI', 15, 'Honolulu', 'Hilo', 'Kailua'],
  ['ID', 18, 'Boise', 'Meridian', 'Nampa', 'Idaho Falls'],
  ['IN', 68, 'Indianapolis', 'Fort Wayne', 'Evansville', 'South Bend'],
  ['IA', 32, 'Des Moines', 'Cedar Rapids', 'Davenport', 'Iowa City'],
  ['KS', 29, 'Wichita', 'Overland Park', 'Kansas City', 'Topeka'],
  ['KY', 45, 'Louisville', 'Lexington', 'Bowling Green'],
  ['LA', 47, 'New Orleans', 'Baton Rouge', 'Shreveport', 'Lafayette'],
  ['ME', 14, 'Portland', 'Lewiston', 'Bangor'],
  ['MD', 62, 'Baltimore', 'Columbia', 'Germantown', 'Silver Spring'],
  ['MA', 70, 'Boston', 'Worcester', 'Springfield', 'Cambridge'],
  ['MI', 101, 'Detroit', 'Grand Rapids', 'Warren', 'Lansing', 'Ann Arbor'],
  ['MN', 57, 'Minneapolis', 'St. Paul', 'Rochester', 'Duluth'],
  ['MS', 30, 'Jackson', 'Gulfport', 'Southaven', 'Hattiesburg'],
  ['MO', 62, 'Kansas City', 'St. Louis', 'Springfield', 'Columbia'],
  ['MT', 11, 'Billings', 'Missoula', 'Bozeman', 'Great Falls'],
  ['NE', 20, 'Omaha', 'Lincoln', 'Bellevue'],
  ['NV', 31, 'Las Vegas', 'Henderson', 'Reno'],
  ['NH', 14, 'Manchester', 'Nashua', 'Concord'],
  ['NJ', 93, 'Newark', 'Jersey City', 'Paterson', 'Trenton', 'Edison'],
  ['NM', 21, 'Albuquerque', 'Las Cruces', 'Santa Fe'],
  ['NY', 202, 'New York', 'Brooklyn', 'Bronx', 'Buffalo', 'Rochester', 'Yonkers', 'Syracuse', 'Albany'],
  ['NC', 104, 'Charlotte', 'Raleigh', 'Greensboro', 'Durham', 'Winston-Salem'],
  ['ND', 8, 'Fargo', 'Bismarck', 'Grand Forks'],
  ['OH', 118, 'Columbus', 'Cleveland', 'Cincinnati', 'Toledo', 'Akron', 'Dayton'],
  ['OK', 40, 'Oklahoma City', 'Tulsa', 'Norman'],
  ['OR', 42, 'Portland', 'Salem', 'Eugene', 'Bend'],
  ['PA', 130, 'Philadelphia', 'Pittsburgh', 'Allentown', 'Erie', 'Reading'],
  ['RI', 11, 'Providence', 'Warwick', 'Cranston'],
  ['SC', 51, 'Charleston', 'Columbia', 'Greenville', 'Myrtle Beach'],
  ['SD', 9, 'Sioux Falls', 'Rapid City'],
  ['TN', 69, 'Nashville', 'Memphis', 'Knoxville', 'Chattanooga'],
  ['TX', 291, 'Houston', 'San Antonio', 'Dallas', 'Austin', 'Fort Worth', 'El Paso', 'Arlington', 'Plano'],
  ['UT', 33, 'Salt Lake City', 'West Valley City', 'Provo', 'Ogden'],
  ['VT', 6, 'Burlington', 'Rutland', 'Montpelier'],
  ['VA', 86, 'Virginia Beach', 'Richmond', 'Norfolk', 'Arlington', 'Alexandria'],
  ['WA', 77, 'Seattle', 'Spokane', 'Tacoma', 'Vancouver', 'Bellevue'],
  ['WV', 18, 'Charleston', 'Huntington', 'Morgantown'],
  ['WI', 59, 'Milwaukee', 'Madison', 'Green Bay', 'Kenosha'],
  ['WY', 6, 'Cheyenne', 'Casper', 'Laramie'],
];
const IL_CITIES = [
  'Chicago', 'Chicago', 'Chicago', 'Chicago', 'Chicago', 'Chicago', 'Aurora', 'Naperville',
  'Joliet', 'Rockford', 'Springfield', 'Elgin', 'Peoria', 'Champaign', 'Waukegan', 'Cicero',
  'Evanston', 'Schaumburg', 'Bolingbrook', 'Skokie',
];

// [domain, weight]
const EMAIL_DOMAINS = [
  ['gmail.com', 45], ['yahoo.com', 13], ['icloud.com', 10], ['outlook.com', 8],
  ['hotmail.com', 8], ['aol.com', 3], ['comcast.net', 3], ['protonmail.com', 2],
  ['att.net', 2], ['msn.com', 2], ['live.com', 2], ['me.com', 2],
];

function weighted(pairs) {
  const out = [];
  for (const [value, weight] of pairs) for (let i = 0; i < weight; i++) out.push(value);
  return out;
}

/** Lowercase ASCII letters only, for the local part of an email (O'Brien -> obrien, José -> jose). */
function emailPart(s) {
  return s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

const FIRST_EMAIL = FIRST_NAMES.map(emailPart);
const LAST_EMAIL = LAST_NAMES.map(emailPart);
const APOS_EMAIL = APOSTROPHE_LAST_NAMES.map(emailPart);
const STATE_PICK = weighted(STATES.map((s, i) => [i, s[1]]));
const DOMAIN_PICK = weighted(EMAIL_DOMAINS);

/** A different letter case of a lowercase email (always differs: every local part has a letter). */
function caseVariant(email, r) {
  if (r < 0.5) return email.replace(/(^|[._@])([a-z])/g, (m, p, c) => p + c.toUpperCase()); // John.Smith12@Gmail.Com
  if (r < 0.8) return email[0].toUpperCase() + email.slice(1); // John.smith12@gmail.com
  return email.toUpperCase(); // JOHN.SMITH12@GMAIL.COM
}

// ---------------------------------------------------------------------------------------------
// Generator.

const CHUNK_BYTES = 2 << 20; // ~2 MB per write
const BATCH_ROWS = 64; // rows joined in a short-lived string, then encoded into the buffer at once
const RING_SIZE = 4096; // recent (name, email) pairs that duplicate rows may reuse

/**
 * Exact counts of rows per class and status, as a claims administrator reports them after review:
 * `{ nationwide: { approved: 1230000, rejected: 14000, … }, illinois: { … } }`. Only the classes
 * `nationwide` and `illinois` (state IL) are known to the generator.
 * @typedef {Record<'nationwide' | 'illinois', Record<string, number>>} ClaimCounts
 */

/** The (class, status) cells of `counts` and their total, in a fixed order. */
function countCells(counts) {
  const cells = [];
  for (const cls of Object.keys(counts)) {
    if (cls !== 'nationwide' && cls !== 'illinois') throw new Error(`counts: unknown class "${cls}" (nationwide or illinois)`);
    for (const [status, n] of Object.entries(counts[cls])) {
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`counts.${cls}.${status} must be a non-negative integer, got ${n}`);
      if (!/^[a-z_]+$/.test(status)) throw new Error(`counts.${cls}: status "${status}" must be lowercase letters`);
      cells.push({ cls, status, left: n });
    }
  }
  return { cells, total: cells.reduce((sum, c) => sum + c.left, 0) };
}

/**
 * Writes a claims CSV.
 * @param {object} o
 * @param {number} [o.rows] number of data rows (0 gives a header-only file); not with `counts`
 * @param {string} o.seed any string; the same seed and options give the same bytes
 * @param {string | import('node:stream').Writable} o.out file path, '-' for stdout, or a stream
 * @param {number} [o.illinoisShare=0.1] share of rows in class `illinois` (state IL)
 * @param {ClaimCounts} [o.counts] exact rows per class and status instead of `rows` and random
 *   draws: each row takes its (class, status) from what is left, so the file holds exactly these
 *   counts in a shuffled order. A `duplicate` row is an earlier claimant filing again (same name,
 *   the email in another letter case), the claims a reviewer screens out.
 * @param {boolean} [o.messy=false] UTF-8 BOM and CRLF line ends
 * @returns {Promise<{rows: number, bytes: number, seconds: number}>}
 */
export async function generateClaims({ rows, seed, out, illinoisShare = 0.1, counts, messy = false }) {
  const exact = counts === undefined ? undefined : countCells(counts);
  if (exact !== undefined) {
    if (rows !== undefined && rows !== exact.total) throw new Error(`rows (${rows}) and counts (${exact.total} rows) disagree`);
    rows = exact.total;
  }
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`rows must be a non-negative integer, got ${rows}`);
  if (seed === undefined || seed === null || String(seed) === '') throw new Error('seed is required');
  if (typeof illinoisShare !== 'number' || !(illinoisShare >= 0 && illinoisShare <= 1)) {
    throw new Error(`illinoisShare must be a number from 0 to 1, got ${illinoisShare}`);
  }
  if (out === undefined || out === null || out === '') throw new Error('out is required');

  const started = process.hrtime.bigint();
  const rnd = sfc32(seed);
  const EOL = messy ? '\r\n' : '\n';
  const idWidth = Math.max(7, String(rows).length);

  let stream;
  let ownStream = false;
  if (typeof out === 'string') {
    if (out === '-') stream = process.stdout;
    else {
      mkdirSync(dirname(out), { recursive: true });
      stream = createWriteStream(out, { highWaterMark: 4 * CHUNK_BYTES }); // generate while the previous chunk is written
      ownStream = true;
    }
  } else stream = out;

  let streamError = null;
  const onError = (err) => { streamError = err; };
  stream.on('error', onError);

  // Rows are encoded, a small batch at a time, into a large buffer (no long-lived string ropes:
  // far less GC); a full buffer is handed to the stream and a fresh one allocated.
  let bytes = 0;
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let pos = 0;
  const flush = async () => {
    if (streamError) throw streamError;
    if (pos === 0) return;
    const full = buf.subarray(0, pos);
    bytes += pos;
    buf = Buffer.allocUnsafe(CHUNK_BYTES);
    pos = 0;
    if (!stream.write(full)) await once(stream, 'drain'); // rejects on 'error'
  };
  const put = async (text) => {
    if (pos + 3 * text.length > buf.length) await flush(); // UTF-8 needs at most 3 bytes per UTF-16 unit
    pos += buf.write(text, pos, 'utf8');
  };
  let batch = '';
  let batched = 0;

  // The number in a generated email is a permutation of the row index, so emails never collide by
  // accident; the only shared emails are the deliberate duplicates below.
  let emailNumSpace = 1000;
  while (emailNumSpace < rows) emailNumSpace *= 10;
  const emailNumMul = emailNumSpace <= 1e9 ? 7654321 : 7; // coprime with 10; product stays < 2^53
  const emailNumAdd = Math.floor(rnd() * emailNumSpace);

  const ringNames = new Array(RING_SIZE);
  const ringEmails = new Array(RING_SIZE);
  let ringCount = 0;
  let ringPos = 0;

  const nFirst = FIRST_NAMES.length;
  const nLast = LAST_NAMES.length;
  const nApos = APOSTROPHE_LAST_NAMES.length;
  const nStatePick = STATE_PICK.length;
  const nDomain = DOMAIN_PICK.length;
  const nStreet = STREETS.length;
  const nStreetType = STREET_TYPES.length;
  const nIlCity = IL_CITIES.length;

  try {
    await put((messy ? '\uFEFF' : '') + HEADER + EOL);

    for (let i = 1; i <= rows; i++) {
      const id = 'TT-' + String(i).padStart(idWidth, '0');

      // class and state (with exact counts, the status too: drawn from the cells still open)
      let cls, state, city, status;
      if (exact !== undefined) {
        let r = Math.floor(rnd() * (rows - i + 1)); // rows left, this one included
        let cell = exact.cells[0];
        for (const c of exact.cells) {
          cell = c;
          if (r < c.left) break;
          r -= c.left;
        }
        cell.left--;
        cls = cell.cls;
        status = cell.status;
      } else {
        cls = rnd() < illinoisShare ? 'illinois' : 'nationwide';
      }
      if (cls === 'illinois') {
        state = 'IL';
        city = IL_CITIES[(rnd() * nIlCity) | 0];
      } else {
        const s = STATES[STATE_PICK[(rnd() * nStatePick) | 0]];
        state = s[0];
        city = s[2 + ((rnd() * (s.length - 2)) | 0)];
      }

      // status
      if (status === undefined) {
        const rs = rnd();
        status = rs < 0.94 ? 'approved' : rs < 0.975 ? 'rejected' : 'deficient';
      }

      // name and email
      let name, email;
      if (ringCount > 0 && (status === 'duplicate' || rnd() < 0.003)) {
        // the same claimant again: earlier name, earlier email in a different letter case
        const k = (rnd() * ringCount) | 0;
        name = ringNames[k];
        email = caseVariant(ringEmails[k], rnd());
      } else {
        const fi = (rnd() * nFirst) | 0;
        const first = FIRST_NAMES[fi];
        const fe = FIRST_EMAIL[fi];
        let last, le;
        if (rnd() < 0.002) {
          const ai = (rnd() * nApos) | 0;
          last = APOSTROPHE_LAST_NAMES[ai];
          le = APOS_EMAIL[ai];
        } else {
          const li = (rnd() * nLast) | 0;
          last = LAST_NAMES[li];
          le = LAST_EMAIL[li];
        }
        const rn = rnd();
        if (rn < 0.01) {
          name = `"${first} ${last}, ${SUFFIXES[(rnd() * SUFFIXES.length) | 0]}"`;
        } else if (rn < 0.03 && NICKNAMES[first] !== undefined) {
          name = `"${first} ""${NICKNAMES[first]}"" ${last}"`;
        } else {
          name = `${first} ${last}`;
        }

        const domain = DOMAIN_PICK[(rnd() * nDomain) | 0];
        const num = (emailNumMul * (i - 1) + emailNumAdd) % emailNumSpace;
        const pattern = (rnd() * 4) | 0;
        if (pattern === 0) email = `${fe}.${le}${num}@${domain}`;
        else if (pattern === 1) email = `${fe}${le}${num}@${domain}`;
        else if (pattern === 2) email = `${fe[0]}${le}${num}@${domain}`;
        else email = `${fe}_${le}${num}@${domain}`;

        ringNames[ringPos] = name;
        ringEmails[ringPos] = email;
        ringPos = (ringPos + 1) % RING_SIZE;
        if (ringCount < RING_SIZE) ringCount++;
      }

      // address (always quoted: it holds a comma; ~0.1% hold a line break)
      const street = `${1 + ((rnd() * 9999) | 0)} ${STREETS[(rnd() * nStreet) | 0]} ${STREET_TYPES[(rnd() * nStreetType) | 0]}`;
      const ra = rnd();
      let address;
      if (ra < 0.001) address = `"${street}${EOL}Apt ${1 + ((rnd() * 40) | 0)}, ${city}"`;
      else if (ra < 0.08) address = `"${street} Apt ${1 + ((rnd() * 40) | 0)}, ${city}"`;
      else address = `"${street}, ${city}"`;

      // payment method
      const rp = rnd();
      const pay = rp < 0.4 ? 'paypal' : rp < 0.65 ? 'venmo' : rp < 0.8 ? 'prepaid_card' : 'check';

      batch += `${id},${cls},1,${status},${name},${email},${address},${state},${pay}${EOL}`;
      if (++batched === BATCH_ROWS) {
        await put(batch);
        batch = '';
        batched = 0;
      }
    }
    await put(batch);
    await flush();

    if (ownStream) {
      stream.end();
      await finished(stream);
    } else {
      // do not end a stream we were given (or stdout); wait until our last write is handed off
      await new Promise((resolve, reject) => {
        stream.write('', (err) => (err ? reject(err) : resolve()));
      });
    }
    if (streamError) throw streamError;
  } catch (err) {
    if (ownStream) stream.destroy();
    throw err;
  } finally {
    stream.off('error', onError);
  }

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rows, bytes, seconds };
}

// ---------------------------------------------------------------------------------------------
// CLI.

const USAGE = 'usage: node scripts/generate-claims.js --rows N --seed S --out FILE|- [--illinois-share 0.1] [--messy]';

async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        rows: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        'illinois-share': { type: 'string', default: '0.1' },
        messy: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`generate-claims: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stderr.write(USAGE + '\n');
    return 0;
  }
  const problems = [];
  if (values.rows === undefined || !/^\d+$/.test(values.rows)) problems.push('--rows must be a non-negative integer');
  if (values.seed === undefined || values.seed === '') problems.push('--seed is required');
  if (values.out === undefined || values.out === '') problems.push('--out is required (a file, or - for stdout)');
  const share = Number(values['illinois-share']);
  if (!/^\s*\d*\.?\d+\s*$/.test(values['illinois-share']) || !(share >= 0 && share <= 1)) {
    problems.push('--illinois-share must be a number from 0 to 1');
  }
  if (problems.length > 0) {
    process.stderr.write(problems.map((p) => `generate-claims: ${p}\n`).join('') + USAGE + '\n');
    return 2;
  }

  try {
    const r = await generateClaims({
      rows: Number(values.rows),
      seed: values.seed,
      out: values.out,
      illinoisShare: share,
      messy: values.messy,
    });
    const where = values.out === '-' ? 'stdout' : values.out;
    process.stderr.write(`generate-claims: ${r.rows} rows, ${r.bytes} bytes, ${r.seconds.toFixed(2)} s -> ${where}\n`);
    return 0;
  } catch (err) {
    if (err && err.code === 'EPIPE') return 0; // reader went away (e.g. `| head`)
    process.stderr.write(`generate-claims: ${err && err.message ? err.message : err}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
