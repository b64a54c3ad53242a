/* Mount syscalls: mount, umount2, pivot_root, chroot, mknod and the new mount API (open_tree,
 * move_mount, mount_setattr) used for idmapped mounts. */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "addon.h"

static napi_value js_mount(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  char source[BERTH_PATH_MAX], target[BERTH_PATH_MAX], fstype[256];
  bool src_null, fs_null, ok;
  int64_t flags;
  if (!berth_args(env, info, 5, argv, NULL) || !berth_get_str(env, argv[0], source, sizeof source, &src_null) ||
      !berth_get_str(env, argv[1], target, sizeof target, NULL) ||
      !berth_get_str(env, argv[2], fstype, sizeof fstype, &fs_null) || !berth_get_i64(env, argv[3], &flags))
    return NULL;
  char *data = berth_get_str_alloc(env, argv[4], &ok);
  if (!ok) return NULL;
  int r = mount(src_null ? NULL : source, target, fs_null ? NULL : fstype, (unsigned long)flags, data);
  int err = errno;
  free(data);
  if (r < 0) return berth_throw_errno(env, "mount", err, src_null ? target : source, src_null ? NULL : target);
  return berth_undefined(env);
}

static napi_value js_umount2(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char target[BERTH_PATH_MAX];
  int32_t flags;
  if (!berth_args(env, info, 2, argv, NULL) || !berth_get_str(env, argv[0], target, sizeof target, NULL) ||
      !berth_get_i32(env, argv[1], &flags))
    return NULL;
  if (umount2(target, flags) < 0) return berth_throw_errno(env, "umount2", errno, target, NULL);
  return berth_undefined(env);
}

static napi_value js_pivot_root(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char new_root[BERTH_PATH_MAX], put_old[BERTH_PATH_MAX];
  if (!berth_args(env, info, 2, argv, NULL) || !berth_get_str(env, argv[0], new_root, sizeof new_root, NULL) ||
      !berth_get_str(env, argv[1], put_old, sizeof put_old, NULL))
    return NULL;
  if (syscall(SYS_pivot_root, new_root, put_old) < 0)
    return berth_throw_errno(env, "pivot_root", errno, new_root, put_old);
  return berth_undefined(env);
}

static napi_value js_chroot(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char path[BERTH_PATH_MAX];
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_str(env, argv[0], path, sizeof path, NULL)) return NULL;
  if (chroot(path) < 0) return berth_throw_errno(env, "chroot", errno, path, NULL);
  return berth_undefined(env);
}

static napi_value js_mknod(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  char path[BERTH_PATH_MAX];
  int64_t mode, major_, minor_;
  if (!berth_args(env, info, 4, argv, NULL) || !berth_get_str(env, argv[0], path, sizeof path, NULL) ||
      !berth_get_i64(env, argv[1], &mode) || !berth_get_i64(env, argv[2], &major_) ||
      !berth_get_i64(env, argv[3], &minor_))
    return NULL;
  if (mknod(path, (mode_t)mode, makedev((unsigned)major_, (unsigned)minor_)) < 0)
    return berth_throw_errno(env, "mknod", errno, path, NULL);
  return berth_undefined(env);
}

/* openTree(dirfd, path, flags) -> fd; dirfd -100 is AT_FDCWD. */
static napi_value js_open_tree(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  char path[BERTH_PATH_MAX];
  int32_t dirfd, flags;
  if (!berth_args(env, info, 3, argv, NULL) || !berth_get_i32(env, argv[0], &dirfd) ||
      !berth_get_str(env, argv[1], path, sizeof path, NULL) || !berth_get_i32(env, argv[2], &flags))
    return NULL;
  long fd = syscall(SYS_open_tree, dirfd, path, (unsigned)flags);
  if (fd < 0) return berth_throw_errno(env, "open_tree", errno, path, NULL);
  return berth_int(env, fd);
}

/* moveMount(fromDirfd, fromPath, toDirfd, toPath, flags) */
static napi_value js_move_mount(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  char from[BERTH_PATH_MAX], to[BERTH_PATH_MAX];
  int32_t from_fd, to_fd, flags;
  if (!berth_args(env, info, 5, argv, NULL) || !berth_get_i32(env, argv[0], &from_fd) ||
      !berth_get_str(env, argv[1], from, sizeof from, NULL) || !berth_get_i32(env, argv[2], &to_fd) ||
      !berth_get_str(env, argv[3], to, sizeof to, NULL) || !berth_get_i32(env, argv[4], &flags))
    return NULL;
  if (syscall(SYS_move_mount, from_fd, from, to_fd, to, (unsigned)flags) < 0)
    return berth_throw_errno(env, "move_mount", errno, from[0] ? from : NULL, to);
  return berth_undefined(env);
}

/* mountSetattr(dirfd, path, flags, attrSet, attrClr, propagation, userNsFd) */
static napi_value js_mount_setattr(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  char path[BERTH_PATH_MAX];
  int32_t dirfd, flags, userns_fd;
  int64_t attr_set, attr_clr, propagation;
  if (!berth_args(env, info, 7, argv, NULL) || !berth_get_i32(env, argv[0], &dirfd) ||
      !berth_get_str(env, argv[1], path, sizeof path, NULL) || !berth_get_i32(env, argv[2], &flags) ||
      !berth_get_i64(env, argv[3], &attr_set) || !berth_get_i64(env, argv[4], &attr_clr) ||
      !berth_get_i64(env, argv[5], &propagation) || !berth_get_i32(env, argv[6], &userns_fd))
    return NULL;
  struct mount_attr attr = {
      .attr_set = (uint64_t)attr_set,
      .attr_clr = (uint64_t)attr_clr,
      .propagation = (uint64_t)propagation,
      .userns_fd = userns_fd < 0 ? 0 : (uint64_t)userns_fd,
  };
  if (syscall(SYS_mount_setattr, dirfd, path, (unsigned)flags, &attr, sizeof attr) < 0)
    return berth_throw_errno(env, "mount_setattr", errno, path, NULL);
  return berth_undefined(env);
}

void berth_register_mount(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "mount", js_mount);
  berth_set_fn(env, exports, "umount2", js_umount2);
  berth_set_fn(env, exports, "pivotRoot", js_pivot_root);
  berth_set_fn(env, exports, "chroot", js_chroot);
  berth_set_fn(env, exports, "mknod", js_mknod);
  berth_set_fn(env, exports, "openTree", js_open_tree);
  berth_set_fn(env, exports, "moveMount", js_move_mount);
  berth_set_fn(env, exports, "mountSetattr", js_mount_setattr);
}
