/* Argument conversion helpers shared by every binding file. */
#include <stdlib.h>
#include <string.h>

#include "addon.h"

bool berth_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, size_t *got) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  for (size_t i = argc; i < want; i++) napi_get_undefined(env, &argv[i]);
  if (got) *got = argc;
  return true;
}

bool berth_is_nullish(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  return t == napi_null || t == napi_undefined;
}

bool berth_get_i64(napi_env env, napi_value v, int64_t *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_bigint) {
    bool lossless;
    napi_get_value_bigint_int64(env, v, out, &lossless);
    return true;
  }
  if (t != napi_number) {
    berth_throw_type(env, "expected a number");
    return false;
  }
  napi_get_value_int64(env, v, out);
  return true;
}

bool berth_get_i32(napi_env env, napi_value v, int32_t *out) {
  int64_t x;
  if (!berth_get_i64(env, v, &x)) return false;
  *out = (int32_t)x;
  return true;
}

bool berth_get_u64(napi_env env, napi_value v, uint64_t *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_bigint) {
    bool lossless;
    napi_get_value_bigint_uint64(env, v, out, &lossless);
    return true;
  }
  if (t != napi_number) {
    berth_throw_type(env, "expected a number or bigint");
    return false;
  }
  double d;
  napi_get_value_double(env, v, &d);
  *out = d < 0 ? (uint64_t)(int64_t)d : (uint64_t)d;
  return true;
}

bool berth_get_str(napi_env env, napi_value v, char *buf, size_t len, bool *is_null) {
  if (is_null) *is_null = false;
  if (berth_is_nullish(env, v)) {
    if (is_null) {
      *is_null = true;
      buf[0] = 0;
      return true;
    }
    berth_throw_type(env, "expected a string");
    return false;
  }
  size_t n;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) {
    berth_throw_type(env, "expected a string");
    return false;
  }
  if (n + 1 > len) {
    napi_throw_range_error(env, "ENAMETOOLONG", "string argument too long");
    return false;
  }
  napi_get_value_string_utf8(env, v, buf, len, &n);
  return true;
}

char *berth_get_str_alloc(napi_env env, napi_value v, bool *ok) {
  *ok = true;
  if (berth_is_nullish(env, v)) return NULL;
  size_t n;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) {
    *ok = false;
    berth_throw_type(env, "expected a string");
    return NULL;
  }
  char *s = malloc(n + 1);
  if (!s) {
    *ok = false;
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, v, s, n + 1, &n);
  return s;
}

bool berth_get_buffer(napi_env env, napi_value v, void **data, size_t *len) {
  bool is;
  napi_is_buffer(env, v, &is);
  if (is) return napi_get_buffer_info(env, v, data, len) == napi_ok;
  napi_is_typedarray(env, v, &is);
  if (is) {
    napi_typedarray_type type;
    size_t length, offset;
    napi_value ab;
    napi_get_typedarray_info(env, v, &type, &length, data, &ab, &offset);
    *len = length; /* only Uint8Array is expected here */
    return true;
  }
  berth_throw_type(env, "expected a Buffer");
  return false;
}

napi_value berth_undefined(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

napi_value berth_int(napi_env env, int64_t v) {
  napi_value r;
  napi_create_int64(env, v, &r);
  return r;
}

napi_value berth_bigint(napi_env env, uint64_t v) {
  napi_value r;
  napi_create_bigint_uint64(env, v, &r);
  return r;
}

void berth_set_fn(napi_env env, napi_value obj, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, obj, name, fn);
}

void berth_set_int(napi_env env, napi_value obj, const char *name, int64_t v) {
  napi_set_named_property(env, obj, name, berth_int(env, v));
}
