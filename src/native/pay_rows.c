/*
 * The payment files' rows of plain paid claims, for payout's files' worker (src/core/payments/
 * record-batch.ts RecordBatchBuilder, through src/io/payments/pay-rows-native.ts; docs/payments.md,
 * "Performance"): per record of a block (core/payments/claim-records.ts), the method's row (a PayPal
 * Payouts row, a NACHA entry detail record or a check register row), the payments.csv row and the
 * addresses.csv row, written into the five files' current blocks, until a record the JavaScript
 * builder must make itself: a tag it does not know or one with text ids or amounts, a payment id
 * not made yet, a part of the plan's payments section missing, a file that is full (5,000 PayPal
 * rows, the plan's NACHA entries per file) (one not begun yet is an empty block: no room), a NACHA name with a character outside
 * Latin-1, a destination whose ends are not plain ASCII, a sum past 2^63 cents, or no room left in
 * a block. The JavaScript builder is the reference; this writes the same bytes, one call per run of
 * records instead of a dozen calls per claim.
 *
 * N-API only. The arguments are checked before anything is written; every length read from the
 * records is checked against the block before it is used. A record is committed (the blocks' ends,
 * counts and sums moved on) only once all its rows are written: a record given back to JavaScript
 * leaves nothing behind but bytes past the blocks' ends.
 */
#include <node_api.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "args.h"
#include "csv_cell.h"

/* Why a run stopped (ints[I_POS] is where: the record JavaScript makes next). */
#define PAY_DONE 0
#define PAY_RECORD 1
#define PAY_ROOM 2

/* The tag byte (claim-records.ts). */
#define M_PAYPAL 0
#define M_VENMO 1
#define M_CHECKING 2
#define M_SAVINGS 3
#define M_CHECK 4
#define METHOD_BITS 7
#define HAS_MAILING 8
#define MAILING_IS_CHECK 16
#define KNOWN_TAG 31

/* The five outputs. */
#define O_PAYPAL 0
#define O_ACH 1
#define O_CHECKS 2
#define O_PAYMENTS 3
#define O_ADDRESSES 4

/* ints: in and out. */
#define I_POS 0           /* where the next record begins in `records` */
#define I_READY 1         /* rows whose payment id is in `digests`: row < ready */
#define I_USED 2          /* 5: where each output's block is filled to */
#define I_COUNTS 7        /* 4: claims paid by PayPal, Venmo, ACH, check */
#define I_PAYPAL_ROWS 11  /* rows in the current PayPal file */
#define I_ACH_IN_FILE 12  /* entries in the current NACHA file */
#define I_ACH_COUNT 13    /* ACH entries of the run (the trace numbers' sequence) */
/* ints: in. */
#define I_ACH_PER_FILE 14 /* the plan's entries per NACHA file; 0: no ach section */
#define I_CHECK_WIDTH 15  /* the check start number's digits; -1: no check section or a start past 15 digits */
#define I_CONSTANTS 16    /* bytes a row may hold beyond its record's (RecordBatchBuilder.constants) */
#define I_PAYPAL_PER_FILE 17 /* rows per PayPal file (PAYPAL_ROWS_PER_FILE, fewer in the load check) */
#define I_SEGMENTS 18     /* 2 per segment of `consts`: start, length */
#define INTS (I_SEGMENTS + 2 * K_COUNT)

/* Segments of `consts`. */
#define K_NOTE 0        /* the PayPal note as a CSV field */
#define K_PP_CURRENCY 1
#define K_CURRENCY 2
#define K_HEAD 3        /* the payment ids' head, P<round>- */
#define K_ODFI 4
#define K_ISSUE 5
#define K_ACCOUNT 6     /* the fund's account on checks */
#define K_MIDDLE 7      /* 5: payments.csv's `round,method,file,` by method */
#define K_WALLET 12     /* 2: PAYPAL, VENMO */
#define K_COLUMNS 14    /* the check register's columns, by their index in CHECK_COLUMNS */
#define K_LATIN1 15     /* 96 × 4 bytes: length (255: not known) and up to 3 ASCII bytes of U+00A0 … U+00FF */
#define K_COUNT 16

