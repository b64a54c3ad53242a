/* The processes the shim is the parent of: the container's init (slot 0) and exec'd processes.
 * Each is made by the engine (berth_engine_spawn) from a decoded plan whose stdio the shim fills
 * with its own pipes, or, in terminal mode, whose console socket is a socketpair of the shim's:
 * the child opens the pty inside the container (its own devpts) and sends the master back. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim.h"

static void closep(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

int recv_fd(int sock) {
  char tag[64];
  char cbuf[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {.iov_base = tag, .iov_len = sizeof tag};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
  ssize_t n;
  do n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n <= 0) return errno = n == 0 ? EPIPE : errno, -1;
  struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
  if (!cm || cm->cmsg_type != SCM_RIGHTS) return errno = EPROTO, -1;
  int fd;
  memcpy(&fd, CMSG_DATA(cm), sizeof fd);
  return fd;
}

static void fill_error(spawn_error *e, int err, uint32_t step, const char *what) {
  e->err = err;
  e->step = step;
  snprintf(e->what, sizeof e->what, "%s", what ? what : "");
}

/* Reads the engine's next message; 1 READY, 0 EOF, -1 ERROR (e filled). */
static int read_msg(int sync_fd, spawn_error *e) {
  berth_msg msg;
  ssize_t n;
  do n = recv(sync_fd, &msg, sizeof msg, 0);
  while (n < 0 && errno == EINTR);
  if (n == 0) return 0;
  if (n < 0) return fill_error(e, errno, BERTH_STEP_SYNC, "sync socket"), -1;
  if ((size_t)n < sizeof msg - sizeof msg.path) return fill_error(e, EPROTO, BERTH_STEP_SYNC, "short message"), -1;
  if (msg.kind == BERTH_MSG_READY) return 1;
  msg.path[sizeof msg.path - 1] = 0;
  fill_error(e, msg.err, msg.step, msg.path);
  return -1;
}

static void reap_now(pid_t pid) {
  int st;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
}

/* Keeps the shim's ends of a process's stdio (non-blocking): the pty master for a terminal, else
 * the read ends of stdout/stderr and the write end of stdin, which the arrays then no longer own. */
void proc_take_stdio(proc_t *p, int master, int in[2], int out[2], int err[2]) {
  if (master >= 0) {
    set_nonblock(master);
    p->in_fd = p->out_fd = master;
    return;
  }
  p->out_fd = out[0];
  p->err_fd = err[0];
  out[0] = err[0] = -1;
  set_nonblock(p->out_fd);
  set_nonblock(p->err_fd);
  if (in[1] >= 0) {
    p->in_fd = in[1];
    in[1] = -1;
    set_nonblock(p->in_fd);
  }
}

