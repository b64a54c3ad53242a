/* spawnProcess: starts an executable without copying Node's page tables. child_process.spawn
 * forks (libuv), which copies the page tables of a large process and blocks the event loop until
 * exec; here the child is a clone(CLONE_VM | CLONE_VFORK): it shares our memory, runs on its own
 * small stack while the calling thread waits, and only makes system calls (sigaction, setsid,
 * fcntl, dup2, close_range, sigprocmask, execve) before execve: no malloc, no locks. Everything
 * it needs (argv, envp, fd lists) is built here before clone. All signals are blocked in the
 * calling thread across clone, so no handler of ours runs in the child before it has reset every
 * disposition to the default (as libuv does) and cleared its mask. The child reports a failing
 * step in the shared `spawn_ctx` and _exits; the parent reaps it and throws (syscall + errno).
 * Also pipe(): a pipe pair, both ends CLOEXEC, for the child's stdio. */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addon.h"

#define SPAWN_STACK_SIZE (64 * 1024)
#define SPAWN_MAX_FDS 64

typedef struct {
  const char *path;
  char **argv;
  char **envp;
  const int *fds; /* child fd i <- fds[i] */
  int nfds;
  int *moved; /* scratch: the fds moved above nfds */
  bool setsid;
  /* written by the child on failure */
  int err;
  const char *step;
} spawn_ctx;

/* struct sigaction as the kernel takes it (x86-64, arm64: handler, flags, restorer, mask) */
struct kernel_sigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  uint64_t mask;
};

static int spawn_fail(spawn_ctx *c, const char *step) {
  c->err = errno;
  c->step = step;
  _exit(127);
}

static int spawn_child(void *arg) {
  spawn_ctx *c = arg;
  /* the raw call: glibc's sigaction refuses its internal signals (32, 33), which may be ignored here
   * and an ignored disposition survives execve */
  struct kernel_sigaction dfl = {.handler = SIG_DFL};
  for (int s = 1; s < NSIG; s++)
    if (s != SIGKILL && s != SIGSTOP) syscall(SYS_rt_sigaction, s, &dfl, NULL, sizeof dfl.mask);
  if (c->setsid && setsid() < 0) return spawn_fail(c, "setsid");
  /* first every source above the targets, so that dup2 onto 0..nfds-1 overwrites no source */
  for (int i = 0; i < c->nfds; i++) {
    c->moved[i] = fcntl(c->fds[i], F_DUPFD_CLOEXEC, c->nfds);
    if (c->moved[i] < 0) return spawn_fail(c, "fcntl");
  }
  for (int i = 0; i < c->nfds; i++)
    if (dup2(c->moved[i], i) < 0) return spawn_fail(c, "dup2");
  /* nothing else leaks into the child, even an fd another thread opened without O_CLOEXEC */
  if (syscall(SYS_close_range, (unsigned)c->nfds, ~0U, 0) < 0 && errno != ENOSYS)
    return spawn_fail(c, "close_range");
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) return spawn_fail(c, "sigprocmask");
  execve(c->path, c->argv, c->envp);
  return spawn_fail(c, "execve");
}

static void free_strv(char **v) {
  if (!v) return;
  for (char **p = v; *p; p++) free(*p);
  free(v);
}

/* A JS array of strings as a NULL-terminated malloc'd vector, or NULL after throwing. */
static char **get_strv(napi_env env, napi_value arr, const char *what) {
  bool is;
  napi_is_array(env, arr, &is);
  if (!is) {
    berth_throw_type(env, what);
    return NULL;
  }
  uint32_t n;
  napi_get_array_length(env, arr, &n);
  char **v = calloc(n + 1, sizeof *v);
  if (!v) {
    berth_throw_errno(env, "spawnProcess", ENOMEM, NULL, NULL);
    return NULL;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value el;
    napi_valuetype t;
    napi_get_element(env, arr, i, &el);
    napi_typeof(env, el, &t);
    bool ok;
    v[i] = t == napi_string ? berth_get_str_alloc(env, el, &ok) : NULL;
    if (!v[i]) {
      if (t != napi_string) berth_throw_type(env, what);
      free_strv(v);
      return NULL;
    }
  }
  return v;
}

