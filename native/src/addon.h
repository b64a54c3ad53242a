/* Shared declarations of the berth N-API addon: argument helpers, error throwing, and one
 * registration function per concern (one .c file each). */
#ifndef BERTH_ADDON_H
#define BERTH_ADDON_H

#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BERTH_PATH_MAX 4096

/* Per-addon-instance state (worker threads each get their own). */
typedef struct {
  napi_ref syscall_error_ctor; /* the TS SyscallError class, registered at load time */
} berth_instance;

/* errors.c */
napi_value berth_throw_errno(napi_env env, const char *syscall, int err, const char *path, const char *dest);
napi_value berth_throw_type(napi_env env, const char *message);
napi_value berth_register_errors(napi_env env, napi_value exports);

/* args.c: each returns false after throwing a TypeError. */
bool berth_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, size_t *got);
bool berth_get_i64(napi_env env, napi_value v, int64_t *out);
bool berth_get_i32(napi_env env, napi_value v, int32_t *out);
bool berth_get_u64(napi_env env, napi_value v, uint64_t *out); /* number or bigint */
bool berth_is_nullish(napi_env env, napi_value v);
/* Copies a JS string into buf (len bytes). Nullish gives *is_null = true when is_null is non-NULL. */
bool berth_get_str(napi_env env, napi_value v, char *buf, size_t len, bool *is_null);
/* malloc'd copy (caller frees); NULL result with *ok true means JS null/undefined. */
char *berth_get_str_alloc(napi_env env, napi_value v, bool *ok);
bool berth_get_buffer(napi_env env, napi_value v, void **data, size_t *len);
napi_value berth_undefined(napi_env env);
napi_value berth_int(napi_env env, int64_t v);
napi_value berth_bigint(napi_env env, uint64_t v);
void berth_set_fn(napi_env env, napi_value obj, const char *name, napi_callback cb);
void berth_set_int(napi_env env, napi_value obj, const char *name, int64_t v);

/* One registration function per concern. */
void berth_register_constants(napi_env env, napi_value exports);
void berth_register_mount(napi_env env, napi_value exports);
void berth_register_ns(napi_env env, napi_value exports);
void berth_register_caps(napi_env env, napi_value exports);
void berth_register_xattr(napi_env env, napi_value exports);
void berth_register_bpf(napi_env env, napi_value exports);
void berth_register_pidfd(napi_env env, napi_value exports);
void berth_register_pty(napi_env env, napi_value exports);
void berth_register_spawn(napi_env env, napi_value exports);
void berth_register_seccomp(napi_env env, napi_value exports);
void berth_register_engine(napi_env env, napi_value exports);

#endif
