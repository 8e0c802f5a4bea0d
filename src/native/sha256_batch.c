/*
 * Batched SHA-256 for payout (src/io/sha256-batch.ts): many messages hashed in one call, so the
 * cost of crossing from JavaScript into OpenSSL is paid once per batch, not once per message.
 * N-API only (node_api.h): one build serves every Node.js version from 20 on. OpenSSL's
 * SHA256_Init/Update/Final are those of the node binary itself (no -lcrypto); the one-shot
 * SHA256() goes through an EVP fetch and costs several times more per message.
 *
 * Every argument is checked before anything is read or written; a bad one throws a TypeError or
 * RangeError and leaves the output untouched.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

#include "args.h"

#define DIGEST 32

/* csv_scan.c: the CSV structural index, in the same addon. */
int payout_register_csv_scan(napi_env env, napi_value exports);
int payout_register_ledger_rows(napi_env env, napi_value exports); /* ledger_rows.c */
int payout_register_pay_rows(napi_env env, napi_value exports); /* pay_rows.c */

static void throw_type(napi_env env, const char* msg) { napi_throw_type_error(env, NULL, msg); }
static void throw_range(napi_env env, const char* msg) { napi_throw_range_error(env, NULL, msg); }

static int is_missing(napi_env env, napi_value v) {
  napi_valuetype t;
  return napi_typeof(env, v, &t) == napi_ok && t == napi_undefined;
}

/*
 * many(bytes: Uint8Array, ends: Uint32Array, out: Uint8Array, head?: Uint8Array, take?: number,
 *      first?: number)
 * Message i is head ‖ bytes[ends[i-1], ends[i]) (ends[-1] = first, default 0); the first `take`
 * bytes (1..32, default 32) of its SHA-256 go to out[i·take, (i+1)·take).
 */
static napi_value many(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value a[6];
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok) return NULL;
  for (size_t k = argc; k < 6; k++) napi_get_undefined(env, &a[k]);
  uint8_t* bytes; size_t nbytes;
  uint32_t* ends; size_t n;
  uint8_t* out; size_t nout;
  uint8_t* head = NULL; size_t nhead = 0;
  uint32_t take = DIGEST, first = 0;
  if (argc < 3) { throw_type(env, "many(bytes, ends, out[, head[, take[, first]]]): too few arguments"); return NULL; }
  if (!typed(env, a[0], napi_uint8_array, (void**)&bytes, &nbytes)) { throw_type(env, "many: bytes must be a Uint8Array"); return NULL; }
  if (!typed(env, a[1], napi_uint32_array, (void**)&ends, &n)) { throw_type(env, "many: ends must be a Uint32Array"); return NULL; }
  if (!typed(env, a[2], napi_uint8_array, (void**)&out, &nout)) { throw_type(env, "many: out must be a Uint8Array"); return NULL; }
  if (!is_missing(env, a[3]) && !typed(env, a[3], napi_uint8_array, (void**)&head, &nhead)) { throw_type(env, "many: head must be a Uint8Array"); return NULL; }
  if (!is_missing(env, a[4]) && !index_arg(env, a[4], &take)) { throw_type(env, "many: take must be an integer"); return NULL; }
  if (!is_missing(env, a[5]) && !index_arg(env, a[5], &first)) { throw_type(env, "many: first must be an integer"); return NULL; }
  if (take < 1 || take > DIGEST) { throw_range(env, "many: take must be 1 to 32"); return NULL; }
  if (n > nout / take) { throw_range(env, "many: out is too short for the digests"); return NULL; }
  if (first > nbytes) { throw_range(env, "many: first is past the end of bytes"); return NULL; }
  size_t from = first;
  for (size_t i = 0; i < n; i++) {
    if (ends[i] < from || ends[i] > nbytes) { throw_range(env, "many: ends must not decrease nor pass the end of bytes"); return NULL; }
    from = ends[i];
  }
  uint8_t d[DIGEST];
  from = first;
  for (size_t i = 0; i < n; i++) {
    /* Read once and checked again: `ends` may sit in shared memory another thread could write. */
    size_t to = ends[i];
    if (to < from || to > nbytes) { throw_range(env, "many: ends changed while they were hashed"); return NULL; }
    SHA256_CTX c;
    SHA256_Init(&c);
    if (nhead > 0) SHA256_Update(&c, head, nhead);
    SHA256_Update(&c, bytes + from, to - from);
    if (take == DIGEST) SHA256_Final(out + i * DIGEST, &c);
    else { SHA256_Final(d, &c); memcpy(out + i * take, d, take); }
    from = to;
  }
  return NULL;
}

