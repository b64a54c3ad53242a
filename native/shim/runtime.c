/* OCI runtime CLI mode (containerd-shim-runc-v2's job): instead of cloning the init through the
 * engine, the shim runs `<runtime> create` on a bundle with its own pipes as stdio (runc passes them
 * to the container) or a console socket of its own, then `start`, `kill`, `exec --detach` and
 * `delete`. Every runtime command runs to completion before the loop goes on, so waitpid(-1) in
 * proc_reap_all never takes one of them; the container's processes, orphaned when the runtime
 * exits, come back to the shim as the child subreaper. Errors are read from the runtime's
 * --log file (JSON lines). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim.h"

#define RT_LOG "runtime.log"
#define CONSOLE_SOCK "console.sock"

static void closep(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

/* The last "msg" the runtime logged, for an error message. */
static void last_log_message(char *out, size_t cap) {
  out[0] = 0;
  uint8_t *data;
  size_t len;
  if (read_file(RT_LOG, &data, &len) < 0) return;
  data[len] = 0;
  char *last = NULL;
  for (char *p = (char *)data; (p = strstr(p, "\"msg\":\"")); p++) last = p + 7;
  if (last) {
    size_t o = 0;
    for (char *p = last; *p && *p != '\n' && o + 1 < cap; p++) {
      if (*p == '"' && p[-1] != '\\') break;
      out[o++] = *p;
    }
    out[o] = 0;
  }
  free(data);
  unlink(RT_LOG);
}

/* Runs the runtime with argv (after its global options) and stdio; returns its exit status. */
static int run_runtime(const char *const *args, const int stdio[3], spawn_error *e, const char *what) {
  const char *argv[32];
  int n = 0;
  argv[n++] = g_args.runtime;
  if (g_args.runtime_root) argv[n++] = "--root", argv[n++] = g_args.runtime_root;
  argv[n++] = "--log", argv[n++] = RT_LOG, argv[n++] = "--log-format", argv[n++] = "json";
  for (int i = 0; args[i] && n < 31; i++) argv[n++] = args[i];
  argv[n] = NULL;
  pid_t pid = fork();
  if (pid < 0) {
    e->err = errno;
    snprintf(e->what, sizeof e->what, "fork for %s", what);
    return -1;
  }
  if (pid == 0) {
    for (int i = 0; i < 3; i++)
      if (stdio[i] >= 0 && dup2(stdio[i], i) < 0) _exit(126);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) break;
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
    unlink(RT_LOG);
    return 0;
  }
  char msg[900];
  last_log_message(msg, sizeof msg);
  e->err = WIFEXITED(st) && WEXITSTATUS(st) == 127 ? ENOENT : EIO;
  snprintf(e->what, sizeof e->what, "%s %s: %s", g_args.runtime, what,
           msg[0] ? msg : (WIFEXITED(st) && WEXITSTATUS(st) == 127 ? "cannot run it" : "failed"));
  return -1;
}

static int read_pid(const char *path) {
  uint8_t *data;
  size_t len;
  if (read_file(path, &data, &len) < 0) return -1;
  data[len] = 0;
  int pid = atoi((char *)data);
  free(data);
  return pid > 0 ? pid : -1;
}

static int console_listen(void) {
  unlink(CONSOLE_SOCK);
  return server_listen(CONSOLE_SOCK);
}

/* The pty master the runtime sent to the console socket while it ran (queued in the backlog). */
static int console_take(int lfd) {
  int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
  if (c < 0) return errno = errno == EAGAIN ? EPROTO : errno, -1;
  int fl = fcntl(c, F_GETFL);
  fcntl(c, F_SETFL, fl & ~O_NONBLOCK);
  int fd = recv_fd(c);
  close(c);
  return fd;
}

