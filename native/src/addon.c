/* Entry point of the addon: registers each concern's functions on the exports object. */
#include "addon.h"

#include <stdlib.h>

static void finalize_instance(napi_env env, void *data, void *hint) {
  berth_instance *inst = data;
  if (inst->syscall_error_ctor) napi_delete_reference(env, inst->syscall_error_ctor);
  free(inst);
}

static napi_value init(napi_env env, napi_value exports) {
  berth_instance *inst = calloc(1, sizeof(*inst));
  if (!inst) return NULL;
  napi_set_instance_data(env, inst, finalize_instance, NULL);
  berth_register_errors(env, exports);
  berth_register_constants(env, exports);
  berth_register_mount(env, exports);
  berth_register_ns(env, exports);
  berth_register_caps(env, exports);
  berth_register_xattr(env, exports);
  berth_register_bpf(env, exports);
  berth_register_pidfd(env, exports);
  berth_register_pty(env, exports);
  berth_register_spawn(env, exports);
  berth_register_seccomp(env, exports);
  berth_register_engine(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
