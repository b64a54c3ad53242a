/* Detaching from the launcher: fork (the launcher's child exits at once, so whoever started the
 * shim can exit or be killed), a new session, stdio on /dev/null (stderr on --debug-log), child
 * subreaper (orphans of the container come back here to be reaped), and the signals the loop reads
 * from a signalfd (SIGCHLD, SIGTERM = shutdown) blocked; SIGPIPE/SIGHUP/SIGINT ignored (the engine's
 * child resets every disposition and the mask before exec). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "shim.h"

int shim_daemonize(const char **what) {
  pid_t child = fork();
  if (child < 0) return *what = "fork", -1;
  if (child > 0) _exit(0);
  setsid();
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull >= 0) {
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
    close(devnull);
  }
  if (g_args.debug_log) {
    int fd = open(g_args.debug_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) {
      dup2(fd, 2);
      close(fd);
    }
  }
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) return *what = "PR_SET_CHILD_SUBREAPER", -1;
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, NULL);
  int sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sigfd < 0) return *what = "signalfd", -1;
  return sigfd;
}
