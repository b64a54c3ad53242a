/* Errors thrown by the addon: instances of the TypeScript SyscallError class (registered once with
 * setErrorClass), carrying Node's fs-error shape: code (errno name), errno, syscall, path, dest. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addon.h"

static napi_value str(napi_env env, const char *s) {
  napi_value v;
  if (!s) {
    napi_get_undefined(env, &v);
    return v;
  }
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

napi_value berth_throw_errno(napi_env env, const char *syscall, int err, const char *path, const char *dest) {
  berth_instance *inst = NULL;
  napi_get_instance_data(env, (void **)&inst);
  const char *name = strerrorname_np(err);
  char code[32];
  if (name) snprintf(code, sizeof code, "%s", name);
  else snprintf(code, sizeof code, "E%d", err);
  char message[2 * BERTH_PATH_MAX + 256];
  if (path && dest)
    snprintf(message, sizeof message, "%s(%s -> %s): %s (%s)", syscall, path, dest, code, strerror(err));
  else if (path)
    snprintf(message, sizeof message, "%s(%s): %s (%s)", syscall, path, code, strerror(err));
  else
    snprintf(message, sizeof message, "%s: %s (%s)", syscall, code, strerror(err));

  napi_value error = NULL;
  napi_value ctor;
  if (inst && inst->syscall_error_ctor && napi_get_reference_value(env, inst->syscall_error_ctor, &ctor) == napi_ok &&
      ctor) {
    napi_value args[6] = {str(env, message), str(env, code), berth_int(env, err), str(env, syscall), str(env, path),
                          str(env, dest)};
    if (napi_new_instance(env, ctor, 6, args, &error) != napi_ok) error = NULL;
  }
  if (!error) {
    napi_create_error(env, str(env, code), str(env, message), &error);
    napi_set_named_property(env, error, "errno", berth_int(env, err));
    napi_set_named_property(env, error, "syscall", str(env, syscall));
    if (path) napi_set_named_property(env, error, "path", str(env, path));
    if (dest) napi_set_named_property(env, error, "dest", str(env, dest));
  }
  napi_throw(env, error);
  return NULL;
}

napi_value berth_throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
  return NULL;
}

static napi_value set_error_class(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!berth_args(env, info, 1, argv, NULL)) return NULL;
  berth_instance *inst = NULL;
  napi_get_instance_data(env, (void **)&inst);
  if (inst->syscall_error_ctor) napi_delete_reference(env, inst->syscall_error_ctor);
  napi_create_reference(env, argv[0], 1, &inst->syscall_error_ctor);
  return berth_undefined(env);
}

static napi_value errno_name(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t err;
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_i32(env, argv[0], &err)) return NULL;
  const char *name = strerrorname_np(err);
  char buf[32];
  if (!name) {
    snprintf(buf, sizeof buf, "E%d", err);
    name = buf;
  }
  return str(env, name);
}

static napi_value errno_message(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t err;
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_i32(env, argv[0], &err)) return NULL;
  return str(env, strerror(err));
}

napi_value berth_register_errors(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "setErrorClass", set_error_class);
  berth_set_fn(env, exports, "errnoName", errno_name);
  berth_set_fn(env, exports, "errnoMessage", errno_message);
  return exports;
}
