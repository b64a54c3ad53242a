/* Seccomp: compile a profile to a classic BPF program with libseccomp, in the caller, before
 * clone. The program travels in the init plan; the child only does prctl/seccomp() with it.
 *
 * Why libseccomp (Debian libseccomp-dev) and not hand-built BPF: it resolves syscall names per
 * architecture (x86_64 + x86 + x32 in one filter, with the arch checks and the x32 bit), handles
 * multiplexed syscalls (socketcall/ipc on 32-bit), 64-bit argument comparisons split into two
 * 32-bit loads, and orders and de-duplicates rules; re-deriving that by hand is where seccomp
 * bypasses come from. It is used only to export the program, never to load it, so the future
 * shim needs no libseccomp at all. */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "addon.h"

static bool get_prop(napi_env env, napi_value obj, const char *name, napi_value *out) {
  bool has = false;
  napi_has_named_property(env, obj, name, &has);
  if (!has) return false;
  napi_get_named_property(env, obj, name, out);
  return !berth_is_nullish(env, *out);
}

static napi_value compile_fail(napi_env env, scmp_filter_ctx ctx, const char *what, int err, const char *name) {
  if (ctx) seccomp_release(ctx);
  return berth_throw_errno(env, what, err, name, NULL);
}

/* seccompCompile({ defaultAction, architectures: string[], rules: [{ syscall, action,
 *   args: [{ index, op, value, valueTwo }] }] }) -> Buffer of struct sock_filter.
 * Actions and ops are libseccomp's numbers (SCMP_ACT_*, SCMP_CMP_*); unknown syscall names are
 * skipped (a profile may name syscalls this kernel or arch lacks), as other runtimes do. */