int proc_spawn(int slot, berth_plan *plan, bool start_now, spawn_error *e) {
  proc_t *p = &g_procs[slot];
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, cs[2] = {-1, -1};
  int devnull = -1;
  p->in_fd = p->out_fd = p->err_fd = p->sync_fd = -1;

  if (p->terminal) {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cs) < 0) goto sys_fail;
    plan->console_socket = cs[1];
    plan->stdio[0] = plan->stdio[1] = plan->stdio[2] = -1;
  } else {
    plan->console_socket = -1;
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) goto sys_fail;
    if (p->want_stdin) {
      if (pipe2(in, O_CLOEXEC) < 0) goto sys_fail;
    } else {
      devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (devnull < 0) goto sys_fail;
    }
    plan->stdio[0] = in[0] >= 0 ? in[0] : devnull;
    plan->stdio[1] = out[1];
    plan->stdio[2] = err[1];
  }
  berth_spawn_result res;
  berth_parent_error perr;
  memset(&perr, 0, sizeof perr);
  if (berth_engine_spawn(plan, &res, &perr) < 0) {
    char what[1100];
    if (perr.hook)
      snprintf(what, sizeof what, "%s", perr.path);
    else
      snprintf(what, sizeof what, "%s%s%s", perr.syscall ? perr.syscall : "spawn", perr.path[0] ? " " : "", perr.path);
    fill_error(e, perr.err, 0, what);
    e->hook = perr.hook != 0;
    goto fail;
  }
  close(res.pidfd);
  p->pid = res.pid;
  p->sync_fd = res.sync_fd;
  if (plan->hold && berth_engine_release(res.sync_fd) < 0) {
    /* the child died: its message or EOF follows */
  }
  int r = read_msg(res.sync_fd, e);
  if (r != 1) {
    if (r == 0) fill_error(e, 0, BERTH_STEP_SYNC, "the child ended without a report");
    close(res.sync_fd);
    p->sync_fd = -1;
    kill(res.pid, SIGKILL);
    reap_now(res.pid);
    goto fail;
  }
  if (p->terminal) {
    close(cs[1]);
    cs[1] = -1;
    int master = recv_fd(cs[0]);
    if (master < 0) {
      fill_error(e, errno, BERTH_STEP_CONSOLE, "console socket");
      close(res.sync_fd);
      p->sync_fd = -1;
      kill(res.pid, SIGKILL);
      reap_now(res.pid);
      goto fail;
    }
    proc_take_stdio(p, master, in, out, err);
  } else {
    proc_take_stdio(p, -1, in, out, err);
  }
  closep(&in[0]);
  closep(&out[1]);
  closep(&err[1]);
  closep(&cs[0]);
  closep(&cs[1]);
  closep(&devnull);
  p->used = true;
  p->status = ST_CREATED;
  if (start_now && proc_start(p, e) < 0) return -1;
  return 0;

sys_fail:
  fill_error(e, errno, 0, "stdio setup");
fail:
  closep(&in[0]);
  closep(&in[1]);
  closep(&out[0]);
  closep(&out[1]);
  closep(&err[0]);
  closep(&err[1]);
  closep(&cs[0]);
  closep(&cs[1]);
  closep(&devnull);
  p->in_fd = p->out_fd = p->err_fd = -1;
  return -1;
}

/* Lets a created process exec. The sync socket is CLOEXEC in the child: EOF means exec happened. */
int proc_start(proc_t *p, spawn_error *e) {
  if (g_args.runtime) return rt_start(p, e);
  if (p->status != ST_CREATED || p->sync_fd < 0)
    return fill_error(e, EINVAL, 0, p->exited ? "the process has exited" : "the process is not created"), -1;
  if (berth_engine_start(p->sync_fd) < 0) {
    fill_error(e, errno, BERTH_STEP_SYNC, "the process died before start");
    close(p->sync_fd);
    p->sync_fd = -1;
    return -1;
  }
  int r = read_msg(p->sync_fd, e);
  close(p->sync_fd);
  p->sync_fd = -1;
  if (r == 0) {
    p->status = ST_RUNNING;
    return 0;
  }
  if (r == 1) fill_error(e, EPROTO, BERTH_STEP_SYNC, "unexpected message");
  return -1;
}

int proc_find(const char *id) {
  for (int i = 0; i < SHIM_MAX_PROCS; i++)
    if (g_procs[i].used && !strcmp(g_procs[i].id, id)) return i;
  return -1;
}

int proc_free_slot(void) {
  for (int i = 1; i < SHIM_MAX_PROCS; i++)
    if (!g_procs[i].used) return i;
  /* reuse the first exec that has finished and nobody waits for */
  for (int i = 1; i < SHIM_MAX_PROCS; i++) {
    if (!g_procs[i].finished) continue;
    bool waited = false;
    for (int w = 0; w < SHIM_MAX_WAITS; w++)
      if (g_waiters[w].client >= 0 && g_waiters[w].proc == i) waited = true;
    if (!waited) {
      buf_free(&g_procs[i].pending_in);
      memset(&g_procs[i], 0, sizeof g_procs[i]);
      return i;
    }
  }
  return -1;
}

