/*
 * payout_pay_rows (src/native/pay_rows.c) outside Node.js, built with AddressSanitizer and
 * UndefinedBehaviorSanitizer by test/payments/pay-rows-asan.test.ts: each call dumped by the test
 * (records, digests, constants, the outputs' lengths, ints and big as the builder gave them) is
 * made again with every array allocated to its exact length, then VARIANTS times more with the
 * outputs cut to a little room past their ends, the records truncated, bytes of them changed, or
 * the ready rows and sums changed: any byte read or written past an array, or undefined behaviour,
 * stops the run. The checks of the N-API entry (pay_rows) are made here as there; N-API itself is
 * stubbed (never called).
 */
#include "pay_rows.c"
#include <stdio.h>
#include <stdlib.h>

napi_status napi_create_function(napi_env e, const char* u, size_t l, napi_callback c, void* d, napi_value* r) { return napi_generic_failure; }
napi_status napi_create_int32(napi_env e, int32_t v, napi_value* r) { return napi_generic_failure; }
napi_status napi_get_cb_info(napi_env e, napi_callback_info i, size_t* a, napi_value* v, napi_value* t, void** d) { return napi_generic_failure; }
napi_status napi_get_typedarray_info(napi_env e, napi_value t, napi_typedarray_type* ty, size_t* l, void** d, napi_value* ab, size_t* o) { return napi_generic_failure; }
napi_status napi_is_typedarray(napi_env e, napi_value v, bool* r) { return napi_generic_failure; }
napi_status napi_set_named_property(napi_env e, napi_value o, const char* n, napi_value v) { return napi_generic_failure; }
napi_status napi_throw_range_error(napi_env e, const char* c, const char* m) { return napi_generic_failure; }
napi_status napi_throw_type_error(napi_env e, const char* c, const char* m) { return napi_generic_failure; }

#define VARIANTS 60

static uint8_t* dup_exact(const uint8_t* p, size_t n) { uint8_t* q = malloc(n ? n : 1); if (n) memcpy(q, p, n); return q; }
static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

/* The checks of pay_rows() (the N-API entry), then the run; -1 when refused. */
static int run(uint8_t* records, size_t nr, uint8_t* digests, size_t nd, uint8_t* consts, size_t nc, size_t* outn, int32_t* ints, int64_t* big) {
  pay_args a;
  a.records = records; a.n_records = nr; a.digests = digests; a.n_digests = nd;
  uint8_t* outs[5];
  for (int o = 0; o < 5; o++) { outs[o] = malloc(outn[o] ? outn[o] : 1); memset(outs[o], 0xa5, outn[o]); a.out[o] = outs[o]; a.n_out[o] = outn[o]; }
  int r = -1;
  if (ints[I_POS] < 0 || (size_t)ints[I_POS] > nr) goto done;
  for (int o = 0; o < 5; o++) if (ints[I_USED + o] < 0 || (size_t)ints[I_USED + o] > a.n_out[o]) goto done;
  for (int m = 0; m < 4; m++) if (ints[I_COUNTS + m] < 0) goto done;
  if (ints[I_READY] < 0 || ints[I_PAYPAL_ROWS] < 0 || ints[I_ACH_IN_FILE] < 0 || ints[I_ACH_COUNT] < 0 || ints[I_ACH_PER_FILE] < 0 || ints[I_CONSTANTS] < 0 || ints[I_PAYPAL_PER_FILE] < 1 || ints[I_CHECK_WIDTH] < -1 || ints[I_CHECK_WIDTH] > 15) goto done;
  if (ints[I_CHECK_WIDTH] >= 0 && (big[B_CHECK_BASE] < 0 || big[B_CHECK_BASE] > 999999999999999LL)) goto done;
  for (int k = 0; k < K_COUNT; k++) {
    const int32_t s = ints[I_SEGMENTS + 2 * k], l = ints[I_SEGMENTS + 2 * k + 1];
    if (s < 0 || l < 0 || (size_t)s > nc || (size_t)l > nc - (size_t)s) goto done;
    a.k[k].p = consts + s; a.k[k].n = (uint32_t)l;
  }
  size_t fixed = 0;
  for (int k = 0; k < K_COLUMNS; k++) fixed += a.k[k].n;
  if ((size_t)ints[I_CONSTANTS] < fixed + 64 || a.k[K_ODFI].n > 8 || a.k[K_HEAD].n > 64) goto done;
  for (uint32_t i = 0; i < a.k[K_COLUMNS].n; i++) if (a.k[K_COLUMNS].p[i] >= C_KINDS) goto done;
  r = payout_pay_rows(&a, ints, big);
  for (int o = 0; o < 5; o++) if ((size_t)ints[I_USED + o] > outn[o]) { fprintf(stderr, "used past output %d\n", o); abort(); }
done:
  for (int o = 0; o < 5; o++) free(outs[o]);
  return r;
}

