/* The container's log: Docker's json-file format (one {"log","stream","time"} object per line,
 * lines longer than 16 KiB split, as dockerd's json-file driver does) or raw bytes, with size
 * rotation: once the file has reached max-size it becomes <path>.1 (older ones shift up to
 * <path>.<max-files - 1>, the oldest is dropped) and a new file starts; max-files 1 truncates. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

int log_open(shim_log *l) {
  l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (l->fd < 0) return -1;
  struct stat st;
  l->size = fstat(l->fd, &st) == 0 ? st.st_size : 0;
  return 0;
}

static void rotate(shim_log *l) {
  char from[4096], to[4096];
  if (l->max_files > 1) {
    for (int i = l->max_files - 1; i >= 1; i--) {
      if (i == 1) snprintf(from, sizeof from, "%s", l->path);
      else snprintf(from, sizeof from, "%s.%d", l->path, i - 1);
      snprintf(to, sizeof to, "%s.%d", l->path, i);
      if (rename(from, to) < 0 && errno != ENOENT) debugf("rotate %s: %s", from, strerror(errno));
    }
    close(l->fd);
    l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC | O_CLOEXEC, 0640);
  } else if (ftruncate(l->fd, 0) < 0) {
    debugf("truncate %s: %s", l->path, strerror(errno));
  }
  l->size = 0;
}

static void write_out(shim_log *l, const char *data, size_t len) {
  if (l->fd < 0) return;
  if (l->max_size > 0 && l->size >= l->max_size) rotate(l);
  if (l->fd < 0) return;
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(l->fd, data + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      debugf("write %s: %s", l->path, strerror(errno));
      return;
    }
    off += (size_t)w;
  }
  l->size += (long long)len;
}

/* Length of a valid UTF-8 sequence at s (n bytes available), or 0 when invalid. */
static size_t utf8_len(const uint8_t *s, size_t n) {
  uint8_t c = s[0];
  size_t k;
  uint32_t min;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) k = 2, min = 0x80;
  else if ((c & 0xf0) == 0xe0) k = 3, min = 0x800;
  else if ((c & 0xf8) == 0xf0) k = 4, min = 0x10000;
  else return 0;
  if (k > n) return 0;
  uint32_t cp = c & (0x7f >> k);
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return k;
}

/* A JSON string body as Go's encoding/json writes it (HTML-safe, invalid UTF-8 as U+FFFD). */
static size_t json_escape(char *out, const uint8_t *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    uint8_t c = s[i];
    if (c >= 0x80) {
      size_t k = utf8_len(s + i, n - i);
      if (k == 0) {
        memcpy(out + o, "\\ufffd", 6);
        o += 6;
        i++;
      } else if (k == 3 && c == 0xe2 && s[i + 1] == 0x80 && (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
        memcpy(out + o, s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
        o += 6;
        i += 3;
      } else {
        memcpy(out + o, s + i, k);
        o += k;
        i += k;
      }
      continue;
    }
    i++;
    switch (c) {
      case '"': out[o++] = '\\', out[o++] = '"'; break;
      case '\\': out[o++] = '\\', out[o++] = '\\'; break;
      case '\n': out[o++] = '\\', out[o++] = 'n'; break;
      case '\r': out[o++] = '\\', out[o++] = 'r'; break;
      case '\t': out[o++] = '\\', out[o++] = 't'; break;
      default:
        if (c < 0x20 || c == '<' || c == '>' || c == '&') {
          memcpy(out + o, "\\u00", 4);
          out[o + 4] = hex[c >> 4];
          out[o + 5] = hex[c & 15];
          o += 6;
        } else {
          out[o++] = (char)c;
        }
    }
  }
  return o;
}

static void emit_json(shim_log *l, int stream, const uint8_t *s, size_t n) {
  /* worst case 6 bytes per input byte, plus the envelope */
  static char out[SHIM_LINE_MAX * 6 + 128];
  size_t o = 0;
  memcpy(out, "{\"log\":\"", 8);
  o = 8;
  o += json_escape(out + o, s, n);
  char ts[48];
  now_rfc3339(ts, sizeof ts, NULL);
  o += (size_t)snprintf(out + o, sizeof out - o, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n",
                        stream == 2 ? "stderr" : "stdout", ts);
  write_out(l, out, o);
}

void log_write(shim_log *l, int stream, const uint8_t *data, size_t len) {
  if (l->fd < 0) return;
  if (!l->json) {
    write_out(l, (const char *)data, len);
    return;
  }
  int k = stream == 2 ? 1 : 0;
  char *line = l->line[k];
  for (size_t i = 0; i < len; i++) {
    line[l->line_len[k]++] = (char)data[i];
    if (data[i] == '\n' || l->line_len[k] == SHIM_LINE_MAX) {
      emit_json(l, stream, (const uint8_t *)line, l->line_len[k]);
      l->line_len[k] = 0;
    }
  }
}

/* At EOF: a last line without its newline is still logged. */
void log_flush(shim_log *l) {
  if (l->fd < 0 || !l->json) return;
  for (int k = 0; k < 2; k++)
    if (l->line_len[k]) {
      emit_json(l, k + 1, (const uint8_t *)l->line[k], l->line_len[k]);
      l->line_len[k] = 0;
    }
}
