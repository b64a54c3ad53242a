/* Command line: berth-shim --id ID --dir DIR --plan FILE [--terminal] [--stdin]
 *   [--log PATH [--log-format json-file|raw] [--log-max-size BYTES] [--log-max-files N]]
 *   [--debug-log PATH]
 * or, in OCI runtime CLI mode: --runtime PATH --bundle DIR [--runtime-root DIR] instead of --plan.
 * Every value is checked here, so the rest of the shim works with sane inputs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

static int parse_num(const char *s, long long min, long long max, long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < min || v > max) return -1;
  *out = v;
  return 0;
}

int shim_parse_args(int argc, char **argv, shim_args *a, const char **why) {
  memset(a, 0, sizeof *a);
  a->log.json = true;
  a->log.max_files = 1;
  a->log.fd = -1;
  for (int i = 1; i < argc; i++) {
    const char *k = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    long long n;
    if (!strcmp(k, "--terminal")) {
      a->terminal = true;
      continue;
    }
    if (!strcmp(k, "--stdin")) {
      a->stdin_open = true;
      continue;
    }
    if (!v) return *why = "an option is missing its value", -1;
    i++;
    if (!strcmp(k, "--id")) a->id = v;
    else if (!strcmp(k, "--dir")) a->dir = v;
    else if (!strcmp(k, "--plan")) a->plan_path = v;
    else if (!strcmp(k, "--debug-log")) a->debug_log = v;
    else if (!strcmp(k, "--runtime")) a->runtime = v;
    else if (!strcmp(k, "--bundle")) a->bundle = v;
    else if (!strcmp(k, "--runtime-root")) a->runtime_root = v;
    else if (!strcmp(k, "--log")) {
      a->log.path = v;
      a->has_log = true;
    } else if (!strcmp(k, "--log-format")) {
      if (!strcmp(v, "json-file")) a->log.json = true;
      else if (!strcmp(v, "raw")) a->log.json = false;
      else return *why = "--log-format must be json-file or raw", -1;
    } else if (!strcmp(k, "--log-max-size")) {
      if (parse_num(v, 0, 1LL << 50, &n) < 0) return *why = "--log-max-size must be a byte count", -1;
      a->log.max_size = n;
    } else if (!strcmp(k, "--log-max-files")) {
      if (parse_num(v, 1, 1000, &n) < 0) return *why = "--log-max-files must be 1..1000", -1;
      a->log.max_files = (int)n;
    } else
      return *why = "unknown option", -1;
  }
  if (!a->id || !a->id[0] || strlen(a->id) >= SHIM_ID_MAX) return *why = "--id is required (< 128 chars)", -1;
  if (!a->dir || a->dir[0] != '/') return *why = "--dir must be an absolute path", -1;
  if (!a->plan_path == !a->runtime) return *why = "either --plan or --runtime is required", -1;
  if (a->runtime && (!a->bundle || a->bundle[0] != '/')) return *why = "--runtime needs an absolute --bundle", -1;
  if (a->runtime_root && a->runtime_root[0] != '/') return *why = "--runtime-root must be an absolute path", -1;
  if (a->has_log && a->log.path[0] != '/') return *why = "--log must be an absolute path", -1;
  return 0;
}
