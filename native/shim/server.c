/* The shim's unix socket: length-prefixed binary frames (packages/shim/PROTOCOL.md). Every frame
 * is checked (size, type, exact payload layout, string lengths, value ranges) before it acts;
 * a malformed frame gets an ERROR reply and the connection is closed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "shim.h"

int server_listen(const char *name) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(name) >= sizeof sa.sun_path) return errno = ENAMETOOLONG, -1;
  strcpy(sa.sun_path, name);
  /* a socket left by a dead shim is stale; a live one answers connect */
  int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0) {
    close(probe);
    close(fd);
    return errno = EADDRINUSE, -1;
  }
  if (probe >= 0) close(probe);
  unlink(name);
  mode_t old = umask(0177);
  int r = bind(fd, (struct sockaddr *)&sa, sizeof sa);
  umask(old);
  if (r < 0 || listen(fd, 16) < 0) {
    int e = errno;
    close(fd);
    return errno = e, -1;
  }
  return fd;
}

void server_accept(int lfd) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    int slot = -1;
    for (int i = 0; i < SHIM_MAX_CLIENTS; i++)
      if (g_clients[i].fd < 0) {
        slot = i;
        break;
      }
    if (slot < 0) {
      close(fd);
      continue;
    }
    client_t *c = &g_clients[slot];
    memset(c, 0, sizeof *c);
    c->fd = fd;
    c->attach = -1;
  }
}

void client_close(int ci) {
  client_t *c = &g_clients[ci];
  if (c->fd < 0) return;
  close(c->fd);
  c->fd = -1;
  buf_free(&c->in);
  buf_free(&c->out);
  c->attach = -1;
  for (int w = 0; w < SHIM_MAX_WAITS; w++)
    if (g_waiters[w].client == ci) g_waiters[w].client = -1;
}

void client_writable(int ci) {
  client_t *c = &g_clients[ci];
  while (c->fd >= 0 && c->out.len) {
    ssize_t w = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) return;
    if (w < 0) {
      client_close(ci);
      return;
    }
    buf_consume(&c->out, (size_t)w);
  }
  if (c->fd >= 0 && c->closing && c->out.len == 0) client_close(ci);
}

void client_send(int ci, uint16_t type, uint16_t flags, uint32_t tag, const void *payload, size_t len) {
  client_t *c = &g_clients[ci];
  if (c->fd < 0) return;
  if (c->out.len + len + FRAME_HEADER > SHIM_CLIENT_OUT_MAX) {
    debugf("client %d is too slow: dropped", ci);
    client_close(ci);
    return;
  }
  uint8_t h[FRAME_HEADER];
  uint32_t l = (uint32_t)len;
  memcpy(h, &l, 4);
  memcpy(h + 4, &type, 2);
  memcpy(h + 6, &flags, 2);
  memcpy(h + 8, &tag, 4);
  if (buf_append(&c->out, h, sizeof h) < 0 || (len && buf_append(&c->out, payload, len) < 0)) {
    client_close(ci);
    return;
  }
  client_writable(ci);
}

/* ---- payload building and reading ---- */
typedef struct {
  uint8_t b[1200];
  size_t n;
} wr_t;

static void w_u32(wr_t *w, uint32_t v) {
  if (w->n + 4 <= sizeof w->b) memcpy(w->b + w->n, &v, 4), w->n += 4;
}
static void w_str(wr_t *w, const char *s) {
  size_t l = strlen(s);
  if (l > sizeof w->b - w->n - 4) l = sizeof w->b - w->n - 4;
  w_u32(w, (uint32_t)l);
  memcpy(w->b + w->n, s, l);
  w->n += l;
}

typedef struct {
  const uint8_t *p, *end;
  bool bad;
} rd_t;

static uint32_t r_u32(rd_t *r) {
  if (r->end - r->p < 4) return r->bad = true, 0;
  uint32_t v;
  memcpy(&v, r->p, 4);
  r->p += 4;
  return v;
}

/* u32 length + bytes, no NUL, shorter than cap */
static void r_str(rd_t *r, char *out, size_t cap) {
  out[0] = 0;
  uint32_t l = r_u32(r);
  if (r->bad) return;
  if (l >= cap || (size_t)(r->end - r->p) < l || memchr(r->p, 0, l)) {
    r->bad = true;
    return;
  }
  memcpy(out, r->p, l);
  out[l] = 0;
  r->p += l;
}

void client_send_error(int ci, uint32_t tag, int err, uint32_t step, const char *msg) {
  wr_t w = {.n = 0};
  w_u32(&w, (uint32_t)err);
  w_u32(&w, step);
  w_str(&w, msg);
  client_send(ci, MSG_ERROR, 0, tag, w.b, w.n);
}