/*
 * level(digests: Uint8Array, count: number, out: Uint8Array)
 * The next level of a payout-merkle/1 tree over `count` digests packed 32 bytes each: pair j is
 * SHA-256(0x01 ‖ digest 2j ‖ digest 2j+1), written at out[32j]; an odd last digest is copied up
 * unchanged. `out` may be `digests` itself (each pair is read before its node is written).
 */
static napi_value level(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value a[3];
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok) return NULL;
  uint8_t* in; size_t nin;
  uint8_t* out; size_t nout;
  uint32_t count;
  if (argc < 3) { throw_type(env, "level(digests, count, out): too few arguments"); return NULL; }
  if (!typed(env, a[0], napi_uint8_array, (void**)&in, &nin)) { throw_type(env, "level: digests must be a Uint8Array"); return NULL; }
  if (!index_arg(env, a[1], &count)) { throw_type(env, "level: count must be an integer"); return NULL; }
  if (!typed(env, a[2], napi_uint8_array, (void**)&out, &nout)) { throw_type(env, "level: out must be a Uint8Array"); return NULL; }
  size_t cnt = count;
  if (cnt > nin / DIGEST) { throw_range(env, "level: digests holds fewer than count digests"); return NULL; }
  if ((cnt + 1) / 2 > nout / DIGEST) { throw_range(env, "level: out is too short for the next level"); return NULL; }
  uint8_t m[1 + 2 * DIGEST];
  m[0] = 0x01;
  size_t i;
  for (i = 0; i + 1 < cnt; i += 2) {
    memcpy(m + 1, in + i * DIGEST, 2 * DIGEST);
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, m, sizeof m);
    SHA256_Final(out + (i / 2) * DIGEST, &c);
  }
  if (cnt % 2 == 1) memmove(out + (cnt / 2) * DIGEST, in + (cnt - 1) * DIGEST, DIGEST);
  return NULL;
}

/* The decimal digits of `v` at `to` (at most 10); their count. */
static size_t decimal(uint32_t v, uint8_t* to) {
  uint8_t rev[10];
  size_t n = 0;
  do { rev[n++] = (uint8_t)('0' + v % 10); v /= 10; } while (v > 0);
  for (size_t k = 0; k < n; k++) to[k] = rev[n - 1 - k];
  return n;
}

/* Where entry `k` of an ends array starts and ends (entry -1 ends at 0); 0 when out of bounds. */
static int span(const uint32_t* ends, size_t nends, size_t nbytes, size_t k, size_t* from, size_t* to) {
  if (k >= nends) return 0;
  *from = k == 0 ? 0 : ends[k - 1];
  *to = ends[k];
  return *from <= *to && *to <= nbytes;
}

/* A leaf message up to this long is assembled on the stack and hashed in one Update. */
#define LEAF_STACK 512

/*
 * leaves(head: Uint8Array, idBytes: Uint8Array, idEnds: Uint32Array, rows: Uint32Array | number,
 *        suffixBytes: Uint8Array, suffixEnds: Uint32Array, keys: Uint32Array, out: Uint8Array)
 * The receipts tree's leaves (core/merkle.ts, docs/receipts.md) for keys.length positions. At
 * position i, row r is rows[i] (or, when `rows` is a number, rows + i) and k is keys[i]; id r is
 * idBytes[idEnds[r-1], idEnds[r]) and suffix k is suffixBytes[suffixEnds[k-1], suffixEnds[k])
 * (entry -1 ends at 0). The SHA-256 of head ‖ decimal(id's length) ‖ ':' ‖ id ‖ ',' ‖ suffix goes
 * to out[32i, 32i+32).
 */
