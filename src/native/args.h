/*
 * What the addon's files share (sha256_batch.c, csv_scan.c, ledger_rows.c): the argument checks (a
 * typed array of one type, an integer index; each returns 0 for a bad argument, the caller throws)
 * and adding a function to the exports.
 */
#ifndef PAYOUT_NATIVE_ARGS_H
#define PAYOUT_NATIVE_ARGS_H
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>

/* The bytes of a typed array of type `want`; 0 when `v` is not one. */
static inline int typed(napi_env env, napi_value v, napi_typedarray_type want, void** data, size_t* length) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  napi_typedarray_type t;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &t, length, data, &ab, &offset) != napi_ok || t != want) return 0;
  if (*length > 0 && *data == NULL) return 0;
  return 1;
}

/* An integer argument in [0, 2^32); 0 when `v` is not one. */
static inline int index_arg(napi_env env, napi_value v, uint32_t* out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number) return 0;
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) return 0;
  if (!(d >= 0 && d <= 4294967295.0) || d != (double)(uint32_t)d) return 0;
  *out = (uint32_t)d;
  return 1;
}

/* Adds the function `fn` to `exports` as `name`; 0 when N-API refuses. */
static inline int export_function(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value f;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &f) != napi_ok) return 0;
  return napi_set_named_property(env, exports, name, f) == napi_ok;
}

#endif