static void send_ok(int ci, uint32_t tag) { client_send(ci, MSG_OK, 0, tag, NULL, 0); }

void send_exit(int ci, uint32_t tag, const proc_t *p) {
  wr_t w = {.n = 0};
  w_u32(&w, (uint32_t)p->exit_code);
  w_u32(&w, (uint32_t)p->exit_signal);
  w_str(&w, p->exited_at);
  client_send(ci, MSG_EXIT, 0, tag, w.b, w.n);
}

static void send_spawn_error(int ci, uint32_t tag, const spawn_error *e) {
  client_send_error(ci, tag, e->err, e->step, e->what);
}

/* The process a request names: "" is the init. */
static int lookup(int ci, uint32_t tag, const char *id) {
  int pi = id[0] ? proc_find(id) : 0;
  if (pi < 0 || !g_procs[pi].used) {
    client_send_error(ci, tag, ESRCH, 0, "no such process");
    return -1;
  }
  return pi;
}

static void attach_client(int ci, int pi, unsigned streams) {
  client_t *c = &g_clients[ci];
  proc_t *p = &g_procs[pi];
  if (p->terminal) {
    streams &= ~(unsigned)STREAM_STDERR;
  } else if (p->in_fd < 0) {
    streams &= ~(unsigned)STREAM_STDIN;
  }
  c->attach = pi;
  c->streams = streams;
}

static void do_exec(int ci, uint32_t tag, rd_t *r) {
  uint32_t flags = r_u32(r), streams = r_u32(r);
  char id[SHIM_ID_MAX];
  r_str(r, id, sizeof id);
  uint32_t plen = r_u32(r);
  if (r->bad || plen != (size_t)(r->end - r->p) || flags > 3 || streams > 7 || !id[0]) {
    client_send_error(ci, tag, EPROTO, 0, "malformed EXEC frame");
    g_clients[ci].closing = true;
    return;
  }
  if (g_clients[ci].attach >= 0) return client_send_error(ci, tag, EBUSY, 0, "connection is already attached");
  if (!g_procs[0].used || g_procs[0].exited) return client_send_error(ci, tag, ESRCH, 0, "the container is not running");
  int existing = proc_find(id);
  if (existing >= 0) {
    if (!g_procs[existing].finished) return client_send_error(ci, tag, EEXIST, 0, "an exec with this id is running");
    g_procs[existing].used = false; /* its slot is taken again below */
  }
  int slot = proc_free_slot();
  if (slot < 0) return client_send_error(ci, tag, EAGAIN, 0, "too many execs");
  proc_t *p = &g_procs[slot];
  buf_free(&p->pending_in);
  memset(p, 0, sizeof *p);
  snprintf(p->id, sizeof p->id, "%s", id);
  p->terminal = flags & 1;
  p->want_stdin = (flags & 2) != 0;
  spawn_error e;
  memset(&e, 0, sizeof e);
  if (g_args.runtime) {
    /* the payload is the process JSON for `<runtime> exec --process` */
    if (rt_exec(slot, r->p, plen, &e) < 0) {
      memset(p, 0, sizeof *p);
      return send_spawn_error(ci, tag, &e);
    }
    if (streams) attach_client(ci, slot, streams);
    wr_t w = {.n = 0};
    w_u32(&w, (uint32_t)p->pid);
    w_u32(&w, streams ? g_clients[ci].streams : 0);
    return client_send(ci, MSG_EXEC_R, 0, tag, w.b, w.n);
  }
  uint8_t *copy = malloc(plen ? plen : 1);
  if (!copy) {
    memset(p, 0, sizeof *p);
    return client_send_error(ci, tag, ENOMEM, 0, "out of memory");
  }
  memcpy(copy, r->p, plen);
  berth_plan plan;
  const char *why = NULL;
  if (berth_plan_decode(copy, plen, &plan, &why) < 0) {
    free(copy);
    memset(p, 0, sizeof *p);
    return client_send_error(ci, tag, EINVAL, 0, why ? why : "bad plan");
  }
  int rc = proc_spawn(slot, &plan, false, &e);
  berth_plan_free(&plan);
  free(copy);
  if (rc < 0) {
    memset(p, 0, sizeof *p);
    return send_spawn_error(ci, tag, &e);
  }
  if (streams) attach_client(ci, slot, streams);
  if (proc_start(p, &e) < 0) {
    g_clients[ci].attach = -1;
    return send_spawn_error(ci, tag, &e);
  }
  wr_t w = {.n = 0};
  w_u32(&w, (uint32_t)p->pid);
  w_u32(&w, streams ? g_clients[ci].streams : 0);
  client_send(ci, MSG_EXEC_R, 0, tag, w.b, w.n);
}