/* spawnProcess(path, argv, envp, fds, setsid) -> { pid, pidfd }. fds[i] becomes the child's fd i
 * (-1: /dev/null); no PATH search: path must name the file. */
static napi_value js_spawn_process(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!berth_args(env, info, 5, argv, NULL)) return NULL;
  char path[BERTH_PATH_MAX];
  if (!berth_get_str(env, argv[0], path, sizeof path, NULL)) return NULL;
  bool is;
  napi_is_array(env, argv[3], &is);
  if (!is) return berth_throw_type(env, "fds: expected an array of numbers");
  uint32_t nfds;
  napi_get_array_length(env, argv[3], &nfds);
  if (nfds > SPAWN_MAX_FDS) return berth_throw_type(env, "fds: at most 64");
  int fds[SPAWN_MAX_FDS], moved[SPAWN_MAX_FDS];
  bool want_null = false;
  for (uint32_t i = 0; i < nfds; i++) {
    napi_value el;
    napi_get_element(env, argv[3], i, &el);
    if (!berth_get_i32(env, el, &fds[i])) return NULL;
    if (fds[i] < 0) want_null = true;
  }
  bool setsid = false;
  if (!berth_is_nullish(env, argv[4])) napi_get_value_bool(env, argv[4], &setsid);

  napi_value result = NULL;
  char **args = NULL, **envp = NULL;
  void *stack = MAP_FAILED;
  int devnull = -1;
  if (!(args = get_strv(env, argv[1], "argv: expected an array of strings"))) goto out;
  if (!args[0]) {
    berth_throw_type(env, "argv: expected at least argv[0]");
    goto out;
  }
  if (!(envp = get_strv(env, argv[2], "envp: expected an array of strings"))) goto out;
  if (want_null) {
    devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) {
      berth_throw_errno(env, "open", errno, "/dev/null", NULL);
      goto out;
    }
    for (uint32_t i = 0; i < nfds; i++)
      if (fds[i] < 0) fds[i] = devnull;
  }
  stack = mmap(NULL, SPAWN_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    berth_throw_errno(env, "mmap", errno, NULL, NULL);
    goto out;
  }
  spawn_ctx ctx = {.path = path,
                   .argv = args,
                   .envp = envp,
                   .fds = fds,
                   .nfds = (int)nfds,
                   .moved = moved,
                   .setsid = setsid,
                   .err = 0,
                   .step = NULL};
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int pidfd = -1;
  /* returns once the child has exec'd or exited (CLONE_VFORK) */
  pid_t pid = clone(spawn_child, (char *)stack + SPAWN_STACK_SIZE, CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD,
                    &ctx, &pidfd);
  int clone_err = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (pid < 0) {
    berth_throw_errno(env, "clone", clone_err, NULL, NULL);
    goto out;
  }
  if (ctx.step) {
    int status;
    while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
    }
    close(pidfd);
    berth_throw_errno(env, ctx.step, ctx.err, path, NULL);
    goto out;
  }
  napi_create_object(env, &result);
  berth_set_int(env, result, "pid", pid);
  berth_set_int(env, result, "pidfd", pidfd);
out:
  if (stack != MAP_FAILED) munmap(stack, SPAWN_STACK_SIZE);
  if (devnull >= 0) close(devnull);
  free_strv(args);
  free_strv(envp);
  return result;
}

static napi_value js_pipe(napi_env env, napi_callback_info info) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) return berth_throw_errno(env, "pipe2", errno, NULL, NULL);
  napi_value arr;
  napi_create_array_with_length(env, 2, &arr);
  napi_set_element(env, arr, 0, berth_int(env, p[0]));
  napi_set_element(env, arr, 1, berth_int(env, p[1]));
  return arr;
}

void berth_register_spawn(napi_env env, napi_value exports) {
  berth_set_fn(env, exports, "spawnProcess", js_spawn_process);
  berth_set_fn(env, exports, "pipe", js_pipe);
}