void proc_reap_all(void) {
  int st;
  pid_t pid;
  while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
    for (int i = 0; i < SHIM_MAX_PROCS; i++) {
      proc_t *p = &g_procs[i];
      if (!p->used || p->exited || p->pid != pid) continue;
      p->exited = true;
      p->status = ST_STOPPED;
      if (WIFSIGNALED(st)) {
        p->exit_signal = WTERMSIG(st);
        p->exit_code = 128 + p->exit_signal;
      } else {
        p->exit_signal = 0;
        p->exit_code = WEXITSTATUS(st);
      }
      now_rfc3339(p->exited_at, sizeof p->exited_at, &p->exited_ms);
      if (p->sync_fd >= 0) close(p->sync_fd);
      p->sync_fd = -1;
      debugf("process %d (%s) exited: code %d signal %d", (int)pid, p->id[0] ? p->id : "init", p->exit_code,
             p->exit_signal);
      /* the exit file first: it is what survives the shim */
      if (i == 0) exit_file_write(p);
    }
  }
}

void proc_close_outputs(proc_t *p) {
  if (p->terminal) {
    closep(&p->out_fd);
    p->in_fd = -1;
  } else {
    closep(&p->out_fd);
    closep(&p->err_fd);
  }
}

/* A process is finished once it exited and its output is drained (or after 2 s: a daemon it
 * left behind may hold the pipes). Then waiters hear its exit and attached clients get EOF. */
void proc_check_finished(long long now_ms) {
  for (int i = 0; i < SHIM_MAX_PROCS; i++) {
    proc_t *p = &g_procs[i];
    if (!p->used || !p->exited || p->finished) continue;
    if ((p->out_fd >= 0 || p->err_fd >= 0) && (now_ms - p->exited_ms < 2000 || server_output_blocked(i))) continue;
    proc_close_outputs(p);
    if (!p->terminal) closep(&p->in_fd);
    buf_free(&p->pending_in);
    if (p->logged) log_flush(&g_args.log);
    p->finished = true;
    server_proc_finished(i);
  }
}

void proc_read_output(proc_t *p, int fd) {
  static uint8_t rbuf[32768];
  int pi = (int)(p - g_procs);
  int stream = fd == p->err_fd ? 2 : 1;
  for (int round = 0; round < 8; round++) {
    ssize_t n = read(fd, rbuf, sizeof rbuf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {
      /* EOF, or EIO on a pty master once every slave is closed */
      if (p->terminal) {
        closep(&p->out_fd);
        p->in_fd = -1;
      } else if (stream == 2) {
        closep(&p->err_fd);
      } else {
        closep(&p->out_fd);
      }
      return;
    }
    if (p->logged) log_write(&g_args.log, stream, rbuf, (size_t)n);
    server_proc_output(pi, stream, rbuf, (size_t)n);
  }
}

void proc_flush_stdin(proc_t *p) {
  while (p->in_fd >= 0 && p->pending_in.len) {
    ssize_t w = write(p->in_fd, p->pending_in.data, p->pending_in.len);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) return;
    if (w < 0) {
      /* EPIPE: the process closed its stdin; drop what is left */
      buf_consume(&p->pending_in, p->pending_in.len);
      break;
    }
    buf_consume(&p->pending_in, (size_t)w);
  }
  if (p->close_in_after_flush && p->pending_in.len == 0 && p->in_fd >= 0) {
    if (p->terminal) {
      /* a pty has no half-close: send EOF (^D) as a terminal would */
      (void)!write(p->in_fd, "\x04", 1);
    } else {
      closep(&p->in_fd);
    }
    p->close_in_after_flush = false;
  }
}

static void kill_cgroup(int signal) {
  if (g_init_plan.ncgroup_procs == 0) return;
  int fd = open(g_init_plan.cgroup_procs[0], O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char buf[8192];
  size_t len = 0;
  ssize_t n;
  while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0) len += (size_t)n;
  close(fd);
  buf[len] = 0;
  for (char *s = buf; *s;) {
    char *end;
    long pid = strtol(s, &end, 10);
    if (end == s) break;
    if (pid > 0) kill((pid_t)pid, signal);
    s = end;
    while (*s == '\n') s++;
  }
}

void proc_kill_all(int signal) {
  if (g_args.runtime) {
    if (rt_kill(signal, true) == 0) return;
  }
  kill_cgroup(signal);
  if (g_procs[0].used && !g_procs[0].exited) kill(g_procs[0].pid, signal);
}