static void dispatch(int ci, uint16_t type, uint16_t flags, uint32_t tag, const uint8_t *payload, uint32_t len) {
  rd_t r = {payload, payload + len, false};
  char id[SHIM_ID_MAX];
  client_t *c = &g_clients[ci];
  /* flags carry a stream on DATA only */
  if (flags != 0 && type != MSG_DATA) type = 0;
  switch (type) {
    case MSG_START: {
      r_str(&r, id, sizeof id);
      if (r.bad || r.p != r.end) break;
      if (id[0]) return client_send_error(ci, tag, EINVAL, 0, "execs start when they are made");
      spawn_error e;
      memset(&e, 0, sizeof e);
      if (proc_start(&g_procs[0], &e) < 0) return send_spawn_error(ci, tag, &e);
      return send_ok(ci, tag);
    }
    case MSG_KILL: {
      uint32_t sig = r_u32(&r), all = r_u32(&r);
      r_str(&r, id, sizeof id);
      if (r.bad || r.p != r.end || sig < 1 || sig > 64 || all > 1) break;
      int pi = lookup(ci, tag, id);
      if (pi < 0) return;
      if (pi == 0 && all) {
        proc_kill_all((int)sig);
        return send_ok(ci, tag);
      }
      proc_t *p = &g_procs[pi];
      /* never signal a reaped pid: it may belong to someone else by now */
      if (p->exited || kill(p->pid, (int)sig) < 0) return client_send_error(ci, tag, ESRCH, 0, "the process is not running");
      return send_ok(ci, tag);
    }
    case MSG_RESIZE: {
      uint32_t cols = r_u32(&r), rows = r_u32(&r);
      r_str(&r, id, sizeof id);
      if (r.bad || r.p != r.end || cols < 1 || cols > 65535 || rows < 1 || rows > 65535) break;
      int pi = lookup(ci, tag, id);
      if (pi < 0) return;
      proc_t *p = &g_procs[pi];
      if (!p->terminal) return client_send_error(ci, tag, ENOTTY, 0, "the process has no terminal");
      if (p->out_fd < 0) return client_send_error(ci, tag, ESRCH, 0, "the terminal is closed");
      struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
      if (ioctl(p->out_fd, TIOCSWINSZ, &ws) < 0) return client_send_error(ci, tag, errno, 0, "TIOCSWINSZ");
      return send_ok(ci, tag);
    }
    case MSG_STATE: {
      r_str(&r, id, sizeof id);
      if (r.bad || r.p != r.end) break;
      int pi = lookup(ci, tag, id);
      if (pi < 0) return;
      proc_t *p = &g_procs[pi];
      wr_t w = {.n = 0};
      w_u32(&w, (uint32_t)p->status);
      w_u32(&w, (uint32_t)p->pid);
      w_u32(&w, (uint32_t)getpid());
      w_u32(&w, (uint32_t)p->exit_code);
      w_u32(&w, (uint32_t)p->exit_signal);
      w_str(&w, p->exited ? p->exited_at : "");
      return client_send(ci, MSG_STATE_R, 0, tag, w.b, w.n);
    }
    case MSG_WAIT: {
      r_str(&r, id, sizeof id);
      if (r.bad || r.p != r.end) break;
      int pi = lookup(ci, tag, id);
      if (pi < 0) return;
      if (g_procs[pi].finished) return send_exit(ci, tag, &g_procs[pi]);
      for (int w = 0; w < SHIM_MAX_WAITS; w++)
        if (g_waiters[w].client < 0) {
          g_waiters[w] = (waiter_t){.client = ci, .proc = pi, .tag = tag};
          return;
        }
      return client_send_error(ci, tag, EAGAIN, 0, "too many waiters");
    }
    case MSG_ATTACH: {
      uint32_t streams = r_u32(&r);
      r_str(&r, id, sizeof id);
      if (r.bad || r.p != r.end || streams == 0 || streams > 7) break;
      if (c->attach >= 0) return client_send_error(ci, tag, EBUSY, 0, "connection is already attached");
      int pi = lookup(ci, tag, id);
      if (pi < 0) return;
      attach_client(ci, pi, streams);
      wr_t w = {.n = 0};
      w_u32(&w, c->streams); /* what the attach really carries (no stderr on a terminal ...) */
      client_send(ci, MSG_OK, 0, tag, w.b, w.n);
      if (g_procs[pi].finished) {
        if (c->streams & STREAM_STDOUT) client_send(ci, MSG_EOF, STREAM_STDOUT, 0, NULL, 0);
        if (c->streams & STREAM_STDERR) client_send(ci, MSG_EOF, STREAM_STDERR, 0, NULL, 0);
        c->attach = -1;
      }
      return;
    }
    case MSG_EXEC: return do_exec(ci, tag, &r);
    case MSG_SHUTDOWN:
      if (len != 0) break;
      g_shutdown = true;
      return send_ok(ci, tag);
    case MSG_DATA: {
      if (flags != STREAM_STDIN) break;
      if (c->attach < 0 || !(c->streams & STREAM_STDIN)) return; /* not attached to stdin: dropped */
      proc_t *p = &g_procs[c->attach];
      if (p->in_fd < 0 || p->close_in_after_flush) return;
      if (p->pending_in.len + len > SHIM_STDIN_MAX) {
        debugf("stdin of %s overflows: data dropped", p->id[0] ? p->id : "init");
        return;
      }
      buf_append(&p->pending_in, payload, len);
      proc_flush_stdin(p);
      return;
    }
    case MSG_CLOSE_STDIN: {
      if (len != 0) break;
      if (c->attach < 0 || !(c->streams & STREAM_STDIN)) return;
      proc_t *p = &g_procs[c->attach];
      p->close_in_after_flush = true;
      proc_flush_stdin(p);
      return;
    }
    default:
      client_send_error(ci, tag, EPROTO, 0, "unknown message type");
      c->closing = true;
      return;
  }
  client_send_error(ci, tag, EPROTO, 0, "malformed frame");
  c->closing = true;
}

