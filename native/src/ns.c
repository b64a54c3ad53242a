/* Namespace syscalls: unshare, setns (by fd or path), sethostname, setdomainname, personality. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/personality.h>
#include <unistd.h>

#include "addon.h"

static napi_value js_unshare(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int64_t flags;
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_i64(env, argv[0], &flags)) return NULL;
  if (unshare((int)flags) < 0) return berth_throw_errno(env, "unshare", errno, NULL, NULL);
  return berth_undefined(env);
}

/* setns(fdOrPath, nstype): a path is opened O_RDONLY|O_CLOEXEC and closed again. */
static napi_value js_setns(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t nstype;
  if (!berth_args(env, info, 2, argv, NULL) || !berth_get_i32(env, argv[1], &nstype)) return NULL;
  napi_valuetype t;
  napi_typeof(env, argv[0], &t);
  if (t == napi_string) {
    char path[BERTH_PATH_MAX];
    if (!berth_get_str(env, argv[0], path, sizeof path, NULL)) return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return berth_throw_errno(env, "open", errno, path, NULL);
    int r = setns(fd, nstype);
    int err = errno;
    close(fd);
    if (r < 0) return berth_throw_errno(env, "setns", err, path, NULL);
    return berth_undefined(env);
  }
  int32_t fd;
  if (!berth_get_i32(env, argv[0], &fd)) return NULL;
  if (setns(fd, nstype) < 0) return berth_throw_errno(env, "setns", errno, NULL, NULL);
  return berth_undefined(env);
}

static napi_value set_name(napi_env env, napi_callback_info info, bool domain) {
  napi_value argv[1];
  char name[256];
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_str(env, argv[0], name, sizeof name, NULL)) return NULL;
  int r = domain ? setdomainname(name, strlen(name)) : sethostname(name, strlen(name));
  if (r < 0) return berth_throw_errno(env, domain ? "setdomainname" : "sethostname", errno, name, NULL);
  return berth_undefined(env);
}

static napi_value js_sethostname(napi_env env, napi_callback_info info) { return set_name(env, info, false); }
static napi_value js_setdomainname(napi_env env, napi_callback_info info) { return set_name(env, info, true); }

/* personality(persona) -> previous persona; 0xffffffff queries. */
static napi_value js_personality(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int64_t persona;
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_i64(env, argv[0], &persona)) return NULL;
  int r = personality((unsigned long)persona);
  if (r < 0) return berth_throw_errno(env, "personality", errno, NULL, NULL);
  return berth_int(env, r);
}

void berth_register_ns(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "unshare", js_unshare);
  berth_set_fn(env, exports, "setns", js_setns);
  berth_set_fn(env, exports, "sethostname", js_sethostname);
  berth_set_fn(env, exports, "setdomainname", js_setdomainname);
  berth_set_fn(env, exports, "personality", js_personality);
}
