/* bpf(2): load a program (cgroup device filters) and attach/detach it to a cgroup fd. */
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "addon.h"

static napi_value js_bpf_prog_load(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t type;
  void *insns;
  size_t len;
  char license[64];
  if (!berth_args(env, info, 3, argv, NULL) || !berth_get_i32(env, argv[0], &type) ||
      !berth_get_buffer(env, argv[1], &insns, &len) || !berth_get_str(env, argv[2], license, sizeof license, NULL))
    return NULL;
  if (len % sizeof(struct bpf_insn) != 0) return berth_throw_type(env, "insns length must be a multiple of 8");
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.prog_type = (uint32_t)type;
  attr.insns = (uint64_t)(uintptr_t)insns;
  attr.insn_cnt = (uint32_t)(len / sizeof(struct bpf_insn));
  attr.license = (uint64_t)(uintptr_t)license;
  long fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
  if (fd < 0) return berth_throw_errno(env, "bpf(BPF_PROG_LOAD)", errno, NULL, NULL);
  return berth_int(env, fd);
}

static napi_value attach_detach(napi_env env, napi_callback_info info, int cmd) {
  napi_value argv[4];
  int32_t prog, target, type, flags = 0;
  if (!berth_args(env, info, 4, argv, NULL) || !berth_get_i32(env, argv[0], &prog) ||
      !berth_get_i32(env, argv[1], &target) || !berth_get_i32(env, argv[2], &type))
    return NULL;
  if (cmd == BPF_PROG_ATTACH && !berth_is_nullish(env, argv[3]) && !berth_get_i32(env, argv[3], &flags))
    return NULL;
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.target_fd = (uint32_t)target;
  attr.attach_bpf_fd = (uint32_t)prog;
  attr.attach_type = (uint32_t)type;
  attr.attach_flags = (uint32_t)flags;
  if (syscall(SYS_bpf, cmd, &attr, sizeof attr) < 0)
    return berth_throw_errno(env, cmd == BPF_PROG_ATTACH ? "bpf(BPF_PROG_ATTACH)" : "bpf(BPF_PROG_DETACH)", errno,
                             NULL, NULL);
  return berth_undefined(env);
}

static napi_value js_bpf_prog_attach(napi_env env, napi_callback_info info) {
  return attach_detach(env, info, BPF_PROG_ATTACH);
}
static napi_value js_bpf_prog_detach(napi_env env, napi_callback_info info) {
  return attach_detach(env, info, BPF_PROG_DETACH);
}

void berth_register_bpf(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "bpfProgLoad", js_bpf_prog_load);
  berth_set_fn(env, exports, "bpfProgAttach", js_bpf_prog_attach);
  berth_set_fn(env, exports, "bpfProgDetach", js_bpf_prog_detach);
}
