/* berth-init: the tiny init `run --init` puts at PID 1 of a container (docker-init/tini's role).
 *
 * It runs the command it is given as its only child, forwards the signals a user sends to the
 * container to that child, reaps every process re-parented to it (so zombies do not pile up in
 * containers whose main process does not wait for orphans), and exits with the child's status
 * (128 + signal number when the child was killed, as shells report it).
 *
 * Statically linked and small so berthd can bind-mount it read-only into any rootfs. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Signals that stop or kill berth-init itself when they arrive are not forwardable: SIGKILL and
 * SIGSTOP cannot be caught; the synchronous faults (SEGV, BUS, FPE, ILL, ABRT, TRAP, SYS) belong to
 * this process. Everything else goes to the child. */
static int is_forwarded(int sig) {
  switch (sig) {
  case SIGKILL: case SIGSTOP: case SIGSEGV: case SIGBUS: case SIGFPE:
  case SIGILL: case SIGABRT: case SIGTRAP: case SIGSYS: case SIGCHLD:
    return 0;
  default:
    return 1;
  }
}

static void usage(void) {
  fputs("usage: berth-init [-g] [--] command [args...]\n"
        "  -g  send signals to the child's whole process group\n", stderr);
}

int main(int argc, char **argv) {
  int group = 0, i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--") == 0) { i++; break; }
    if (strcmp(argv[i], "-g") == 0) { group = 1; continue; }
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) { usage(); return 0; }
    fprintf(stderr, "berth-init: unknown option %s\n", argv[i]);
    usage();
    return 2;
  }
  if (i >= argc) { usage(); return 2; }

  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);

  /* Outside PID 1 (a test, or --init in a shared pid namespace) orphans would not come to us. */
  if (getpid() != 1) prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

  pid_t child = fork();
  if (child < 0) { fprintf(stderr, "berth-init: fork: %s\n", strerror(errno)); return 1; }
  if (child == 0) {
    /* Own process group so -g reaches the child's helpers; a tty's foreground group follows. */
    setpgid(0, 0);
    if (isatty(STDIN_FILENO)) {
      signal(SIGTTOU, SIG_IGN);
      tcsetpgrp(STDIN_FILENO, getpid());
      signal(SIGTTOU, SIG_DFL);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    execvp(argv[i], &argv[i]);
    fprintf(stderr, "berth-init: exec %s: %s\n", argv[i], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
  }

  /* Also from this side, so a signal that arrives before the child ran setpgid reaches its group. */
  setpgid(child, child);

  int exit_code = -1;
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&all, &info);
    if (sig < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "berth-init: sigwaitinfo: %s\n", strerror(errno));
      return 1;
    }
    if (sig != SIGCHLD) {
      if (is_forwarded(sig)) kill(group ? -child : child, sig);
      continue;
    }
    /* One SIGCHLD may stand for several exits: reap until nothing is left to reap. */
    for (;;) {
      int status;
      pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid <= 0) break;
      if (pid == child)
        exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    /* The main process is gone: exit with its status. As PID 1 of the container's pid namespace
     * our exit makes the kernel kill whatever it left behind; never kill(-1) ourselves, which
     * outside a pid namespace would signal every process on the host. */
    if (exit_code >= 0) return exit_code;
  }
}