/* big: in and out. */
#define B_SUMS 0        /* 5: cents per sum (S_PAYPAL, S_VENMO, S_ACH, S_ACH_LEFT, S_CHECK of record-batch.ts) */
#define B_ROUTING 5     /* Σ of the 8-digit routing prefixes of the entries written */
#define B_CHECK_BASE 6  /* in: the check start number's value */
#define BIGS 7

#define S_ACH 2
#define S_CHECK 4

#define ACH_MOST 9999999

/* The check register's columns (check-columns.ts CHECK_COLUMNS). */
enum { C_NUMBER, C_ISSUE, C_AMOUNT, C_PAYEE, C_ADDRESS, C_ADDRESS2, C_CITY, C_STATE, C_ZIP, C_CLAIM, C_PAYMENT, C_ACCOUNT, C_KINDS };

typedef struct {
  const uint8_t* p;
  uint32_t n;
} seg;

typedef struct {
  const uint8_t* records; size_t n_records;
  const uint8_t* digests; size_t n_digests;
  uint8_t* out[5]; size_t n_out[5];
  seg k[K_COUNT];
} pay_args;


static const char HEX[] = "0123456789abcdef";

static inline uint32_t le32(const uint8_t* p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/*
 * Where a row is being written: every write checks its room against the block's end first and
 * writes nothing past it. A write that does not fit sets `fail` to PAY_ROOM; a cell the builder must
 * write itself sets it to PAY_RECORD; after either, the row's later writes do nothing. So no row
 * is written past its block, whatever the room checked before it (`most`, an early answer).
 */
typedef struct {
  uint8_t* u;
  uint8_t* lim;
  int fail;
} w_t;

static inline w_t writer(uint8_t* out, size_t used, size_t n_out) {
  w_t w = {out + used, out + n_out, 0};
  return w;
}

static inline int room(w_t* w, size_t n) {
  if (w->fail) return 0;
  if ((size_t)(w->lim - w->u) < n) {
    w->fail = PAY_ROOM;
    return 0;
  }
  return 1;
}

static inline void w_bytes(w_t* w, const uint8_t* s, size_t n) {
  if (!room(w, n)) return;
  memcpy(w->u, s, n);
  w->u += n;
}

static inline void w_byte(w_t* w, uint8_t c) {
  if (room(w, 1)) *w->u++ = c;
}

static inline void w_seg(w_t* w, seg s) {
  w_bytes(w, s.p, s.n);
}

/* "…", quotes doubled; `guard`: a ' first inside the quotes (record-cells.ts quoted). */
static void w_quoted(w_t* w, const uint8_t* s, const uint8_t* e, int guard) {
  size_t need = 2 + (guard ? 1 : 0) + (size_t)(e - s);
  for (const uint8_t* i = s; i < e; i++) need += *i == '"';
  if (!room(w, need)) return;
  uint8_t* u = w->u;
  *u++ = '"';
  if (guard) *u++ = '\'';
  for (; s < e; s++) {
    *u++ = *s;
    if (*s == '"') *u++ = '"';
  }
  *u++ = '"';
  w->u = u;
}

/* A CSV field, quoted only when it must be (csvField). */
static inline void w_field(w_t* w, const uint8_t* s, const uint8_t* e) {
  for (const uint8_t* i = s; i < e; i++)
    if (csv_cell_byte[*i] & 1) {
      w_quoted(w, s, e, 0);
      return;
    }
  w_bytes(w, s, (size_t)(e - s));
}

/* A text cell: guarded against formulas, then quoted if needed (textCell). */
static inline void w_cell(w_t* w, const uint8_t* s, const uint8_t* e) {
  if (e > s && (csv_cell_byte[*s] & 2)) {
    for (const uint8_t* i = s; i < e; i++)
      if (csv_cell_byte[*i] & 1) {
        w_quoted(w, s, e, 1);
        return;
      }
    w_byte(w, '\'');
    w_bytes(w, s, (size_t)(e - s));
    return;
  }
  w_field(w, s, e);
}

/* The decimal digits of v ≥ 0, zero-padded to `width` (at most 24), at `u` (a buffer of at least 24 bytes): returns their end. */
static uint8_t* digits(uint8_t* u, uint64_t v, int width) {
  uint8_t tmp[24];
  int n = 0;
  do {
    tmp[n++] = (uint8_t)('0' + v % 10);
    v /= 10;
  } while (v > 0);
  for (int i = n; i < width; i++) *u++ = '0';
  while (n > 0) *u++ = tmp[--n];
  return u;
}

/* The decimal digits of v ≥ 0, zero-padded to `width` (at most 24). */
static inline void w_uint(w_t* w, uint64_t v, int width) {
  uint8_t tmp[48];
  w_bytes(w, tmp, (size_t)(digits(tmp, v, width) - tmp));
}

/* Cents as formatMoney writes them: "0.05", "1523.00" (cents > 0), into `u` (32 bytes). */
static int money_text(uint8_t* u, uint64_t cents) {
  uint8_t* e = digits(u, cents / 100, 0);
  *e++ = '.';
  *e++ = (uint8_t)('0' + (cents / 10) % 10);
  *e++ = (uint8_t)('0' + cents % 10);
  return (int)(e - u);
}

/* The payment id: the head and the 16 hex digits of the row's 8 bytes. */
static inline void w_id(w_t* w, const pay_args* a, uint32_t row) {
  w_seg(w, a->k[K_HEAD]);
  if (!room(w, 16)) return;
  const uint8_t* d = a->digests + (size_t)row * 8;
  for (int i = 0; i < 8; i++) {
    *w->u++ = (uint8_t)HEX[d[i] >> 4];
    *w->u++ = (uint8_t)HEX[d[i] & 15];
  }
}

/* maskLast4 of a destination whose ends are plain ASCII (putMasked); PAY_RECORD when they are not. */
static void w_masked(w_t* w, const uint8_t* s, const uint8_t* e) {
  const uint8_t* from = e - s > 4 ? e - 4 : s;
  int plain = !(e > s && !(*s > 0x20 && *s < 0x7f));
  for (const uint8_t* i = from; i < e && plain; i++) plain = *i > 0x20 && *i < 0x7f;
  if (!plain) {
    if (!w->fail) w->fail = PAY_RECORD;
    return;
  }
  w_bytes(w, (const uint8_t*)"****", 4);
  if (e - s > 4) w_bytes(w, e - 4, 4);
}

/* NACHA's alphanumeric field (putAlpha): `width` bytes; PAY_RECORD for a character it leaves to JavaScript. */
static void w_alpha(w_t* w, const uint8_t* s, const uint8_t* e, int width, seg latin1) {
  if (!room(w, (size_t)width)) return;
  uint8_t* u = w->u;
  uint8_t* end = u + width;
  for (const uint8_t* i = s; i < e && u < end; i++) {
    uint8_t c = *i;
    if (c >= 0x20 && c <= 0x7e) {
      *u++ = c >= 0x61 && c <= 0x7a ? (uint8_t)(c - 0x20) : c;
      continue;
    }
    uint8_t next = i + 1 < e ? i[1] : 0;
    int k;
    if (c == 0xc2 && next >= 0xa0 && next <= 0xbf) k = next - 0xa0;
    else if (c == 0xc3 && next >= 0x80 && next <= 0xbf) k = next + 0x40 - 0xa0;
    else k = -1;
    const uint8_t* t = k >= 0 && latin1.n >= 96 * 4 ? latin1.p + 4 * k : NULL;
    if (t == NULL || t[0] > 3) {
      w->fail = PAY_RECORD;
      return;
    }
    for (int j = 0; j < t[0] && u < end; j++) *u++ = t[1 + j];
    i++;
  }
  while (u < end) *u++ = ' ';
  w->u = u;
}

/* The next cell of a record at *pos (ClaimRecordReader.cell): 0 when it runs past the block. */
static inline int cell(const uint8_t* b, size_t n, size_t* pos, const uint8_t** s, const uint8_t** e) {
  size_t p = *pos;
  if (n - p < 2) return 0;
  size_t len = (size_t)b[p] | ((size_t)b[p + 1] << 8);
  p += 2;
  if (len == 0xffff) {
    if (n - p < 4) return 0;
    len = le32(b + p);
    p += 4;
  }
  if (len > n - p) return 0;
  *s = b + p;
  *e = b + p + len;
  *pos = p + len;
  return 1;
}

/*
 * (Not static: a C test harness can call it without Node.js.)
 * Writes the rows of the records from ints[I_POS] on until one stops the run; returns why (PAY_*),
 * with ints and big moved on past the records written.
 */
int payout_pay_rows(const pay_args* a, int32_t* ints, int64_t* big);
int payout_pay_rows(const pay_args* a, int32_t* ints, int64_t* big) {
  const uint8_t* b = a->records;
  const size_t n = a->n_records;
  size_t pos = (size_t)ints[I_POS];
  const uint32_t ready = (uint32_t)ints[I_READY];
  size_t used[5];
  for (int o = 0; o < 5; o++) used[o] = (size_t)ints[I_USED + o];
  int32_t counts[4] = {ints[I_COUNTS], ints[I_COUNTS + 1], ints[I_COUNTS + 2], ints[I_COUNTS + 3]};
  int32_t paypal_rows = ints[I_PAYPAL_ROWS], ach_in_file = ints[I_ACH_IN_FILE], ach_count = ints[I_ACH_COUNT];
  const int32_t per_file = ints[I_ACH_PER_FILE], check_width = ints[I_CHECK_WIDTH], paypal_per_file = ints[I_PAYPAL_PER_FILE];
  const size_t constants = (size_t)ints[I_CONSTANTS];
  int64_t sums[5] = {big[0], big[1], big[2], big[3], big[4]};
  int64_t routing = big[B_ROUTING];
  const int64_t check_base = big[B_CHECK_BASE];
  const seg columns = a->k[K_COLUMNS];
  int why = PAY_DONE;

  while (pos < n) {
    const size_t first = pos;
    why = PAY_RECORD;
    const uint8_t tag = b[pos];
    const int method = tag & METHOD_BITS;
    if ((tag & ~KNOWN_TAG) || method > M_CHECK || n - pos < 13) break;
    const uint32_t row = le32(b + pos + 1);
    int64_t cents;
    memcpy(&cents, b + pos + 5, 8); /* little-endian, as the writer's DataView */
    if (row >= ready || (size_t)row >= a->n_digests / 8 || cents <= 0) break;
    size_t p = pos + 13;
    const uint8_t *id_s, *id_e;
    const uint8_t* c_s[12];
    const uint8_t* c_e[12];
    const int cells = method <= M_VENMO ? 1 : method <= M_SAVINGS ? 3 : 6;
    const int is_check_mailing = (tag & MAILING_IS_CHECK) != 0;
    if ((tag & HAS_MAILING) == 0 && is_check_mailing) break;
    if (is_check_mailing && method != M_CHECK) break;
    const int mailing = (tag & HAS_MAILING) == 0 || is_check_mailing ? 0 : 6;
    int ok = cell(b, n, &p, &id_s, &id_e);
    for (int k = 0; ok && k < cells + mailing; k++) ok = cell(b, n, &p, &c_s[k], &c_e[k]);
    if (!ok) break;
    const size_t most = 4 * (p - first) + constants;
    const int sum = method <= M_VENMO ? method : method <= M_SAVINGS ? S_ACH : S_CHECK;
    int64_t next_sum;
    if (__builtin_add_overflow(sums[sum], cents, &next_sum)) break;
    uint8_t money[32];
    const int money_n = money_text(money, (uint64_t)cents);
    int64_t next_routing = routing;
    int32_t check_index = 0;
    uint8_t number[24];
    int number_n = 0;
    const uint8_t* ref_s = NULL;
    const uint8_t* ref_e = NULL;
    seg currency = a->k[K_CURRENCY];
    int32_t out_row = 0;
    size_t u_method = 0;
    int o_method = -1;
    int fail = 0;

    if (method <= M_VENMO) {
      if (paypal_rows >= paypal_per_file) fail = PAY_RECORD;
      else if (a->n_out[O_PAYPAL] - used[O_PAYPAL] < most) fail = PAY_ROOM;
      else {
        w_t w = writer(a->out[O_PAYPAL], used[O_PAYPAL], a->n_out[O_PAYPAL]);
        w_field(&w, c_s[0], c_e[0]);
        w_byte(&w, ',');
        w_bytes(&w, money, (size_t)money_n);
        w_byte(&w, ',');
        w_seg(&w, a->k[K_PP_CURRENCY]);
        w_byte(&w, ',');
        w_field(&w, id_s, id_e);
        w_byte(&w, ',');
        w_seg(&w, a->k[K_NOTE]);
        w_byte(&w, ',');
        w_seg(&w, a->k[K_WALLET + method]);
        w_byte(&w, '\n');
        fail = w.fail;
        u_method = (size_t)(w.u - a->out[O_PAYPAL]);
        o_method = O_PAYPAL;
        out_row = paypal_rows + 1;
        currency = a->k[K_PP_CURRENCY];
        ref_s = id_s;
        ref_e = id_e;
      }
    } else if (method <= M_SAVINGS) {
      const size_t routing_n = (size_t)(c_e[0] - c_s[0]), account_n = (size_t)(c_e[1] - c_s[1]);
      if (per_file <= 0 || ach_in_file >= per_file || ach_count >= ACH_MOST || cents >= 10000000000LL || routing_n != 9 || account_n > 17) fail = PAY_RECORD;
      else if (a->n_out[O_ACH] - used[O_ACH] < 95) fail = PAY_ROOM;
      else {
        w_t w = writer(a->out[O_ACH], used[O_ACH], a->n_out[O_ACH]);
        w_byte(&w, '6');
        w_byte(&w, method == M_SAVINGS ? '3' : '2');
        w_byte(&w, '2');
        w_bytes(&w, c_s[0], 9);
        w_bytes(&w, c_s[1], account_n);
        for (size_t i = account_n; i < 17; i++) w_byte(&w, ' ');
        w_uint(&w, (uint64_t)cents, 10);
        w_alpha(&w, id_s, id_e, 15, a->k[K_LATIN1]);
        w_alpha(&w, c_s[2], c_e[2], 22, a->k[K_LATIN1]);
        w_bytes(&w, (const uint8_t*)"  0", 3);
        w_seg(&w, a->k[K_ODFI]);
        w_uint(&w, (uint64_t)(ach_count + 1), 7);
        w_byte(&w, '\n');
        fail = w.fail;
        int64_t prefix = 0;
        for (int i = 0; i < 8; i++) prefix = prefix * 10 + (c_s[0][i] - 0x30);
        next_routing = routing + prefix;
        u_method = (size_t)(w.u - a->out[O_ACH]);
        o_method = O_ACH;
        out_row = ach_in_file + 1;
        /* payments.csv's reference: the trace number (the ODFI's 8 digits at most, and 7). */
        memcpy(number, a->k[K_ODFI].p, a->k[K_ODFI].n);
        number_n = (int)(digits(number + a->k[K_ODFI].n, (uint64_t)(ach_count + 1), 7) - number);
      }
    } else {
      const size_t need = most * (columns.n > 0 ? columns.n : 1);
      if (check_width < 0) fail = PAY_RECORD;
      else if (a->n_out[O_CHECKS] - used[O_CHECKS] < need) fail = PAY_ROOM;
      else {
        check_index = counts[3];
        number_n = (int)(digits(number, (uint64_t)(check_base + check_index), check_width) - number);
        w_t w = writer(a->out[O_CHECKS], used[O_CHECKS], a->n_out[O_CHECKS]);
        for (uint32_t i = 0; i < columns.n && !w.fail; i++) {
          if (i > 0) w_byte(&w, ',');
          const int col = columns.p[i];
          switch (col) {
            case C_NUMBER: w_bytes(&w, number, (size_t)number_n); break;
            case C_ISSUE: w_seg(&w, a->k[K_ISSUE]); break;
            case C_AMOUNT: w_bytes(&w, money, (size_t)money_n); break;
            case C_PAYEE: case C_ADDRESS: case C_ADDRESS2: case C_CITY: case C_STATE: case C_ZIP:
              w_cell(&w, c_s[col - C_PAYEE], c_e[col - C_PAYEE]);
              break;
            case C_CLAIM: w_cell(&w, id_s, id_e); break;
            case C_PAYMENT: w_id(&w, a, row); break;
            case C_ACCOUNT: w_seg(&w, a->k[K_ACCOUNT]); break;
            default: w.fail = PAY_RECORD;
          }
        }
        w_byte(&w, '\n');
        fail = w.fail;
        u_method = (size_t)(w.u - a->out[O_CHECKS]);
        o_method = O_CHECKS;
        out_row = check_index + 1;
      }
    }
    /* payments.csv and addresses.csv. */
    size_t u_payments = 0, u_addresses = used[O_ADDRESSES];
    if (!fail) {
      if (a->n_out[O_PAYMENTS] - used[O_PAYMENTS] < most) fail = PAY_ROOM;
      else if ((tag & HAS_MAILING) && a->n_out[O_ADDRESSES] - used[O_ADDRESSES] < most) fail = PAY_ROOM;
    }
    if (!fail) {
      w_t w = writer(a->out[O_PAYMENTS], used[O_PAYMENTS], a->n_out[O_PAYMENTS]);
      w_id(&w, a, row);
      w_byte(&w, ',');
      w_cell(&w, id_s, id_e);
      w_byte(&w, ',');
      w_seg(&w, a->k[K_MIDDLE + method]);
      w_uint(&w, (uint64_t)out_row, 0);
      w_byte(&w, ',');
      if (method <= M_VENMO) w_cell(&w, ref_s, ref_e);
      else w_bytes(&w, number, (size_t)number_n);
      w_byte(&w, ',');
      w_bytes(&w, money, (size_t)money_n);
      w_byte(&w, ',');
      w_seg(&w, currency);
      w_byte(&w, ',');
      if (method <= M_VENMO) w_masked(&w, c_s[0], c_e[0]);
      else if (method <= M_SAVINGS) w_masked(&w, c_s[1], c_e[1]);
      w_byte(&w, '\n');
      fail = w.fail;
      u_payments = (size_t)(w.u - a->out[O_PAYMENTS]);
    }
    if (!fail && (tag & HAS_MAILING)) {
      const int from = is_check_mailing ? 0 : cells;
      w_t w = writer(a->out[O_ADDRESSES], used[O_ADDRESSES], a->n_out[O_ADDRESSES]);
      w_cell(&w, id_s, id_e);
      for (int k = from; k < from + 6; k++) {
        w_byte(&w, ',');
        w_cell(&w, c_s[k], c_e[k]);
      }
      w_byte(&w, '\n');
      fail = w.fail;
      u_addresses = (size_t)(w.u - a->out[O_ADDRESSES]);
    }
    if (fail) {
      why = fail; /* nothing committed: JavaScript makes this record */
      break;
    }
    /* The record's rows are written: commit. */
    sums[sum] = next_sum;
    used[o_method] = u_method;
    used[O_PAYMENTS] = u_payments;
    used[O_ADDRESSES] = u_addresses;
    counts[method <= M_VENMO ? method : method <= M_SAVINGS ? 2 : 3]++;
    if (method <= M_VENMO) paypal_rows++;
    else if (method <= M_SAVINGS) {
      ach_in_file++;
      ach_count++;
      routing = next_routing;
    }
    pos = p;
    why = PAY_DONE;
  }

  ints[I_POS] = (int32_t)pos;
  for (int o = 0; o < 5; o++) ints[I_USED + o] = (int32_t)used[o];
  for (int m = 0; m < 4; m++) ints[I_COUNTS + m] = counts[m];
  ints[I_PAYPAL_ROWS] = paypal_rows;
  ints[I_ACH_IN_FILE] = ach_in_file;
  ints[I_ACH_COUNT] = ach_count;
  for (int s = 0; s < 5; s++) big[B_SUMS + s] = sums[s];
  big[B_ROUTING] = routing;
  return pos >= n ? PAY_DONE : why;
}

static napi_value fail_with(napi_env env, int range, const char* message) {
  if (range) napi_throw_range_error(env, NULL, message);
  else napi_throw_type_error(env, NULL, message);
  return NULL;
}

/*
 * payRows(records, digests, consts, paypal, ach, checks, payments, addresses, ints, big): the
 * rows of the records from ints[0] on, into the five blocks; returns why it stopped (0: the block's
 * end, 1: a record JavaScript makes, 2: no room). See the #defines above for `ints`, `consts` and `big`.
 */
static napi_value pay_rows(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 10) return fail_with(env, 0, "payRows: 10 arguments");
  pay_args a;
  void* d;
  size_t len;
  if (!typed(env, argv[0], napi_uint8_array, &d, &len)) return fail_with(env, 0, "payRows: records must be a Uint8Array");
  a.records = d;
  a.n_records = len;
  if (!typed(env, argv[1], napi_uint8_array, &d, &len)) return fail_with(env, 0, "payRows: digests must be a Uint8Array");
  a.digests = d;
  a.n_digests = len;
  const uint8_t* consts;
  size_t n_consts;
  if (!typed(env, argv[2], napi_uint8_array, &d, &len)) return fail_with(env, 0, "payRows: consts must be a Uint8Array");
  consts = d;
  n_consts = len;
  for (int o = 0; o < 5; o++) {
    if (!typed(env, argv[3 + o], napi_uint8_array, &d, &len)) return fail_with(env, 0, "payRows: the five outputs must be Uint8Arrays");
    a.out[o] = d;
    a.n_out[o] = len;
  }
  int32_t* ints_in;
  int64_t* big_in;
  if (!typed(env, argv[8], napi_int32_array, &d, &len)) return fail_with(env, 0, "payRows: ints must be an Int32Array");
  ints_in = d;
  if (len < INTS) return fail_with(env, 1, "payRows: ints is too short");
  if (!typed(env, argv[9], napi_bigint64_array, &d, &len)) return fail_with(env, 0, "payRows: big must be a BigInt64Array");
  big_in = d;
  if (len < BIGS) return fail_with(env, 1, "payRows: big is too short");
  /* Read once: what is checked is what is used. */
  int32_t ints[INTS];
  int64_t big[BIGS];
  memcpy(ints, ints_in, sizeof ints);
  memcpy(big, big_in, sizeof big);
  if (ints[I_POS] < 0 || (size_t)ints[I_POS] > a.n_records) return fail_with(env, 1, "payRows: ints[0] (the first record) must be within records");
  for (int o = 0; o < 5; o++)
    if (ints[I_USED + o] < 0 || (size_t)ints[I_USED + o] > a.n_out[o]) return fail_with(env, 1, "payRows: an output's end must be within its block");
  for (int m = 0; m < 4; m++)
    if (ints[I_COUNTS + m] < 0) return fail_with(env, 1, "payRows: counts must not be negative");
  if (ints[I_READY] < 0 || ints[I_PAYPAL_ROWS] < 0 || ints[I_ACH_IN_FILE] < 0 || ints[I_ACH_COUNT] < 0 || ints[I_ACH_PER_FILE] < 0 || ints[I_CONSTANTS] < 0 || ints[I_PAYPAL_PER_FILE] < 1 || ints[I_CHECK_WIDTH] < -1 || ints[I_CHECK_WIDTH] > 15)
    return fail_with(env, 1, "payRows: a count or setting out of range");
  if (ints[I_CHECK_WIDTH] >= 0 && (big[B_CHECK_BASE] < 0 || big[B_CHECK_BASE] > 999999999999999LL)) return fail_with(env, 1, "payRows: the check start must be of 15 digits at most");
  for (int k = 0; k < K_COUNT; k++) {
    const int32_t s = ints[I_SEGMENTS + 2 * k], l = ints[I_SEGMENTS + 2 * k + 1];
    if (s < 0 || l < 0 || (size_t)s > n_consts || (size_t)l > n_consts - (size_t)s) return fail_with(env, 1, "payRows: a segment past consts");
    a.k[k].p = consts + s;
    a.k[k].n = (uint32_t)l;
  }
  /* The constants bound every row (RecordBatchBuilder.constants): they must be counted in it. */
  size_t fixed = 0;
  for (int k = 0; k < K_COLUMNS; k++) fixed += a.k[k].n;
  if ((size_t)ints[I_CONSTANTS] < fixed + 64 || a.k[K_ODFI].n > 8 || a.k[K_HEAD].n > 64) return fail_with(env, 1, "payRows: constants must bound the rows' fixed bytes");
  for (uint32_t i = 0; i < a.k[K_COLUMNS].n; i++)
    if (a.k[K_COLUMNS].p[i] >= C_KINDS) return fail_with(env, 1, "payRows: a check column past CHECK_COLUMNS");
  const int why = payout_pay_rows(&a, ints, big);
  memcpy(ints_in, ints, sizeof ints);
  memcpy(big_in, big, sizeof big);
  napi_value r;
  if (napi_create_int32(env, why, &r) != napi_ok) return NULL;
  return r;
}

int payout_register_pay_rows(napi_env env, napi_value exports);
int payout_register_pay_rows(napi_env env, napi_value exports) { return export_function(env, exports, "payRows", pay_rows); }
