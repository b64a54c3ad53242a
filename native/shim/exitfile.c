/* The exit file: <dir>/exit.json, the init's exit status, written the moment it is reaped (before
 * any waiter hears of it) by temp file + rename, so a supervisor that comes back after the shim is
 * gone still learns how the container ended, and never reads half a file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

void exit_file_write(const proc_t *p) {
  char json[256];
  char sig[16];
  if (p->exit_signal) snprintf(sig, sizeof sig, "%d", p->exit_signal);
  else snprintf(sig, sizeof sig, "null");
  int n = snprintf(json, sizeof json, "{\"pid\":%d,\"exitCode\":%d,\"signal\":%s,\"exitedAt\":\"%s\"}\n", (int)p->pid,
                   p->exit_code, sig, p->exited_at);
  if (write_atomic(g_args.dir, "exit.json", json, (size_t)n) < 0) debugf("exit file: %s", strerror(errno));
}

void exit_file_remove(void) { unlink("exit.json"); }
