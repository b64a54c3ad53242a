/* berth-shim's entry: checks its arguments and the plan, detaches (fork + setsid, so it outlives
 * whoever launched it), becomes the child subreaper, makes the container's init through the engine
 * ("created": it waits for START), tells the launcher on its stdout (one JSON line, then EOF) and
 * serves the socket until SHUTDOWN (or SIGTERM). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

proc_t g_procs[SHIM_MAX_PROCS];
client_t g_clients[SHIM_MAX_CLIENTS];
waiter_t g_waiters[SHIM_MAX_WAITS];
shim_args g_args;
berth_plan g_init_plan;
bool g_shutdown;

static int g_report = -1;

static void report_line(const char *line) {
  if (g_report < 0) return;
  size_t len = strlen(line), off = 0;
  while (off < len) {
    ssize_t w = write(g_report, line + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += (size_t)w;
  }
  close(g_report);
  g_report = -1;
}

static void report_error_kind(int err, uint32_t step, const char *kind, const char *what) {
  char msg[2400];
  size_t o = 0;
  for (const char *s = what; *s && o < sizeof msg - 8; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') msg[o++] = '\\', msg[o++] = (char)ch;
    else if (ch < 0x20) o += (size_t)snprintf(msg + o, sizeof msg - o, "\\u%04x", ch);
    else msg[o++] = (char)ch;
  }
  msg[o] = 0;
  char line[2600];
  snprintf(line, sizeof line, "{\"ok\":false,\"errno\":%d,\"step\":%u,%s%s%s\"message\":\"%s\"}\n", err, step,
           kind ? "\"kind\":\"" : "", kind ? kind : "", kind ? "\"," : "", msg);
  report_line(line);
}

static void report_error(int err, uint32_t step, const char *what) { report_error_kind(err, step, NULL, what); }

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void cleanup_files(void) {
  unlink("shim.sock");
  unlink("shim.pid");
}

enum { P_SIG, P_LISTEN, P_CLIENT, P_PROC };

static int serve(int sigfd, int lfd) {
  static struct pollfd pfd[2 + SHIM_MAX_CLIENTS + SHIM_MAX_PROCS * 2];
  static struct {
    int kind, idx;
  } who[2 + SHIM_MAX_CLIENTS + SHIM_MAX_PROCS * 2];
  bool killed = false;
  for (;;) {
    int n = 0;
    pfd[n] = (struct pollfd){.fd = sigfd, .events = POLLIN};
    who[n++].kind = P_SIG;
    if (!g_shutdown) {
      pfd[n] = (struct pollfd){.fd = lfd, .events = POLLIN};
      who[n++].kind = P_LISTEN;
    }
    for (int i = 0; i < SHIM_MAX_CLIENTS; i++) {
      client_t *c = &g_clients[i];
      if (c->fd < 0) continue;
      short ev = c->out.len ? POLLOUT : 0;
      /* back-pressure: stop reading a client whose process has not taken its stdin yet */
      bool full = c->attach >= 0 && g_procs[c->attach].pending_in.len > SHIM_STDIN_MAX / 4;
      if (!full && !c->closing) ev |= POLLIN;
      pfd[n] = (struct pollfd){.fd = c->fd, .events = ev};
      who[n].kind = P_CLIENT;
      who[n++].idx = i;
    }
    bool draining = false;
    for (int i = 0; i < SHIM_MAX_PROCS; i++) {
      proc_t *p = &g_procs[i];
      if (!p->used) continue;
      if (p->exited && !p->finished) draining = true;
      bool blocked = server_output_blocked(i);
      if (p->out_fd >= 0) {
        short ev = blocked ? 0 : POLLIN;
        if (p->terminal && p->pending_in.len) ev |= POLLOUT;
        if (ev) {
          pfd[n] = (struct pollfd){.fd = p->out_fd, .events = ev};
          who[n].kind = P_PROC;
          who[n++].idx = i;
        }
      }
      if (p->err_fd >= 0 && !blocked) {
        pfd[n] = (struct pollfd){.fd = p->err_fd, .events = POLLIN};
        who[n].kind = P_PROC;
        who[n++].idx = i;
      }
      if (!p->terminal && p->in_fd >= 0 && p->pending_in.len) {
        pfd[n] = (struct pollfd){.fd = p->in_fd, .events = POLLOUT};
        who[n].kind = P_PROC;
        who[n++].idx = i;
      }
    }
    int timeout = draining || g_shutdown ? 50 : -1;
    int r = poll(pfd, (nfds_t)n, timeout);
    if (r < 0 && errno != EINTR) return -1;
    for (int k = 0; r > 0 && k < n; k++) {
      short re = pfd[k].revents;
      if (!re) continue;
      switch (who[k].kind) {
        case P_SIG: {
          struct signalfd_siginfo si;
          while (read(sigfd, &si, sizeof si) == sizeof si) {
            if (si.ssi_signo == SIGTERM) g_shutdown = true;
          }
          proc_reap_all();
          break;
        }
        case P_LISTEN: server_accept(lfd); break;
        case P_CLIENT: {
          int ci = who[k].idx;
          if (g_clients[ci].fd != pfd[k].fd) break; /* closed meanwhile */
          if (re & POLLOUT) client_writable(ci);
          if (g_clients[ci].fd >= 0 && (re & (POLLIN | POLLHUP | POLLERR))) client_readable(ci);
          break;
        }
        case P_PROC: {
          proc_t *p = &g_procs[who[k].idx];
          int fd = pfd[k].fd;
          if (re & POLLOUT) proc_flush_stdin(p);
          if ((fd == p->out_fd || fd == p->err_fd) && (re & (POLLIN | POLLHUP | POLLERR))) proc_read_output(p, fd);
          else if (fd == p->in_fd && (re & (POLLERR | POLLHUP)) && !p->terminal) {
            /* the reader of stdin is gone */
            buf_consume(&p->pending_in, p->pending_in.len);
            close(p->in_fd);
            p->in_fd = -1;
          }
          break;
        }
      }
    }
    proc_check_finished(now_ms());
    if (g_shutdown) {
      proc_t *init = &g_procs[0];
      if (init->used && !init->exited && !killed) {
        proc_kill_all(SIGKILL);
        killed = true;
      }
      if (!init->used || init->finished) {
        /* what is still queued goes out if the socket takes it now; a client that does not read
         * (a paused attach) must not keep the shim from exiting */
        for (int i = 0; i < SHIM_MAX_CLIENTS; i++)
          if (g_clients[i].fd >= 0) client_writable(i);
        if (g_args.runtime) rt_delete();
        cleanup_files();
        debugf("shut down");
        return 0;
      }
    }
  }
}

