/*
 * The structural index of a CSV window for payout's fast tokenizer (src/io/csv-fast-index.ts):
 * the offsets of every delimiter, quote, CR and LF in bytes [from, end) of a buffer, in order, so
 * that the tokenizer reads one offset per field instead of searching the text for each of those
 * characters in turn (docs/performance.md, "Round eight").
 *
 * Sixty-four bytes at a time: with SSE2 (the baseline of x86-64) four 16-byte compares against each
 * of the four characters give a 64-bit mask of the bytes that matter, whose set bits are the
 * offsets; elsewhere the same mask comes from eight bytes a word in plain C. Either way the offsets
 * are the same.
 *
 * N-API only; every argument is checked before anything is read or written, a bad one throws a
 * TypeError or RangeError.
 */
#include <node_api.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "args.h"
/* SSE2: GCC and Clang say so with __SSE2__; MSVC does not define it, but has SSE2 on x64 and on x86 with /arch:SSE2 or above. */
#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#define CSV_SCAN_SSE2 1
#include <emmintrin.h>
#endif

#define QUOTE 0x22
#define CR 0x0d
#define LF 0x0a

/* The index of the lowest set bit of m (m is not 0). */
static inline unsigned lowest_bit(uint64_t m) {
#if defined(__GNUC__) || defined(__clang__)
  return (unsigned)__builtin_ctzll(m);
#else
  unsigned i = 0;
  while ((m & 1) == 0) { m >>= 1; i++; }
  return i;
#endif
}

/* The 64-bit mask of the bytes of b[0, 64) that are the delimiter, a quote, CR or LF. */
static inline uint64_t block_mask(const uint8_t* b, uint8_t d) {
#if defined(CSV_SCAN_SSE2)
  const __m128i vd = _mm_set1_epi8((char)d), vq = _mm_set1_epi8(QUOTE), vr = _mm_set1_epi8(CR), vn = _mm_set1_epi8(LF);
  uint64_t m = 0;
  for (int k = 0; k < 4; k++) {
    __m128i v = _mm_loadu_si128((const __m128i*)(b + 16 * k));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vq)), _mm_or_si128(_mm_cmpeq_epi8(v, vr), _mm_cmpeq_epi8(v, vn)));
    m |= (uint64_t)(uint16_t)_mm_movemask_epi8(hit) << (16 * k);
  }
  return m;
#else
  /* Eight bytes a word: a byte of t = w ^ c is zero where w holds c, and z has its top bit set
     exactly there (no carry crosses bytes); the eight top bits are then gathered into one byte. */
  const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL, ones = 0x0101010101010101ULL;
  const uint64_t cd = ones * d, cq = ones * QUOTE, cr = ones * CR, cn = ones * LF;
  uint64_t m = 0;
  for (int k = 0; k < 8; k++) {
    uint64_t w;
    memcpy(&w, b + 8 * k, 8);
    uint64_t t, z = 0;
    t = w ^ cd; z |= ~(((t & lo7) + lo7) | t | lo7);
    t = w ^ cq; z |= ~(((t & lo7) + lo7) | t | lo7);
    t = w ^ cr; z |= ~(((t & lo7) + lo7) | t | lo7);
    t = w ^ cn; z |= ~(((t & lo7) + lo7) | t | lo7);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t bits = ((z >> 7) * 0x0102040810204080ULL) >> 56;
#else
    uint64_t bits = 0;
    for (int j = 0; j < 8; j++) bits |= ((z >> (8 * (7 - j) + 7)) & 1) << j;
#endif
    m |= bits << (8 * k);
  }
  return m;
#endif
}

/*
 * (Not static: a C test harness can call it without Node.js.)
 * Writes the offsets of the delimiter, quote, CR and LF bytes of b[from, end) to out, in order,
 * until `cap` are written; returns how many were. (When it returns cap, the caller scans again from
 * the last offset + 1.)
 */
size_t payout_csv_scan(const uint8_t* b, size_t from, size_t end, uint8_t d, int32_t* out, size_t cap);
size_t payout_csv_scan(const uint8_t* b, size_t from, size_t end, uint8_t d, int32_t* out, size_t cap) {
  size_t n = 0;
  size_t i = from;
  for (; i + 64 <= end; i += 64) {
    uint64_t m = block_mask(b + i, d);
    while (m != 0) {
      if (n == cap) return n;
      out[n++] = (int32_t)(i + lowest_bit(m));
      m &= m - 1;
    }
  }
  for (; i < end; i++) {
    uint8_t c = b[i];
    if (c == d || c == QUOTE || c == CR || c == LF) {
      if (n == cap) return n;
      out[n++] = (int32_t)i;
    }
  }
  return n;
}

/*
 * scan(bytes: Uint8Array, from: number, end: number, delimiter: number, out: Int32Array): number
 * Writes the offsets of the bytes of bytes[from, end) that are `delimiter` (a byte value), a quote,
 * CR or LF to out[0, …), in order, until out is full; returns how many it wrote. end must not pass
 * the end of bytes nor 2^31 − 1 (the offsets are Int32).
 */
static napi_value scan(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value a[5];
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok) return NULL;
  if (argc < 5) { napi_throw_type_error(env, NULL, "scan(bytes, from, end, delimiter, out): too few arguments"); return NULL; }
  uint8_t* bytes; size_t nbytes;
  int32_t* out; size_t cap;
  uint32_t from, end, d;
  if (!typed(env, a[0], napi_uint8_array, (void**)&bytes, &nbytes)) { napi_throw_type_error(env, NULL, "scan: bytes must be a Uint8Array"); return NULL; }
  if (!index_arg(env, a[1], &from)) { napi_throw_type_error(env, NULL, "scan: from must be an integer"); return NULL; }
  if (!index_arg(env, a[2], &end)) { napi_throw_type_error(env, NULL, "scan: end must be an integer"); return NULL; }
  if (!index_arg(env, a[3], &d)) { napi_throw_type_error(env, NULL, "scan: delimiter must be an integer"); return NULL; }
  if (!typed(env, a[4], napi_int32_array, (void**)&out, &cap)) { napi_throw_type_error(env, NULL, "scan: out must be an Int32Array"); return NULL; }
  if (d > 0xff) { napi_throw_range_error(env, NULL, "scan: delimiter must be a byte (0 to 255)"); return NULL; }
  if (from > end || end > nbytes) { napi_throw_range_error(env, NULL, "scan: from and end must be in order and within bytes"); return NULL; }
  if (end > 0x7fffffffu) { napi_throw_range_error(env, NULL, "scan: end must be below 2^31"); return NULL; }
  size_t n = payout_csv_scan(bytes, from, end, (uint8_t)d, out, cap);
  napi_value result;
  if (napi_create_uint32(env, (uint32_t)n, &result) != napi_ok) return NULL;
  return result;
}

/* Adds `scan` to the addon's exports (called from the module's init in sha256_batch.c). */
int payout_register_csv_scan(napi_env env, napi_value exports);
int payout_register_csv_scan(napi_env env, napi_value exports) { return export_function(env, exports, "scan", scan); }
