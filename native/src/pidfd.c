/* Process handles and non-blocking waits: pidfd_open, pidfd_send_signal, eventfd, waitpid, and
 * waitReadable(fd): a one-shot libuv poll on Node's own event loop, so waiting for a child (a
 * pidfd becomes readable when the process exits) or for an eventfd never blocks a thread. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "addon.h"

static napi_value js_pidfd_open(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t pid, flags = 0;
  if (!berth_args(env, info, 2, argv, NULL) || !berth_get_i32(env, argv[0], &pid)) return NULL;
  if (!berth_is_nullish(env, argv[1]) && !berth_get_i32(env, argv[1], &flags)) return NULL;
  long fd = syscall(SYS_pidfd_open, pid, flags);
  if (fd < 0) return berth_throw_errno(env, "pidfd_open", errno, NULL, NULL);
  return berth_int(env, fd);
}

static napi_value js_pidfd_send_signal(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd, sig;
  if (!berth_args(env, info, 2, argv, NULL) || !berth_get_i32(env, argv[0], &fd) ||
      !berth_get_i32(env, argv[1], &sig))
    return NULL;
  if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0)
    return berth_throw_errno(env, "pidfd_send_signal", errno, NULL, NULL);
  return berth_undefined(env);
}

static napi_value js_eventfd(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t initval, flags;
  if (!berth_args(env, info, 2, argv, NULL) || !berth_get_i32(env, argv[0], &initval) ||
      !berth_get_i32(env, argv[1], &flags))
    return NULL;
  int fd = eventfd((unsigned)initval, flags);
  if (fd < 0) return berth_throw_errno(env, "eventfd", errno, NULL, NULL);
  return berth_int(env, fd);
}

/* waitpid(pid, flags) -> { pid, exitCode, signal } or null (WNOHANG and still running). */
static napi_value js_waitpid(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t pid, flags;
  if (!berth_args(env, info, 2, argv, NULL) || !berth_get_i32(env, argv[0], &pid) ||
      !berth_get_i32(env, argv[1], &flags))
    return NULL;
  int status;
  pid_t r;
  do r = waitpid(pid, &status, flags | __WALL);
  while (r < 0 && errno == EINTR);
  if (r < 0) return berth_throw_errno(env, "waitpid", errno, NULL, NULL);
  napi_value obj, nul;
  napi_get_null(env, &nul);
  if (r == 0) return nul;
  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "pid", berth_int(env, r));
  napi_set_named_property(env, obj, "exitCode", WIFEXITED(status) ? berth_int(env, WEXITSTATUS(status)) : nul);
  napi_set_named_property(env, obj, "signal", WIFSIGNALED(status) ? berth_int(env, WTERMSIG(status)) : nul);
  return obj;
}

typedef struct {
  uv_poll_t handle;
  napi_env env;
  napi_deferred deferred;
  int fd;
} poll_req;

static void on_close(uv_handle_t *h) { free(h->data); }

static void on_poll(uv_poll_t *h, int status, int events) {
  poll_req *req = h->data;
  napi_env env = req->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  uv_poll_stop(h);
  /* libuv reports EPOLLERR as UV_EBADF (e.g. a socket whose peer died with data unread): the fd is
   * "ready" in the poll(2) sense, and the caller's next read returns the real error. */
  if (status < 0 && status != UV_EBADF) {
    berth_throw_errno(env, "poll", -status, NULL, NULL);
    napi_value err;
    napi_get_and_clear_last_exception(env, &err);
    napi_reject_deferred(env, req->deferred, err);
  } else {
    napi_resolve_deferred(env, req->deferred, berth_undefined(env));
  }
  napi_close_handle_scope(env, scope);
  uv_close((uv_handle_t *)h, on_close);
}

static napi_value js_wait_readable(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_i32(env, argv[0], &fd)) return NULL;
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  poll_req *req = calloc(1, sizeof *req);
  if (!req) return berth_throw_errno(env, "waitReadable", ENOMEM, NULL, NULL);
  napi_value promise;
  napi_create_promise(env, &req->deferred, &promise);
  req->env = env;
  req->fd = fd;
  req->handle.data = req;
  int r = uv_poll_init(loop, &req->handle, fd);
  if (r < 0) {
    napi_deferred d = req->deferred;
    free(req);
    berth_throw_errno(env, "uv_poll_init", -r, NULL, NULL);
    napi_value err;
    napi_get_and_clear_last_exception(env, &err);
    napi_reject_deferred(env, d, err);
    return promise;
  }
  r = uv_poll_start(&req->handle, UV_READABLE, on_poll);
  if (r < 0) {
    napi_deferred d = req->deferred;
    uv_close((uv_handle_t *)&req->handle, on_close);
    berth_throw_errno(env, "uv_poll_start", -r, NULL, NULL);
    napi_value err;
    napi_get_and_clear_last_exception(env, &err);
    napi_reject_deferred(env, d, err);
  }
  return promise;
}

void berth_register_pidfd(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "pidfdOpen", js_pidfd_open);
  berth_set_fn(env, exports, "pidfdSendSignal", js_pidfd_send_signal);
  berth_set_fn(env, exports, "eventfd", js_eventfd);
  berth_set_fn(env, exports, "waitpid", js_waitpid);
  berth_set_fn(env, exports, "waitReadable", js_wait_readable);
}