static napi_value leaves(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value a[8];
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok) return NULL;
  uint8_t* head; size_t nhead;
  uint8_t* ids; size_t nids;
  uint32_t* idEnds; size_t nidEnds;
  uint32_t* rows = NULL; size_t nrows = 0; uint32_t firstRow = 0;
  uint8_t* sfx; size_t nsfx;
  uint32_t* sfxEnds; size_t nsfxEnds;
  uint32_t* keys; size_t n;
  uint8_t* out; size_t nout;
  if (argc < 8) { throw_type(env, "leaves(head, idBytes, idEnds, rows, suffixBytes, suffixEnds, keys, out): too few arguments"); return NULL; }
  if (!typed(env, a[0], napi_uint8_array, (void**)&head, &nhead)) { throw_type(env, "leaves: head must be a Uint8Array"); return NULL; }
  if (!typed(env, a[1], napi_uint8_array, (void**)&ids, &nids)) { throw_type(env, "leaves: idBytes must be a Uint8Array"); return NULL; }
  if (!typed(env, a[2], napi_uint32_array, (void**)&idEnds, &nidEnds)) { throw_type(env, "leaves: idEnds must be a Uint32Array"); return NULL; }
  /* Given as an array, or a start row. (Not `rows != NULL`: an empty array has no data pointer.) */
  int given = typed(env, a[3], napi_uint32_array, (void**)&rows, &nrows);
  if (!given) {
    rows = NULL;
    if (!index_arg(env, a[3], &firstRow)) { throw_type(env, "leaves: rows must be a Uint32Array or an integer"); return NULL; }
  }
  if (!typed(env, a[4], napi_uint8_array, (void**)&sfx, &nsfx)) { throw_type(env, "leaves: suffixBytes must be a Uint8Array"); return NULL; }
  if (!typed(env, a[5], napi_uint32_array, (void**)&sfxEnds, &nsfxEnds)) { throw_type(env, "leaves: suffixEnds must be a Uint32Array"); return NULL; }
  if (!typed(env, a[6], napi_uint32_array, (void**)&keys, &n)) { throw_type(env, "leaves: keys must be a Uint32Array"); return NULL; }
  if (!typed(env, a[7], napi_uint8_array, (void**)&out, &nout)) { throw_type(env, "leaves: out must be a Uint8Array"); return NULL; }
  if (given && nrows != n) { throw_range(env, "leaves: rows and keys must be as long"); return NULL; }
  if (!given && (size_t)firstRow + n > nidEnds) { throw_range(env, "leaves: rows run past the end of idEnds"); return NULL; }
  if (n > nout / DIGEST) { throw_range(env, "leaves: out is too short for the digests"); return NULL; }
  size_t from, to, sfrom, sto;
  for (size_t i = 0; i < n; i++) {
    size_t r = given ? rows[i] : (size_t)firstRow + i;
    if (!span(idEnds, nidEnds, nids, r, &from, &to)) { throw_range(env, "leaves: a row is past the end of idEnds, or its id's ends decrease or pass the end of idBytes"); return NULL; }
    if (!span(sfxEnds, nsfxEnds, nsfx, keys[i], &sfrom, &sto)) { throw_range(env, "leaves: a key is past the end of suffixEnds, or its suffix's ends decrease or pass the end of suffixBytes"); return NULL; }
  }
  /* The head is the same for every message: put in the stack buffer once. */
  uint8_t m[LEAF_STACK];
  int stacked = nhead <= LEAF_STACK - 12;
  if (stacked && nhead > 0) memcpy(m, head, nhead);
  for (size_t i = 0; i < n; i++) {
    /* Read once and checked again: the arrays may sit in shared memory another thread could write. */
    size_t r = given ? rows[i] : (size_t)firstRow + i;
    size_t k = keys[i];
    if (!span(idEnds, nidEnds, nids, r, &from, &to) || !span(sfxEnds, nsfxEnds, nsfx, k, &sfrom, &sto)) {
      throw_range(env, "leaves: rows, keys or ends changed while they were hashed");
      return NULL;
    }
    size_t idLen = to - from, sLen = sto - sfrom;
    SHA256_CTX c;
    SHA256_Init(&c);
    if (stacked && nhead + 11 + idLen + 1 + sLen <= LEAF_STACK) {
      uint8_t* p = m + nhead;
      p += decimal((uint32_t)idLen, p);
      *p++ = ':';
      /* (memcpy from an empty array's NULL data pointer is undefined, even for 0 bytes.) */
      if (idLen > 0) memcpy(p, ids + from, idLen);
      p += idLen;
      *p++ = ',';
      if (sLen > 0) memcpy(p, sfx + sfrom, sLen);
      p += sLen;
      SHA256_Update(&c, m, (size_t)(p - m));
    } else {
      uint8_t len[11];
      size_t digits = decimal((uint32_t)idLen, len);
      len[digits] = ':';
      SHA256_Update(&c, head, nhead);
      SHA256_Update(&c, len, digits + 1);
      SHA256_Update(&c, ids + from, idLen);
      SHA256_Update(&c, ",", 1);
      SHA256_Update(&c, sfx + sfrom, sLen);
    }
    SHA256_Final(out + i * DIGEST, &c);
  }
  return NULL;
}

NAPI_MODULE_INIT() {
  if (!export_function(env, exports, "many", many)) return NULL;
  if (!export_function(env, exports, "level", level)) return NULL;
  if (!export_function(env, exports, "leaves", leaves)) return NULL;
  if (!payout_register_csv_scan(env, exports)) return NULL;
  if (!payout_register_ledger_rows(env, exports)) return NULL;
  if (!payout_register_pay_rows(env, exports)) return NULL;
  return exports;
}
