/* Extended attributes on paths without following symlinks (overlay whiteouts, trusted.overlay.*). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "addon.h"

static napi_value js_lsetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  char path[BERTH_PATH_MAX], name[256];
  void *data;
  size_t len;
  int32_t flags = 0;
  if (!berth_args(env, info, 4, argv, NULL) || !berth_get_str(env, argv[0], path, sizeof path, NULL) ||
      !berth_get_str(env, argv[1], name, sizeof name, NULL) || !berth_get_buffer(env, argv[2], &data, &len))
    return NULL;
  if (!berth_is_nullish(env, argv[3]) && !berth_get_i32(env, argv[3], &flags)) return NULL;
  if (lsetxattr(path, name, data, len, flags) < 0) return berth_throw_errno(env, "lsetxattr", errno, path, NULL);
  return berth_undefined(env);
}

static napi_value js_lgetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char path[BERTH_PATH_MAX], name[256];
  if (!berth_args(env, info, 2, argv, NULL) || !berth_get_str(env, argv[0], path, sizeof path, NULL) ||
      !berth_get_str(env, argv[1], name, sizeof name, NULL))
    return NULL;
  for (;;) {
    ssize_t n = lgetxattr(path, name, NULL, 0);
    if (n < 0) {
      if (errno == ENODATA) {
        napi_value nul;
        napi_get_null(env, &nul);
        return nul;
      }
      return berth_throw_errno(env, "lgetxattr", errno, path, NULL);
    }
    void *out;
    napi_value buf;
    char tmp[1];
    /* size can change between the two calls: retry on ERANGE */
    napi_create_buffer(env, (size_t)n, &out, &buf);
    ssize_t m = lgetxattr(path, name, n ? out : tmp, (size_t)n);
    if (m < 0 && errno == ERANGE) continue;
    if (m < 0) {
      if (errno == ENODATA) {
        napi_value nul;
        napi_get_null(env, &nul);
        return nul;
      }
      return berth_throw_errno(env, "lgetxattr", errno, path, NULL);
    }
    if (m == n) return buf;
    napi_value sliced;
    napi_create_buffer_copy(env, (size_t)m, out, NULL, &sliced);
    return sliced;
  }
}

static napi_value js_llistxattr(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char path[BERTH_PATH_MAX];
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_str(env, argv[0], path, sizeof path, NULL)) return NULL;
  for (;;) {
    ssize_t n = llistxattr(path, NULL, 0);
    if (n < 0) return berth_throw_errno(env, "llistxattr", errno, path, NULL);
    char *list = malloc((size_t)n + 1);
    if (!list) return berth_throw_errno(env, "llistxattr", ENOMEM, path, NULL);
    ssize_t m = llistxattr(path, list, (size_t)n);
    if (m < 0) {
      int err = errno;
      free(list);
      if (err == ERANGE) continue;
      return berth_throw_errno(env, "llistxattr", err, path, NULL);
    }
    napi_value arr;
    napi_create_array(env, &arr);
    uint32_t i = 0;
    for (ssize_t off = 0; off < m;) {
      size_t l = strnlen(list + off, (size_t)(m - off));
      napi_value s;
      napi_create_string_utf8(env, list + off, l, &s);
      napi_set_element(env, arr, i++, s);
      off += (ssize_t)l + 1;
    }
    free(list);
    return arr;
  }
}

static napi_value js_lremovexattr(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char path[BERTH_PATH_MAX], name[256];
  if (!berth_args(env, info, 2, argv, NULL) || !berth_get_str(env, argv[0], path, sizeof path, NULL) ||
      !berth_get_str(env, argv[1], name, sizeof name, NULL))
    return NULL;
  if (lremovexattr(path, name) < 0) return berth_throw_errno(env, "lremovexattr", errno, path, NULL);
  return berth_undefined(env);
}

void berth_register_xattr(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "lsetxattr", js_lsetxattr);
  berth_set_fn(env, exports, "lgetxattr", js_lgetxattr);
  berth_set_fn(env, exports, "llistxattr", js_llistxattr);
  berth_set_fn(env, exports, "lremovexattr", js_lremovexattr);
}