int main(int argc, char **argv) {
  g_report = fcntl(1, F_DUPFD_CLOEXEC, 3);
  const char *why = NULL;
  for (int i = 0; i < SHIM_MAX_CLIENTS; i++) g_clients[i].fd = -1;
  for (int i = 0; i < SHIM_MAX_WAITS; i++) g_waiters[i].client = -1;
  if (shim_parse_args(argc, argv, &g_args, &why) < 0) {
    report_error(EINVAL, 0, why);
    return 2;
  }
  uint8_t *plan_buf = NULL;
  size_t plan_len = 0;
  if (g_args.plan_path) {
    if (read_file(g_args.plan_path, &plan_buf, &plan_len) < 0) {
      char what[4200];
      snprintf(what, sizeof what, "read %s: %s", g_args.plan_path, strerror(errno));
      report_error(errno, 0, what);
      return 1;
    }
    if (berth_plan_decode(plan_buf, plan_len, &g_init_plan, &why) < 0) {
      report_error(EINVAL, 0, why);
      return 1;
    }
  }
  if (chdir(g_args.dir) < 0) {
    report_error(errno, 0, "chdir to --dir");
    return 1;
  }

  /* detach: the launcher may exit (or be killed) at any time from here on */
  const char *what = NULL;
  int sigfd = shim_daemonize(&what);
  if (sigfd < 0) {
    report_error(errno, 0, what);
    return 1;
  }
  exit_file_remove(); /* from an earlier container of this directory */
  int lfd = server_listen("shim.sock");
  if (lfd < 0) {
    report_error(errno, 0, errno == EADDRINUSE ? "a shim is already serving this directory" : "listen shim.sock");
    return 1;
  }
  /* the pid file before anything that can take long (hooks, the init's setup), so a shim that hangs
   * there can be found by it */
  char pidline[32];
  int pl = snprintf(pidline, sizeof pidline, "%d\n", (int)getpid());
  write_atomic(".", "shim.pid", pidline, (size_t)pl);
  if (g_args.has_log && log_open(&g_args.log) < 0) {
    char what[4200];
    snprintf(what, sizeof what, "open log %s: %s", g_args.log.path, strerror(errno));
    report_error(errno, 0, what);
    cleanup_files();
    return 1;
  }
  proc_t *init = &g_procs[0];
  init->terminal = g_args.terminal;
  init->want_stdin = g_args.stdin_open;
  init->logged = g_args.has_log;
  spawn_error e;
  memset(&e, 0, sizeof e);
  int spawned = g_args.runtime ? rt_create_init(&e) : proc_spawn(0, &g_init_plan, false, &e);
  if (spawned < 0) {
    report_error_kind(e.err, e.step, e.hook ? "hook" : NULL, e.what);
    cleanup_files();
    return 1;
  }
  char line[128];
  snprintf(line, sizeof line, "{\"ok\":true,\"pid\":%d,\"shimPid\":%d}\n", (int)init->pid, (int)getpid());
  report_line(line);
  debugf("serving %s, init %d", g_args.id, (int)init->pid);
  int rc = serve(sigfd, lfd);
  return rc < 0 ? 1 : 0;
}
