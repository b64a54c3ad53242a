/* N-API face of the init engine (engine/): spawn from an encoded plan, read the child's
 * messages, release it to exec. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addon.h"
#include "engine.h"

static napi_value js_engine_spawn(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  void *buf;
  size_t len;
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_buffer(env, argv[0], &buf, &len)) return NULL;
  berth_plan plan;
  const char *why = NULL;
  if (berth_plan_decode(buf, len, &plan, &why) < 0) {
    napi_throw_error(env, "EINVALIDPLAN", why);
    return NULL;
  }
  berth_spawn_result res;
  berth_parent_error perr;
  memset(&perr, 0, sizeof perr);
  int rc = berth_engine_spawn(&plan, &res, &perr);
  berth_plan_free(&plan);
  if (rc < 0) return berth_throw_errno(env, perr.syscall, perr.err, perr.path[0] ? perr.path : NULL, NULL);
  napi_value obj;
  napi_create_object(env, &obj);
  berth_set_int(env, obj, "pid", res.pid);
  berth_set_int(env, obj, "pidfd", res.pidfd);
  berth_set_int(env, obj, "syncFd", res.sync_fd);
  return obj;
}

/* engineReadMessage(syncFd) -> Buffer (a berth_msg) | null (EOF: the child exec'd or exited).
 * Non-blocking: call it after waitReadable(syncFd); throws EAGAIN when nothing is there yet. */
static napi_value js_engine_read_message(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_i32(env, argv[0], &fd)) return NULL;
  berth_msg msg;
  char cbuf[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {.iov_base = &msg, .iov_len = sizeof msg};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
  ssize_t n;
  do n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  /* a LISTENER message carries an fd: it travels to JavaScript in the `reserved` field */
  struct cmsghdr *cm = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
  if (cm && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len == CMSG_LEN(sizeof(int))) {
    int passed;
    memcpy(&passed, CMSG_DATA(cm), sizeof(int));
    msg.reserved = (uint32_t)passed;
  }
  if (n < 0) {
    if (errno == ECONNRESET) n = 0; /* the child died: same as EOF */
    else return berth_throw_errno(env, "recv", errno, NULL, NULL);
  }
  if (n == 0) {
    napi_value nul;
    napi_get_null(env, &nul);
    return nul;
  }
  napi_value out;
  napi_create_buffer_copy(env, (size_t)n, &msg, NULL, &out);
  return out;
}

static napi_value js_engine_start(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_i32(env, argv[0], &fd)) return NULL;
  if (berth_engine_start(fd) < 0) return berth_throw_errno(env, "send", errno, NULL, NULL);
  return berth_undefined(env);
}

static napi_value js_engine_release(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_i32(env, argv[0], &fd)) return NULL;
  if (berth_engine_release(fd) < 0) return berth_throw_errno(env, "send", errno, NULL, NULL);
  return berth_undefined(env);
}

void berth_register_engine(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "engineRelease", js_engine_release);
  berth_set_fn(env, exports, "engineSpawn", js_engine_spawn);
  berth_set_fn(env, exports, "engineReadMessage", js_engine_read_message);
  berth_set_fn(env, exports, "engineStart", js_engine_start);
}
