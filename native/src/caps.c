/* Credentials and process attributes: prctl, capget/capset, setresuid/setresgid/setgroups,
 * setrlimit/getrlimit. In a Node process these change the calling thread only where the kernel
 * works per thread (capset, prctl); the init engine applies them inside the container child. */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "addon.h"

static napi_value js_prctl(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int64_t a[5] = {0, 0, 0, 0, 0};
  size_t argc;
  if (!berth_args(env, info, 5, argv, &argc)) return NULL;
  for (size_t i = 0; i < argc && i < 5; i++)
    if (!berth_is_nullish(env, argv[i]) && !berth_get_i64(env, argv[i], &a[i])) return NULL;
  int r = prctl((int)a[0], (unsigned long)a[1], (unsigned long)a[2], (unsigned long)a[3], (unsigned long)a[4]);
  if (r < 0) return berth_throw_errno(env, "prctl", errno, NULL, NULL);
  return berth_int(env, r);
}

/* capget(pid) -> { effective, permitted, inheritable } as bigint masks (pid 0 = calling thread). */
static napi_value js_capget(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t pid = 0;
  if (!berth_args(env, info, 1, argv, NULL)) return NULL;
  if (!berth_is_nullish(env, argv[0]) && !berth_get_i32(env, argv[0], &pid)) return NULL;
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = pid};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &hdr, data) < 0) return berth_throw_errno(env, "capget", errno, NULL, NULL);
  napi_value obj;
  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "effective",
                          berth_bigint(env, data[0].effective | ((uint64_t)data[1].effective << 32)));
  napi_set_named_property(env, obj, "permitted",
                          berth_bigint(env, data[0].permitted | ((uint64_t)data[1].permitted << 32)));
  napi_set_named_property(env, obj, "inheritable",
                          berth_bigint(env, data[0].inheritable | ((uint64_t)data[1].inheritable << 32)));
  return obj;
}

/* capset(effective, permitted, inheritable) on the calling thread. */
static napi_value js_capset(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  uint64_t e, p, i;
  if (!berth_args(env, info, 3, argv, NULL) || !berth_get_u64(env, argv[0], &e) ||
      !berth_get_u64(env, argv[1], &p) || !berth_get_u64(env, argv[2], &i))
    return NULL;
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2] = {
      {.effective = (uint32_t)e, .permitted = (uint32_t)p, .inheritable = (uint32_t)i},
      {.effective = (uint32_t)(e >> 32), .permitted = (uint32_t)(p >> 32), .inheritable = (uint32_t)(i >> 32)},
  };
  if (syscall(SYS_capset, &hdr, data) < 0) return berth_throw_errno(env, "capset", errno, NULL, NULL);
  return berth_undefined(env);
}

static napi_value js_setresuid(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int64_t r, e, s;
  if (!berth_args(env, info, 3, argv, NULL) || !berth_get_i64(env, argv[0], &r) ||
      !berth_get_i64(env, argv[1], &e) || !berth_get_i64(env, argv[2], &s))
    return NULL;
  if (setresuid((uid_t)r, (uid_t)e, (uid_t)s) < 0) return berth_throw_errno(env, "setresuid", errno, NULL, NULL);
  return berth_undefined(env);
}

static napi_value js_setresgid(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int64_t r, e, s;
  if (!berth_args(env, info, 3, argv, NULL) || !berth_get_i64(env, argv[0], &r) ||
      !berth_get_i64(env, argv[1], &e) || !berth_get_i64(env, argv[2], &s))
    return NULL;
  if (setresgid((gid_t)r, (gid_t)e, (gid_t)s) < 0) return berth_throw_errno(env, "setresgid", errno, NULL, NULL);
  return berth_undefined(env);
}

static napi_value js_setgroups(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!berth_args(env, info, 1, argv, NULL)) return NULL;
  uint32_t n;
  if (napi_get_array_length(env, argv[0], &n) != napi_ok) return berth_throw_type(env, "expected an array");
  gid_t *groups = calloc(n ? n : 1, sizeof(gid_t));
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    int64_t g;
    napi_get_element(env, argv[0], i, &v);
    if (!berth_get_i64(env, v, &g)) {
      free(groups);
      return NULL;
    }
    groups[i] = (gid_t)g;
  }
  int r = setgroups(n, groups);
  int err = errno;
  free(groups);
  if (r < 0) return berth_throw_errno(env, "setgroups", err, NULL, NULL);
  return berth_undefined(env);
}

/* setrlimit(resource, soft, hard); limits are bigint or number, -1n / RLIM_INFINITY for unlimited. */
static napi_value js_setrlimit(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t res;
  uint64_t soft, hard;
  if (!berth_args(env, info, 3, argv, NULL) || !berth_get_i32(env, argv[0], &res) ||
      !berth_get_u64(env, argv[1], &soft) || !berth_get_u64(env, argv[2], &hard))
    return NULL;
  struct rlimit rl = {.rlim_cur = soft, .rlim_max = hard};
  if (prlimit(0, (__rlimit_resource_t)res, &rl, NULL) < 0)
    return berth_throw_errno(env, "setrlimit", errno, NULL, NULL);
  return berth_undefined(env);
}

static napi_value js_getrlimit(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t res;
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_i32(env, argv[0], &res)) return NULL;
  struct rlimit rl;
  if (prlimit(0, (__rlimit_resource_t)res, NULL, &rl) < 0)
    return berth_throw_errno(env, "getrlimit", errno, NULL, NULL);
  napi_value obj;
  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "soft", berth_bigint(env, rl.rlim_cur));
  napi_set_named_property(env, obj, "hard", berth_bigint(env, rl.rlim_max));
  return obj;
}

void berth_register_caps(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "prctl", js_prctl);
  berth_set_fn(env, exports, "capget", js_capget);
  berth_set_fn(env, exports, "capset", js_capset);
  berth_set_fn(env, exports, "setresuid", js_setresuid);
  berth_set_fn(env, exports, "setresgid", js_setresgid);
  berth_set_fn(env, exports, "setgroups", js_setgroups);
  berth_set_fn(env, exports, "setrlimit", js_setrlimit);
  berth_set_fn(env, exports, "getrlimit", js_getrlimit);
}