/* Creates a process (init or exec) with the runtime; p->terminal/p->want_stdin say its stdio. */
static int rt_spawn(proc_t *p, const char *const *args_before, const char *pid_file, const char *const *args_after,
                    spawn_error *e, const char *what) {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  int lfd = -1;
  int stdio[3] = {devnull, devnull, devnull};
  char console[4200];
  const char *argv[24];
  int n = 0;
  for (int i = 0; args_before[i]; i++) argv[n++] = args_before[i];
  argv[n++] = "--pid-file", argv[n++] = pid_file;
  if (p->terminal) {
    lfd = console_listen();
    if (lfd < 0) {
      e->err = errno;
      snprintf(e->what, sizeof e->what, "console socket");
      goto fail;
    }
    snprintf(console, sizeof console, "%s/%s", g_args.dir, CONSOLE_SOCK);
    argv[n++] = "--console-socket", argv[n++] = console;
  } else {
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || (p->want_stdin && pipe2(in, O_CLOEXEC) < 0)) {
      e->err = errno;
      snprintf(e->what, sizeof e->what, "stdio setup");
      goto fail;
    }
    stdio[0] = in[0] >= 0 ? in[0] : devnull;
    stdio[1] = out[1];
    stdio[2] = err[1];
  }
  for (int i = 0; args_after[i]; i++) argv[n++] = args_after[i];
  argv[n] = NULL;
  unlink(pid_file);
  if (run_runtime(argv, stdio, e, what) < 0) goto fail;
  p->pid = read_pid(pid_file);
  unlink(pid_file);
  if (p->pid <= 0) {
    e->err = EPROTO;
    snprintf(e->what, sizeof e->what, "%s %s wrote no pid file", g_args.runtime, what);
    goto fail;
  }
  if (p->terminal) {
    int master = console_take(lfd);
    if (master < 0) {
      e->err = errno;
      snprintf(e->what, sizeof e->what, "%s %s sent no pty master to the console socket", g_args.runtime, what);
      kill(p->pid, SIGKILL);
      goto fail;
    }
    proc_take_stdio(p, master, in, out, err);
  } else {
    proc_take_stdio(p, -1, in, out, err);
  }
  if (lfd >= 0) {
    close(lfd);
    unlink(CONSOLE_SOCK);
  }
  closep(&in[0]);
  closep(&out[1]);
  closep(&err[1]);
  closep(&devnull);
  p->used = true;
  return 0;

fail:
  if (lfd >= 0) {
    close(lfd);
    unlink(CONSOLE_SOCK);
  }
  closep(&in[0]);
  closep(&in[1]);
  closep(&out[0]);
  closep(&out[1]);
  closep(&err[0]);
  closep(&err[1]);
  closep(&devnull);
  p->in_fd = p->out_fd = p->err_fd = -1;
  return -1;
}

int rt_create_init(spawn_error *e) {
  proc_t *p = &g_procs[0];
  p->in_fd = p->out_fd = p->err_fd = p->sync_fd = -1;
  const char *before[] = {"create", "--bundle", g_args.bundle, NULL};
  const char *after[] = {g_args.id, NULL};
  if (rt_spawn(p, before, "init.pid", after, e, "create") < 0) return -1;
  p->status = ST_CREATED;
  return 0;
}

int rt_start(proc_t *p, spawn_error *e) {
  if (p != &g_procs[0] || p->status != ST_CREATED || p->exited) {
    e->err = EINVAL;
    snprintf(e->what, sizeof e->what, "%s", p->exited ? "the process has exited" : "the process is not created");
    return -1;
  }
  const char *args[] = {"start", g_args.id, NULL};
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  int stdio[3] = {devnull, devnull, devnull};
  int r = run_runtime(args, stdio, e, "start");
  close(devnull);
  if (r < 0) return -1;
  p->status = ST_RUNNING;
  return 0;
}

int rt_exec(int slot, const uint8_t *process_json, size_t len, spawn_error *e) {
  proc_t *p = &g_procs[slot];
  char name[64], pidf[64];
  snprintf(name, sizeof name, "exec-%d.json", slot);
  snprintf(pidf, sizeof pidf, "exec-%d.pid", slot);
  if (write_atomic(".", name, (const char *)process_json, len) < 0) {
    e->err = errno;
    snprintf(e->what, sizeof e->what, "write %s", name);
    return -1;
  }
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", g_args.dir, name);
  const char *before[] = {"exec", "--detach", "--process", path, NULL};
  const char *after[] = {g_args.id, NULL};
  p->in_fd = p->out_fd = p->err_fd = p->sync_fd = -1;
  int r = rt_spawn(p, before, pidf, after, e, "exec");
  unlink(name);
  if (r < 0) return -1;
  p->status = ST_RUNNING;
  return 0;
}

int rt_kill(int signal, bool all) {
  char sig[16];
  snprintf(sig, sizeof sig, "%d", signal);
  const char *with_all[] = {"kill", "--all", g_args.id, sig, NULL};
  const char *init_only[] = {"kill", g_args.id, sig, NULL};
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  int stdio[3] = {devnull, devnull, devnull};
  spawn_error e;
  int r = run_runtime(all ? with_all : init_only, stdio, &e, "kill");
  close(devnull);
  if (r < 0) debugf("%s", e.what);
  return r;
}

void rt_delete(void) {
  const char *args[] = {"delete", "--force", g_args.id, NULL};
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  int stdio[3] = {devnull, devnull, devnull};
  spawn_error e;
  if (run_runtime(args, stdio, &e, "delete") < 0) debugf("%s", e.what);
  close(devnull);
}
