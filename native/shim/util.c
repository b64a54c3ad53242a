/* Small helpers: growing byte buffers, RFC 3339 timestamps, whole-file reads, atomic writes. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

int buf_append(buf_t *b, const void *data, size_t len) {
  if (b->len + len > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + len) cap *= 2;
    uint8_t *d = realloc(b->data, cap);
    if (!d) return -1;
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, len);
  b->len += len;
  return 0;
}

void buf_consume(buf_t *b, size_t n) {
  if (n >= b->len) {
    b->len = 0;
    /* give big buffers back: an idle shim should stay small */
    if (b->cap > 65536) buf_free(b);
    return;
  }
  memmove(b->data, b->data + n, b->len - n);
  b->len -= n;
}

void buf_free(buf_t *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* Go's time.RFC3339Nano in UTC (trailing zeros of the fraction trimmed), as Docker writes it. */
void now_rfc3339(char *out, size_t cap, long long *ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char frac[16];
  snprintf(frac, sizeof frac, ".%09ld", ts.tv_nsec);
  size_t n = strlen(frac);
  while (n > 1 && frac[n - 1] == '0') frac[--n] = 0;
  if (n == 1) frac[0] = 0;
  char base[32];
  strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, cap, "%s%sZ", base, frac);
  if (ms) {
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    *ms = (long long)mono.tv_sec * 1000 + mono.tv_nsec / 1000000;
  }
}

int read_file(const char *path, uint8_t **data, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) < 0 || st.st_size > (off_t)SHIM_MAX_FRAME) {
    close(fd);
    return errno = EFBIG, -1;
  }
  uint8_t *d = malloc((size_t)st.st_size + 1);
  if (!d) {
    close(fd);
    return errno = ENOMEM, -1;
  }
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t r = read(fd, d + got, (size_t)st.st_size - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  close(fd);
  *data = d;
  *len = got;
  return 0;
}

/* temp file + rename: a reader sees the old file or the whole new one, never a part. No fsync: the
 * shim's directory lives under the exec-root (/run, tmpfs), which does not outlive the host anyway,
 * and two fsyncs cost more than the rest of a launch (as the runtime's state.json, store.ts). */
int write_atomic(const char *dir, const char *name, const char *data, size_t len) {
  char tmp[4096], path[4096];
  snprintf(tmp, sizeof tmp, "%s/.%s.%d.tmp", dir, name, (int)getpid());
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      close(fd);
      unlink(tmp);
      return -1;
    }
    off += (size_t)w;
  }
  if (close(fd) < 0 || rename(tmp, path) < 0) {
    unlink(tmp);
    return -1;
  }
  return 0;
}

void set_nonblock(int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

void debugf(const char *fmt, ...) {
  if (!g_args.debug_log) return;
  char line[1024];
  char ts[48];
  now_rfc3339(ts, sizeof ts, NULL);
  int n = snprintf(line, sizeof line, "%s shim[%d] ", ts, (int)getpid());
  va_list ap;
  va_start(ap, fmt);
  n += vsnprintf(line + n, sizeof line - (size_t)n - 1 > 0 ? sizeof line - (size_t)n - 1 : 0, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof line - 2) n = (int)sizeof line - 2;
  line[n++] = '\n';
  (void)!write(2, line, (size_t)n);
}