static napi_value js_seccomp_compile(napi_env env, napi_callback_info info) {
  napi_value argv[1], v;
  if (!berth_args(env, info, 1, argv, NULL)) return NULL;
  int64_t def;
  if (!get_prop(env, argv[0], "defaultAction", &v) || !berth_get_i64(env, v, &def))
    return berth_throw_type(env, "defaultAction is required");
  scmp_filter_ctx ctx = seccomp_init((uint32_t)def);
  if (!ctx) return berth_throw_errno(env, "seccomp_init", EINVAL, NULL, NULL);
  /* The program is loaded by the engine, which decides no_new_privs itself. */
  seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);

  if (get_prop(env, argv[0], "architectures", &v)) {
    uint32_t n;
    napi_get_array_length(env, v, &n);
    for (uint32_t i = 0; i < n; i++) {
      napi_value e;
      char name[64];
      napi_get_element(env, v, i, &e);
      if (!berth_get_str(env, e, name, sizeof name, NULL)) return seccomp_release(ctx), NULL;
      uint32_t arch = seccomp_arch_resolve_name(name);
      if (!arch) return compile_fail(env, ctx, "seccomp_arch_resolve_name", EINVAL, name);
      int r = seccomp_arch_add(ctx, arch);
      if (r < 0 && r != -EEXIST) return compile_fail(env, ctx, "seccomp_arch_add", -r, name);
    }
  }

  napi_value rules;
  if (get_prop(env, argv[0], "rules", &rules)) {
    uint32_t n;
    napi_get_array_length(env, rules, &n);
    for (uint32_t i = 0; i < n; i++) {
      napi_value rule, x;
      char name[128];
      int64_t action;
      napi_get_element(env, rules, i, &rule);
      if (!get_prop(env, rule, "syscall", &x) || !berth_get_str(env, x, name, sizeof name, NULL))
        return seccomp_release(ctx), berth_throw_type(env, "rule.syscall must be a string");
      if (!get_prop(env, rule, "action", &x) || !berth_get_i64(env, x, &action))
        return seccomp_release(ctx), berth_throw_type(env, "rule.action must be a number");
      int nr = seccomp_syscall_resolve_name(name);
      if (nr == __NR_SCMP_ERROR) continue;
      if ((uint32_t)action == (uint32_t)def) continue; /* libseccomp refuses rules equal to the default */
      struct scmp_arg_cmp cmps[6];
      uint32_t ncmp = 0;
      napi_value args;
      if (get_prop(env, rule, "args", &args)) {
        napi_get_array_length(env, args, &ncmp);
        if (ncmp > 6) return seccomp_release(ctx), berth_throw_type(env, "at most 6 argument conditions");
        for (uint32_t k = 0; k < ncmp; k++) {
          napi_value a, f;
          int64_t index = 0, op = 0;
          uint64_t value = 0, two = 0;
          napi_get_element(env, args, k, &a);
          if ((get_prop(env, a, "index", &f) && !berth_get_i64(env, f, &index)) ||
              (get_prop(env, a, "op", &f) && !berth_get_i64(env, f, &op)) ||
              (get_prop(env, a, "value", &f) && !berth_get_u64(env, f, &value)) ||
              (get_prop(env, a, "valueTwo", &f) && !berth_get_u64(env, f, &two)))
            return seccomp_release(ctx), NULL;
          cmps[k] = (struct scmp_arg_cmp){.arg = (unsigned)index, .op = (enum scmp_compare)op, .datum_a = value,
                                          .datum_b = two};
        }
      }
      int r = seccomp_rule_add_array(ctx, (uint32_t)action, nr, ncmp, cmps);
      if (r < 0) return compile_fail(env, ctx, "seccomp_rule_add", -r, name);
    }
  }

  /* libseccomp 2.5 exports to an fd only: use a memfd and read the program back. */
  int fd = memfd_create("berth-seccomp", MFD_CLOEXEC);
  if (fd < 0) return compile_fail(env, ctx, "memfd_create", errno, NULL);
  int r = seccomp_export_bpf(ctx, fd);
  seccomp_release(ctx);
  if (r < 0) {
    close(fd);
    return berth_throw_errno(env, "seccomp_export_bpf", -r, NULL, NULL);
  }
  struct stat st;
  if (fstat(fd, &st) < 0) {
    int err = errno;
    close(fd);
    return berth_throw_errno(env, "fstat", err, NULL, NULL);
  }
  void *data;
  napi_value buf;
  napi_create_buffer(env, (size_t)st.st_size, &data, &buf);
  ssize_t got = pread(fd, data, (size_t)st.st_size, 0);
  int err = errno;
  close(fd);
  if (got != st.st_size) return berth_throw_errno(env, "pread", got < 0 ? err : EIO, NULL, NULL);
  return buf;
}

/* seccompLoad(program, flags): installs a filter on the CALLING THREAD (tests, tools; the engine
 * loads the plan's program in the child itself). */
static napi_value js_seccomp_load(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  void *data;
  size_t len;
  int32_t flags = 0;
  if (!berth_args(env, info, 2, argv, NULL) || !berth_get_buffer(env, argv[0], &data, &len)) return NULL;
  if (!berth_is_nullish(env, argv[1]) && !berth_get_i32(env, argv[1], &flags)) return NULL;
  struct sock_fprog prog = {.len = (unsigned short)(len / sizeof(struct sock_filter)), .filter = data};
  if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)flags, &prog) < 0)
    return berth_throw_errno(env, "seccomp", errno, NULL, NULL);
  return berth_undefined(env);
}

static napi_value js_seccomp_resolve_syscall(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[128];
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_str(env, argv[0], name, sizeof name, NULL)) return NULL;
  return berth_int(env, seccomp_syscall_resolve_name(name));
}

void berth_register_seccomp(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "seccompCompile", js_seccomp_compile);
  berth_set_fn(env, exports, "seccompLoad", js_seccomp_load);
  berth_set_fn(env, exports, "seccompResolveSyscall", js_seccomp_resolve_syscall);
}
