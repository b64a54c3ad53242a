/* Terminals and fd passing: openpty, unix socketpair/connect, and SCM_RIGHTS send/receive (the OCI
 * console socket: the container's init sends its pty master to whoever holds the other end). */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "addon.h"

#define MAX_FDS 64

static napi_value js_openpty(napi_env env, napi_callback_info info) {
  int master, slave;
  char name[256];
  if (openpty(&master, &slave, name, NULL, NULL) < 0) return berth_throw_errno(env, "openpty", errno, NULL, NULL);
  fcntl(master, F_SETFD, FD_CLOEXEC);
  fcntl(slave, F_SETFD, FD_CLOEXEC);
  napi_value obj, s;
  napi_create_object(env, &obj);
  berth_set_int(env, obj, "master", master);
  berth_set_int(env, obj, "slave", slave);
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, obj, "path", s);
  return obj;
}

/* socketpair() -> [fd, fd]: AF_UNIX SOCK_STREAM, both CLOEXEC. */
static napi_value js_socketpair(napi_env env, napi_callback_info info) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return berth_throw_errno(env, "socketpair", errno, NULL, NULL);
  napi_value arr;
  napi_create_array_with_length(env, 2, &arr);
  napi_set_element(env, arr, 0, berth_int(env, sv[0]));
  napi_set_element(env, arr, 1, berth_int(env, sv[1]));
  return arr;
}

/* unixConnect(path) -> fd: a blocking connect to a unix stream socket (the OCI --console-socket). */
static napi_value js_unix_connect(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (!berth_args(env, info, 1, argv, NULL) || !berth_get_str(env, argv[0], addr.sun_path, sizeof addr.sun_path, NULL))
    return NULL;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return berth_throw_errno(env, "socket", errno, NULL, NULL);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    int err = errno;
    close(fd);
    return berth_throw_errno(env, "connect", err, addr.sun_path, NULL);
  }
  return berth_int(env, fd);
}

/* sendFds(sockFd, fds, data): one sendmsg with SCM_RIGHTS; data must be non-empty. */
static napi_value js_send_fds(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t sock;
  void *data;
  size_t len;
  uint32_t n;
  if (!berth_args(env, info, 3, argv, NULL) || !berth_get_i32(env, argv[0], &sock) ||
      !berth_get_buffer(env, argv[2], &data, &len))
    return NULL;
  if (napi_get_array_length(env, argv[1], &n) != napi_ok || n > MAX_FDS)
    return berth_throw_type(env, "fds must be an array of at most 64 fds");
  if (len == 0) return berth_throw_type(env, "data must not be empty");
  int fds[MAX_FDS];
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    napi_get_element(env, argv[1], i, &v);
    if (!berth_get_i32(env, v, &fds[i])) return NULL;
  }
  char cbuf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
  memset(cbuf, 0, sizeof cbuf);
  struct iovec iov = {.iov_base = data, .iov_len = len};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
  if (n) {
    mh.msg_control = cbuf;
    mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
  }
  ssize_t r;
  do r = sendmsg(sock, &mh, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  if (r < 0) return berth_throw_errno(env, "sendmsg", errno, NULL, NULL);
  return berth_undefined(env);
}

/* recvFds(sockFd, maxFds, maxData) -> { data, fds }: one recvmsg (MSG_CMSG_CLOEXEC); blocking unless
 * the socket is non-blocking, so call it after waitReadable. Empty data and no fds = EOF. */
static napi_value js_recv_fds(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t sock, max_fds, max_data;
  if (!berth_args(env, info, 3, argv, NULL) || !berth_get_i32(env, argv[0], &sock) ||
      !berth_get_i32(env, argv[1], &max_fds) || !berth_get_i32(env, argv[2], &max_data))
    return NULL;
  if (max_fds < 0 || max_fds > MAX_FDS || max_data <= 0) return berth_throw_type(env, "bad limits");
  char *data = malloc((size_t)max_data);
  if (!data) return berth_throw_errno(env, "recvmsg", ENOMEM, NULL, NULL);
  char cbuf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
  struct iovec iov = {.iov_base = data, .iov_len = (size_t)max_data};
  struct msghdr mh = {.msg_iov = &iov,
                      .msg_iovlen = 1,
                      .msg_control = max_fds ? cbuf : NULL,
                      .msg_controllen = max_fds ? CMSG_SPACE(sizeof(int) * (size_t)max_fds) : 0};
  ssize_t r;
  do r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  if (r < 0) {
    int err = errno;
    free(data);
    return berth_throw_errno(env, "recvmsg", err, NULL, NULL);
  }
  napi_value obj, buf, arr;
  napi_create_object(env, &obj);
  napi_create_buffer_copy(env, (size_t)r, data, NULL, &buf);
  free(data);
  napi_create_array(env, &arr);
  uint32_t k = 0;
  for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
    if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) continue;
    size_t nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < nfd; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
      napi_set_element(env, arr, k++, berth_int(env, fd));
    }
  }
  napi_set_named_property(env, obj, "data", buf);
  napi_set_named_property(env, obj, "fds", arr);
  if (mh.msg_flags & MSG_CTRUNC) {
    /* fds beyond maxFds were closed by the kernel; say so instead of losing them silently */
    napi_value t;
    napi_get_boolean(env, true, &t);
    napi_set_named_property(env, obj, "truncated", t);
  }
  return obj;
}

void berth_register_pty(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "openpty", js_openpty);
  berth_set_fn(env, exports, "socketpair", js_socketpair);
  berth_set_fn(env, exports, "unixConnect", js_unix_connect);
  berth_set_fn(env, exports, "sendFds", js_send_fds);
  berth_set_fn(env, exports, "recvFds", js_recv_fds);
}