int main(int argc, char** argv) {
  long calls = 0, room = 0, done = 0, rec = 0;
  for (int f = 1; f < argc; f++) {
    FILE* fp = fopen(argv[f], "rb");
    if (fp == NULL) return 2;
    fseek(fp, 0, SEEK_END); long n = ftell(fp); fseek(fp, 0, SEEK_SET);
    uint8_t* buf = malloc(n); if (fread(buf, 1, n, fp) != (size_t)n) return 2; fclose(fp);
    size_t at = 0; uint8_t* part[3]; size_t len[3];
    for (int k = 0; k < 3; k++) { len[k] = le32(buf + at); at += 4; part[k] = buf + at; at += len[k]; }
    size_t outn[5]; for (int o = 0; o < 5; o++) { outn[o] = le32(buf + at); at += 4; }
    int32_t ints0[INTS]; int64_t big0[BIGS];
    memcpy(ints0, buf + at, sizeof ints0); at += sizeof ints0; memcpy(big0, buf + at, sizeof big0);
    for (int variant = 0; variant < VARIANTS; variant++) {
      int32_t ints[INTS]; int64_t big[BIGS]; memcpy(ints, ints0, sizeof ints); memcpy(big, big0, sizeof big);
      size_t nr = len[0];
      uint8_t* records = dup_exact(part[0], nr);
      size_t on[5]; memcpy(on, outn, sizeof on);
      if (variant > 0) {
        /* outputs cut to a little room past their ends */
        for (int o = 0; o < 5; o++) if (rnd() % 2) { size_t cut = (size_t)ints[I_USED + o] + rnd() % 400; if (cut < on[o]) on[o] = cut; }
        if (variant % 4 == 1 && nr > (size_t)ints[I_POS]) nr = (size_t)ints[I_POS] + rnd() % (nr - (size_t)ints[I_POS]);   /* truncated */
        if (variant % 4 == 2) for (int j = 0; j < 4 && nr > (size_t)ints[I_POS]; j++) records[ints[I_POS] + rnd() % (nr - ints[I_POS])] = (uint8_t)rnd(); /* bytes changed */
        if (variant % 4 == 3) { ints[I_READY] = (int32_t)(rnd() % 1000000); for (int s = 0; s < 5; s++) big[s] = (int64_t)(rnd() >> 1); }
      }
      uint8_t* rec_exact = dup_exact(records, nr);
      uint8_t* dig = dup_exact(part[1], len[1]);
      uint8_t* con = dup_exact(part[2], len[2]);
      int32_t before = ints[I_COUNTS] + ints[I_COUNTS + 1] + ints[I_COUNTS + 2] + ints[I_COUNTS + 3];
      int r = run(rec_exact, nr, dig, len[1], con, len[2], on, ints, big);
      if (r >= 0) { calls++; if (r == PAY_ROOM) room++; if (r == PAY_DONE) done++; rec += ints[I_COUNTS] + ints[I_COUNTS + 1] + ints[I_COUNTS + 2] + ints[I_COUNTS + 3] - before; }
      free(records); free(rec_exact); free(dig); free(con);
    }
    free(buf);
  }
  printf("calls %ld room %ld done %ld records %ld\n", calls, room, done, rec);
  return 0;
}
