/*
 * Runs of plain ledger rows for payout's ledger writer (src/core/ledger.ts LedgerRows, through
 * src/io/ledger-rows-native.ts; docs/performance.md, "Round nine: ledger rows"): per row, the claim
 * id's bytes as they are, then the row's suffix (everything after the id, the same for every row of
 * a cell with the same status and remainder cent) copied from a pool, until a row the JavaScript
 * writer must write itself: an id whose cell needs a guard or quotes (empty, a formula start
 * = + - @ tab CR ' first, a quote, comma, CR or LF anywhere), a suffix not made yet, or no room
 * left in the output. The JavaScript writer is the reference; this is the same bytes, one call per
 * block instead of a look-up and a copy call per row.
 *
 * N-API only; every argument is checked before anything is written, and every offset read from
 * the arrays is checked before it is used: a bad one throws a TypeError or RangeError.
 */
#include <node_api.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "args.h"
#include "csv_cell.h"

/* What stopped the run (the row where it stopped is in state[0]). */
#define RUN_DONE 0
#define RUN_ID 1
#define RUN_SUFFIX 2
#define RUN_ROOM 3
#define RUN_BAD_ID 4
#define RUN_BAD_KEY 5
#define RUN_BAD_SUFFIX 6


typedef struct {
  const uint8_t* id_bytes; size_t n_id_bytes;
  const uint32_t* id_ends;
  const uint32_t* cell_of;
  const void* status; int status_width; /* 1, 2 or 4 bytes */
  const uint8_t* extra;
  uint32_t n_statuses;
  const uint8_t* pool; size_t n_pool;
  const uint32_t* suffix_at; size_t n_keys; /* 2 per key: start, length (0: not made) */
  uint8_t* out; size_t n_out;
} rows_args;

static inline uint32_t status_of(const rows_args* a, size_t row) {
  switch (a->status_width) {
    case 1: return ((const uint8_t*)a->status)[row];
    case 2: return ((const uint16_t*)a->status)[row];
    default: return ((const uint32_t*)a->status)[row];
  }
}

/*
 * (Not static: a C test harness can call it without Node.js.)
 * Writes rows [*row, to) at out[*pos, …) until one stops the run; returns why (RUN_*), with *row
 * the row it stopped at and *pos the end of what was written.
 */
int payout_ledger_rows(const rows_args* a, uint32_t* row, uint32_t* pos, uint32_t to);
int payout_ledger_rows(const rows_args* a, uint32_t* row, uint32_t* pos, uint32_t to) {
  size_t r = *row, p = *pos;
  size_t start = r == 0 ? 0 : a->id_ends[r - 1];
  int why = RUN_DONE;
  for (; r < to; r++) {
    size_t end = a->id_ends[r];
    if (end < start || end > a->n_id_bytes) { why = RUN_BAD_ID; break; }
    /* Cell and status below n_keys (< 2^31, checked by the caller) first: then the key cannot
       overflow 64 bits. */
    /* Each read once: the arrays may be shared with another thread (a SharedArrayBuffer). */
    uint64_t cell = a->cell_of[r], status = status_of(a, r), extra = a->extra[r];
    if (cell >= a->n_keys || status >= a->n_keys || extra > 1) { why = RUN_BAD_KEY; break; }
    uint64_t key = (cell * a->n_statuses + status) * 2 + extra;
    if (key >= a->n_keys) { why = RUN_BAD_KEY; break; }
    size_t s_start = a->suffix_at[2 * key], s_len = a->suffix_at[2 * key + 1];
    if (s_len == 0) { why = RUN_SUFFIX; break; }
    if (s_start > a->n_pool || s_len > a->n_pool - s_start) { why = RUN_BAD_SUFFIX; break; }
    size_t n = end - start;
    if (n == 0 || (csv_cell_byte[a->id_bytes[start]] & 2)) { why = RUN_ID; break; }
    if (n + s_len > a->n_out - p) { why = RUN_ROOM; break; }
    const uint8_t* id = a->id_bytes + start;
    uint8_t quoted = 0;
    for (size_t i = 0; i < n; i++) quoted |= csv_cell_byte[id[i]];
    if (quoted & 1) { why = RUN_ID; break; }
    /* memmove: out may share its memory with idBytes or pool (JavaScript's set() allows it). */
    memmove(a->out + p, id, n);
    memmove(a->out + p + n, a->pool + s_start, s_len);
    p += n + s_len;
    start = end;
  }
  *row = (uint32_t)r;
  *pos = (uint32_t)p;
  return why;
}

#define THROW_TYPE(msg) do { napi_throw_type_error(env, NULL, "ledgerRows: " msg); return NULL; } while (0)
#define THROW_RANGE(msg) do { napi_throw_range_error(env, NULL, "ledgerRows: " msg); return NULL; } while (0)