void client_readable(int ci) {
  client_t *c = &g_clients[ci];
  uint8_t tmp[65536];
  for (;;) {
    ssize_t n = recv(c->fd, tmp, sizeof tmp, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    if (n <= 0) {
      client_close(ci);
      return;
    }
    if (buf_append(&c->in, tmp, (size_t)n) < 0) {
      client_close(ci);
      return;
    }
    if ((size_t)n < sizeof tmp) break;
  }
  size_t off = 0;
  while (c->fd >= 0 && !c->closing && c->in.len - off >= FRAME_HEADER) {
    uint32_t len, tag;
    uint16_t type, flags;
    memcpy(&len, c->in.data + off, 4);
    memcpy(&type, c->in.data + off + 4, 2);
    memcpy(&flags, c->in.data + off + 6, 2);
    memcpy(&tag, c->in.data + off + 8, 4);
    if (len > SHIM_MAX_FRAME) {
      client_send_error(ci, tag, EMSGSIZE, 0, "frame too large");
      c->closing = true;
      break;
    }
    if (c->in.len - off - FRAME_HEADER < len) break;
    dispatch(ci, type, flags, tag, c->in.data + off + FRAME_HEADER, len);
    off += FRAME_HEADER + len;
  }
  if (c->fd >= 0) {
    if (c->closing) c->in.len = 0;
    else buf_consume(&c->in, off);
    /* a refused frame: the ERROR reply is out, the connection goes */
    if (c->closing && c->out.len == 0) client_close(ci);
  }
}

void server_proc_output(int pi, int stream, const uint8_t *data, size_t len) {
  unsigned bit = stream == 2 ? STREAM_STDERR : STREAM_STDOUT;
  for (int i = 0; i < SHIM_MAX_CLIENTS; i++) {
    client_t *c = &g_clients[i];
    if (c->fd >= 0 && c->attach == pi && (c->streams & bit)) client_send(i, MSG_DATA, (uint16_t)bit, 0, data, len);
  }
}

/* Whether an attached client is so far behind that the process's output must wait (as with
 * Docker, a slow attach slows the container instead of losing its output). */
bool server_output_blocked(int pi) {
  if (g_shutdown) return false;
  for (int i = 0; i < SHIM_MAX_CLIENTS; i++)
    if (g_clients[i].fd >= 0 && g_clients[i].attach == pi && g_clients[i].out.len > SHIM_CLIENT_HIGH) return true;
  return false;
}

void server_proc_finished(int pi) {
  for (int w = 0; w < SHIM_MAX_WAITS; w++)
    if (g_waiters[w].client >= 0 && g_waiters[w].proc == pi) {
      int ci = g_waiters[w].client;
      g_waiters[w].client = -1;
      send_exit(ci, g_waiters[w].tag, &g_procs[pi]);
    }
  for (int i = 0; i < SHIM_MAX_CLIENTS; i++) {
    client_t *c = &g_clients[i];
    if (c->fd < 0 || c->attach != pi) continue;
    if (c->streams & STREAM_STDOUT) client_send(i, MSG_EOF, STREAM_STDOUT, 0, NULL, 0);
    if (c->fd >= 0 && (c->streams & STREAM_STDERR)) client_send(i, MSG_EOF, STREAM_STDERR, 0, NULL, 0);
    c->attach = -1;
  }
}