/*
 * ledgerRows(idBytes: Uint8Array, idEnds: Uint32Array, cellOf: Uint32Array,
 *            statusIndex: Uint8Array | Uint16Array | Uint32Array, extraCent: Uint8Array,
 *            nStatuses: number, pool: Uint8Array, suffixAt: Uint32Array, out: Uint8Array,
 *            state: Uint32Array, to: number): number
 * Writes rows [state[0], to) at out[state[1], …): id i is idBytes[idEnds[i-1], idEnds[i]) (idEnds[-1]
 * = 0); row i's suffix is key k = (cellOf[i]·nStatuses + statusIndex[i])·2 + extraCent[i], the
 * bytes pool[suffixAt[2k], +suffixAt[2k+1]) (length 0: not made yet). Stops at the first row it
 * cannot write (see the top of the file) and returns why: 0 all written, 1 the id needs the
 * JavaScript writer, 2 the suffix is not made, 3 no room in out; state is then [that row, the end of
 * what was written]. A row whose id ends, key or suffix is out of range throws a RangeError, with
 * state at that row.
 */
static napi_value ledger_rows(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value v[11];
  if (napi_get_cb_info(env, info, &argc, v, NULL, NULL) != napi_ok) return NULL;
  if (argc < 11) THROW_TYPE("too few arguments (idBytes, idEnds, cellOf, statusIndex, extraCent, nStatuses, pool, suffixAt, out, state, to)");
  rows_args a;
  size_t n_ends, n_cells, n_status, n_extra, n_suffix_at, n_state;
  uint32_t *state, to;
  if (!typed(env, v[0], napi_uint8_array, (void**)&a.id_bytes, &a.n_id_bytes)) THROW_TYPE("idBytes must be a Uint8Array");
  if (!typed(env, v[1], napi_uint32_array, (void**)&a.id_ends, &n_ends)) THROW_TYPE("idEnds must be a Uint32Array");
  if (!typed(env, v[2], napi_uint32_array, (void**)&a.cell_of, &n_cells)) THROW_TYPE("cellOf must be a Uint32Array");
  if (typed(env, v[3], napi_uint8_array, (void**)&a.status, &n_status)) a.status_width = 1;
  else if (typed(env, v[3], napi_uint16_array, (void**)&a.status, &n_status)) a.status_width = 2;
  else if (typed(env, v[3], napi_uint32_array, (void**)&a.status, &n_status)) a.status_width = 4;
  else THROW_TYPE("statusIndex must be a Uint8Array, Uint16Array or Uint32Array");
  if (!typed(env, v[4], napi_uint8_array, (void**)&a.extra, &n_extra)) THROW_TYPE("extraCent must be a Uint8Array");
  if (!index_arg(env, v[5], &a.n_statuses)) THROW_TYPE("nStatuses must be an integer");
  if (!typed(env, v[6], napi_uint8_array, (void**)&a.pool, &a.n_pool)) THROW_TYPE("pool must be a Uint8Array");
  if (!typed(env, v[7], napi_uint32_array, (void**)&a.suffix_at, &n_suffix_at)) THROW_TYPE("suffixAt must be a Uint32Array");
  if (!typed(env, v[8], napi_uint8_array, (void**)&a.out, &a.n_out)) THROW_TYPE("out must be a Uint8Array");
  if (!typed(env, v[9], napi_uint32_array, (void**)&state, &n_state)) THROW_TYPE("state must be a Uint32Array");
  if (!index_arg(env, v[10], &to)) THROW_TYPE("to must be an integer");
  if (n_state < 2) THROW_RANGE("state must hold 2 numbers (row, pos)");
  if (n_suffix_at % 2 != 0) THROW_RANGE("suffixAt must hold 2 numbers a key");
  if (to > n_ends || to > n_cells || to > n_status || to > n_extra) THROW_RANGE("to must be within idEnds, cellOf, statusIndex and extraCent");
  if (a.n_out > 0xffffffffu) THROW_RANGE("out must be below 4 GiB");
  if (n_suffix_at / 2 > 0x7fffffffu) THROW_RANGE("suffixAt must hold fewer than 2^31 keys");
  a.n_keys = n_suffix_at / 2;
  /* state is read once, checked and used as these copies, then written back: in a
     SharedArrayBuffer another thread could change it between the check and the use. */
  uint32_t row = ((volatile uint32_t*)state)[0], pos = ((volatile uint32_t*)state)[1];
  if (row > to) THROW_RANGE("state[0] (the first row) must not pass to");
  if (pos > a.n_out) THROW_RANGE("state[1] (where to write) must be within out");
  int why = payout_ledger_rows(&a, &row, &pos, to);
  state[0] = row;
  state[1] = pos;
  if (why == RUN_BAD_ID) THROW_RANGE("a claim id's end is before its start or past idBytes");
  if (why == RUN_BAD_KEY) THROW_RANGE("a row's key is past suffixAt (or its extraCent is not 0 or 1)");
  if (why == RUN_BAD_SUFFIX) THROW_RANGE("a suffix is past the pool");
  napi_value result;
  if (napi_create_uint32(env, (uint32_t)why, &result) != napi_ok) return NULL;
  return result;
}

/* Adds `ledgerRows` to the addon's exports (called from the module's init in sha256_batch.c). */
int payout_register_ledger_rows(napi_env env, napi_value exports);
int payout_register_ledger_rows(napi_env env, napi_value exports) { return export_function(env, exports, "ledgerRows", ledger_rows); }
