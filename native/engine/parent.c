/* The parent's side of the engine: prepares everything, clones, writes id maps and cgroup
 * membership for the child, and releases it. Runs on the caller's thread in a multi-threaded
 * process, so namespace joins that the kernel tracks per thread (pid, net, ipc, uts, cgroup, time)
 * are done on this thread around clone() and undone right after; user and mount namespaces (which
 * a multi-threaded process cannot join) are joined by the child itself. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mount.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

#define CHILD_STACK_SIZE (256 * 1024)

static int fail(berth_parent_error *e, const char *syscall, int err, const char *path) {
  e->syscall = syscall;
  e->err = err;
  snprintf(e->path, sizeof e->path, "%s", path ? path : "");
  return -1;
}

/* Namespaces joined by the parent thread and the /proc/thread-self/ns file to restore each. */
static const struct {
  int type;
  const char *self;
} per_thread_ns[] = {
    {CLONE_NEWPID, "/proc/thread-self/ns/pid_for_children"},
    {CLONE_NEWNET, "/proc/thread-self/ns/net"},
    {CLONE_NEWIPC, "/proc/thread-self/ns/ipc"},
    {CLONE_NEWUTS, "/proc/thread-self/ns/uts"},
    {CLONE_NEWCGROUP, "/proc/thread-self/ns/cgroup"},
    {CLONE_NEWTIME, "/proc/thread-self/ns/time_for_children"},
};
#define N_PER_THREAD (sizeof per_thread_ns / sizeof per_thread_ns[0])

static int per_thread_index(uint64_t type) {
  for (size_t i = 0; i < N_PER_THREAD; i++)
    if ((uint64_t)per_thread_ns[i].type == type) return (int)i;
  return -1;
}

static int write_file(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, data, len);
  int err = errno;
  close(fd);
  if (n < 0) return errno = err, -1;
  if ((size_t)n != len) return errno = EIO, -1;
  return 0;
}

static void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR) {
  }
}

static const char *const hook_kind_names[] = {"prestart", "createRuntime"};

static int hook_fail(berth_parent_error *e, const berth_hook *h, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int hook_fail(berth_parent_error *e, const berth_hook *h, int err, const char *fmt, ...) {
  int n = snprintf(e->path, sizeof e->path, "%s hook %llu (%s) ", hook_kind_names[h->kind],
                   (unsigned long long)h->index, h->path);
  if (n < 0 || (size_t)n >= sizeof e->path) n = (int)sizeof e->path - 1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->path + n, sizeof e->path - (size_t)n, fmt, ap);
  va_end(ap);
  e->syscall = "hook";
  e->err = err;
  e->hook = 1;
  return -1;
}

static long long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

/* One prestart/createRuntime hook, in the caller's namespaces: the state (with the child's pid) on
 * its stdin, stdout on /dev/null, stderr kept (its first KiB goes into a failure's message), killed
 * after its timeout. Raw clone, as in child.c: the caller may be a multi-threaded Node process, where
 * glibc's fork would run atfork handlers; between clone and exec the child only makes system calls. */
static int run_runtime_hook(const berth_hook *h, pid_t child, berth_parent_error *e) {
  const char *argv[BERTH_HOOK_MAX_STRS + 1];
  const char *envp[BERTH_HOOK_MAX_STRS + 1];
  const char *s = h->strs;
  for (uint64_t i = 0; i < h->nargs; i++, s += strlen(s) + 1) argv[i] = s;
  argv[h->nargs] = NULL;
  for (uint64_t i = 0; i < h->nenv; i++, s += strlen(s) + 1) envp[i] = s;
  envp[h->nenv] = NULL;

  char pidstr[24];
  snprintf(pidstr, sizeof pidstr, "%d", (int)child);
  size_t lens[3] = {strlen(h->state_head), strlen(pidstr), strlen(h->state_tail)};
  const char *parts[3] = {h->state_head, pidstr, h->state_tail};

  int in[2] = {-1, -1}, err[2] = {-1, -1}, exe[2] = {-1, -1};
  int devnull = -1, pidfd = -1, rc = -1;
  long pid = -1;
  if (pipe2(in, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || pipe2(exe, O_CLOEXEC) < 0 ||
      (devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
    hook_fail(e, h, errno, "could not start: %s", strerror(errno));
    goto out;
  }
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid = syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid == 0) {
    if (dup2(in[0], 0) < 0 || dup2(devnull, 1) < 0 || dup2(err[1], 2) < 0) {
      int x = errno;
      (void)!write(exe[1], &x, sizeof x);
      _exit(127);
    }
    /* the caller's ignored signals (the shim ignores SIGPIPE, SIGHUP, SIGINT) and its mask must not
     * reach the hook */
    for (int sig = 1; sig < 65; sig++)
      if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, _NSIG / 8);
    execve(h->path, (char *const *)argv, (char *const *)envp);
    int x = errno;
    (void)!write(exe[1], &x, sizeof x);
    _exit(127);
  }
  int clone_err = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (pid < 0) {
    hook_fail(e, h, clone_err, "could not start: clone: %s", strerror(clone_err));
    goto out;
  }
  close_fd(&in[0]);
  close_fd(&err[1]);
  close_fd(&exe[1]);
  close_fd(&devnull);
  int exec_err = 0;
  ssize_t n;
  do n = read(exe[0], &exec_err, sizeof exec_err);
  while (n < 0 && errno == EINTR);
  if (n == (ssize_t)sizeof exec_err) {
    while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR) {
    }
    pid = -1;
    hook_fail(e, h, exec_err, "could not start: %s", strerror(exec_err));
    goto out;
  }
  pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
  if (pidfd < 0) {
    hook_fail(e, h, errno, "pidfd_open: %s", strerror(errno));
    goto out;
  }
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  fcntl(err[0], F_SETFL, O_NONBLOCK);
  char errbuf[512];
  size_t errlen = 0;
  size_t part = 0, off = 0;
  long long deadline = h->timeout ? mono_ms() + (long long)(h->timeout > 2000000 ? 2000000 : h->timeout) * 1000 : -1;
  bool exited = false, timed_out = false;
  while (!exited) {
    struct pollfd pfd[3];
    nfds_t np = 0;
    pfd[np++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
    int in_at = -1, err_at = -1;
    if (in[1] >= 0) in_at = (int)np, pfd[np++] = (struct pollfd){.fd = in[1], .events = POLLOUT};
    if (err[0] >= 0) err_at = (int)np, pfd[np++] = (struct pollfd){.fd = err[0], .events = POLLIN};
    int wait_ms = -1;
    if (deadline >= 0) {
      long long left = deadline - mono_ms();
      if (left <= 0) {
        timed_out = true;
        break;
      }
      wait_ms = left > 1000000 ? 1000000 : (int)left;
    }
    int r = poll(pfd, np, wait_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      hook_fail(e, h, errno, "poll: %s", strerror(errno));
      kill((pid_t)pid, SIGKILL);
      goto reap;
    }
    if (in_at >= 0 && pfd[in_at].revents) {
      /* the state; a hook that does not read it (or closes its stdin) is its own business */
      while (part < 3) {
        ssize_t w = write(in[1], parts[part] + off, lens[part] - off);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) break;
        if (w < 0) {
          part = 3;
          break;
        }
        off += (size_t)w;
        if (off == lens[part]) part++, off = 0;
      }
      if (part == 3) close_fd(&in[1]);
    }
    if (err_at >= 0 && pfd[err_at].revents) {
      char tmp[4096];
      ssize_t rd = read(err[0], tmp, sizeof tmp);
      if (rd > 0) {
        size_t take = (size_t)rd < sizeof errbuf - 1 - errlen ? (size_t)rd : sizeof errbuf - 1 - errlen;
        memcpy(errbuf + errlen, tmp, take);
        errlen += take;
      } else if (rd == 0 || (errno != EAGAIN && errno != EINTR)) {
        close_fd(&err[0]);
      }
    }
    if (pfd[0].revents) exited = true;
  }
  if (timed_out) kill((pid_t)pid, SIGKILL);
  /* what it wrote last (a process it left behind may hold the pipe: read only what is there) */
  while (err[0] >= 0 && errlen < sizeof errbuf - 1) {
    ssize_t rd = read(err[0], errbuf + errlen, sizeof errbuf - 1 - errlen);
    if (rd <= 0) break;
    errlen += (size_t)rd;
  }
  while (errlen > 0 && (errbuf[errlen - 1] == '\n' || errbuf[errlen - 1] == ' ')) errlen--;
  errbuf[errlen] = 0;
reap:;
  int status = 0;
  while (waitpid((pid_t)pid, &status, 0) < 0)
    if (errno != EINTR) break;
  pid = -1;
  if (e->hook) goto out; /* poll failed */
  if (timed_out) {
    hook_fail(e, h, ETIMEDOUT, "timed out after %llus", (unsigned long long)h->timeout);
    goto out;
  }
  if (WIFSIGNALED(status)) {
    hook_fail(e, h, 0, "failed (signal %d)%s%s", WTERMSIG(status), errlen ? ": " : "", errbuf);
    goto out;
  }
  if (WEXITSTATUS(status) != 0) {
    hook_fail(e, h, 0, "failed (exit %d)%s%s", WEXITSTATUS(status), errlen ? ": " : "", errbuf);
    goto out;
  }
  rc = 0;
out:
  if (pid > 0) kill_and_reap((pid_t)pid);
  close_fd(&in[0]);
  close_fd(&in[1]);
  close_fd(&err[0]);
  close_fd(&err[1]);
  close_fd(&exe[0]);
  close_fd(&exe[1]);
  close_fd(&devnull);
  close_fd(&pidfd);
  return rc;
}

/* A user namespace with the given maps, for an idmapped mount with its own mappings: a forked
 * child unshares nothing but its user namespace and waits on a pipe while we write its maps and
 * open its namespace; then it exits. Runs in a multi-threaded process, so the child only reads. */
static int make_userns(const char *uid_map, const char *gid_map, berth_parent_error *error) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) < 0) return fail(error, "pipe2", errno, NULL);
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid == 0) {
    char b;
    close(pipefd[1]);
    while (read(pipefd[0], &b, 1) < 0 && errno == EINTR) {
    }
    _exit(0);
  }
  int clone_err = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  close(pipefd[0]);
  if (pid < 0) {
    close(pipefd[1]);
    return fail(error, "clone", clone_err, "user namespace for an idmapped mount");
  }
  char path[64];
  int fd = -1;
  snprintf(path, sizeof path, "/proc/%ld/uid_map", pid);
  if (write_file(path, uid_map, strlen(uid_map)) < 0) {
    fail(error, "write", errno, path);
    goto done;
  }
  snprintf(path, sizeof path, "/proc/%ld/gid_map", pid);
  if (write_file(path, gid_map, strlen(gid_map)) < 0) {
    fail(error, "write", errno, path);
    goto done;
  }
  snprintf(path, sizeof path, "/proc/%ld/ns/user", pid);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(error, "open", errno, path);
done:
  close(pipefd[1]);
  while (waitpid((pid_t)pid, NULL, __WALL) < 0 && errno == EINTR) {
  }
  return fd;
}

/* Makes the plan's idmapped mounts as detached mounts (open_tree + mount_setattr(MOUNT_ATTR_IDMAP))
 * and sends their fds to the child in one 'F' message; the child attaches them with move_mount.
 * Needs the child's user namespace maps written already (mounts that use the container's maps). */
static int send_idmapped_mounts(const berth_plan *plan, pid_t child, int sync_fd, berth_parent_error *error) {
  int fds[BERTH_MAX_IDMAPS];
  size_t n = 0;
  int rc = -1;
  for (size_t i = 0; i < plan->nmounts; i++) {
    const berth_mount *m = &plan->mounts[i];
    if (!m->idmap) continue;
    int userns;
    if (m->idmap_uid[0] || m->idmap_gid[0]) {
      userns = make_userns(m->idmap_uid, m->idmap_gid, error);
    } else {
      char path[64];
      snprintf(path, sizeof path, "/proc/%d/ns/user", child);
      userns = open(path, O_RDONLY | O_CLOEXEC);
      if (userns < 0) fail(error, "open", errno, path);
    }
    if (userns < 0) goto out;
    unsigned rec = m->idmap_recursive ? AT_RECURSIVE : 0;
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, m->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);
    if (tree < 0) {
      fail(error, "open_tree", errno, m->source);
      close(userns);
      goto out;
    }
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns};
    if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | rec, &attr, sizeof attr) < 0) {
      fail(error, "mount_setattr", errno, m->source);
      close(userns);
      close(tree);
      goto out;
    }
    close(userns);
    fds[n++] = tree;
  }
  char cbuf[CMSG_SPACE(sizeof(int) * BERTH_MAX_IDMAPS)];
  memset(cbuf, 0, sizeof cbuf);
  char tag = 'F';
  struct iovec iov = {.iov_base = &tag, .iov_len = 1};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                      .msg_controllen = CMSG_SPACE(sizeof(int) * n)};
  struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
  memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
  if (sendmsg(sync_fd, &mh, MSG_NOSIGNAL) < 0) {
    fail(error, "sendmsg", errno, "idmapped mounts");
    goto out;
  }
  rc = 0;
out:
  for (size_t i = 0; i < n; i++) close(fds[i]);
  return rc;
}

int berth_engine_spawn(berth_plan *plan, berth_spawn_result *out, berth_parent_error *error) {
  int sv[2] = {-1, -1};
  int saved[N_PER_THREAD];
  for (size_t i = 0; i < N_PER_THREAD; i++) saved[i] = -1;
  int rc = -1;
  pid_t pid = -1;
  int pidfd = -1;
  char path[64];

  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
    fail(error, "socketpair", errno, NULL);
    goto out;
  }
  /* Open every namespace to join now, so a bad path is the parent's error, with the path. */
  for (size_t i = 0; i < plan->njoins; i++) {
    berth_join *j = &plan->joins[i];
    j->fd = open(j->path, O_RDONLY | O_CLOEXEC);
    if (j->fd < 0) {
      fail(error, "open", errno, j->path);
      goto out;
    }
    int k = per_thread_index(j->nstype);
    if (k >= 0 && saved[k] < 0) {
      saved[k] = open(per_thread_ns[k].self, O_RDONLY | O_CLOEXEC);
      if (saved[k] < 0) {
        fail(error, "open", errno, per_thread_ns[k].self);
        goto out;
      }
    }
  }

  void *stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    fail(error, "mmap", errno, NULL);
    goto out;
  }

  /* Block every signal across clone: the child must not run Node's handlers (they write to libuv's
   * signal pipe, shared with the parent) before it has reset them to SIG_DFL. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);

  int join_err = 0;
  const char *join_path = NULL;
  for (size_t i = 0; i < plan->njoins; i++) {
    berth_join *j = &plan->joins[i];
    if (per_thread_index(j->nstype) < 0) continue;
    if (setns(j->fd, (int)j->nstype) < 0) {
      join_err = errno;
      join_path = j->path;
      break;
    }
  }

  berth_child_args args = {.plan = plan, .sync_fd = sv[1]};
  /* cgroup and time namespaces are unshared by the child after the parent has written its cgroup
   * membership (so the cgroup namespace is rooted at the container's cgroup), and CLONE_NEWTIME
   * (0x80) cannot go through clone() at all: its bits are the exit signal there. */
  const uint64_t late = (uint64_t)(CLONE_NEWCGROUP | CLONE_NEWTIME);
  if (!join_err) {
    pid = clone(berth_child_main, (char *)stack + CHILD_STACK_SIZE,
                (int)(plan->clone_flags & ~late & ~(uint64_t)CSIGNAL) | CLONE_PIDFD | SIGCHLD, &args, &pidfd);
    if (pid < 0) join_err = errno;
  }

  /* Undo the per-thread joins before anything else runs on this thread. */
  for (size_t k = 0; k < N_PER_THREAD; k++)
    if (saved[k] >= 0 && setns(saved[k], per_thread_ns[k].type) < 0) {
      /* Cannot return this thread to its namespaces: continuing would run Node in the container's. */
      fprintf(stderr, "berth: cannot restore namespace %s: %s\n", per_thread_ns[k].self, strerror(errno));
      abort();
    }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  munmap(stack, CHILD_STACK_SIZE);

  if (join_path) {
    fail(error, "setns", join_err, join_path);
    goto out;
  }
  if (pid < 0) {
    fail(error, "clone", join_err, NULL);
    goto out;
  }
  close(sv[1]);
  sv[1] = -1;

  if (plan->uid_map || plan->gid_map) {
    if (plan->setgroups_deny) {
      snprintf(path, sizeof path, "/proc/%d/setgroups", pid);
      if (write_file(path, "deny", 4) < 0) {
        fail(error, "write", errno, path);
        goto out;
      }
    }
    if (plan->uid_map) {
      snprintf(path, sizeof path, "/proc/%d/uid_map", pid);
      if (write_file(path, plan->uid_map, strlen(plan->uid_map)) < 0) {
        fail(error, "write", errno, path);
        goto out;
      }
    }
    if (plan->gid_map) {
      snprintf(path, sizeof path, "/proc/%d/gid_map", pid);
      if (write_file(path, plan->gid_map, strlen(plan->gid_map)) < 0) {
        fail(error, "write", errno, path);
        goto out;
      }
    }
  }
  char pidstr[24];
  int pidlen = snprintf(pidstr, sizeof pidstr, "%d", pid);
  for (size_t i = 0; i < plan->ncgroup_procs; i++)
    if (write_file(plan->cgroup_procs[i], pidstr, (size_t)pidlen) < 0) {
      fail(error, "write", errno, plan->cgroup_procs[i]);
      goto out;
    }
  if (plan->nidmaps > 0 && send_idmapped_mounts(plan, pid, sv[0], error) < 0) goto out;
  /* the runtime environment exists (namespaces, id maps, cgroup): OCI prestart and createRuntime
   * hooks run now, in order, before the child sets anything up; a failure ends the child */
  for (size_t i = 0; i < plan->nruntime_hooks; i++)
    if (run_runtime_hook(&plan->runtime_hooks[i], pid, error) < 0) goto out;
  if (!plan->hold && send(sv[0], "G", 1, MSG_NOSIGNAL) != 1) {
    fail(error, "send", errno, NULL);
    goto out;
  }
  out->pid = pid;
  out->pidfd = pidfd;
  out->sync_fd = sv[0];
  sv[0] = -1;
  pid = -1;
  pidfd = -1;
  rc = 0;

out:
  if (pid > 0) kill_and_reap(pid);
  if (pidfd >= 0) close(pidfd);
  if (sv[0] >= 0) close(sv[0]);
  if (sv[1] >= 0) close(sv[1]);
  for (size_t k = 0; k < N_PER_THREAD; k++)
    if (saved[k] >= 0) close(saved[k]);
  for (size_t i = 0; i < plan->njoins; i++)
    if (plan->joins[i].fd >= 0) {
      close(plan->joins[i].fd);
      plan->joins[i].fd = -1;
    }
  return rc;
}

int berth_engine_release(int sync_fd) {
  if (send(sync_fd, "G", 1, MSG_NOSIGNAL) != 1) return -1;
  return 0;
}

int berth_engine_start(int sync_fd) {
  if (send(sync_fd, "S", 1, MSG_NOSIGNAL) != 1) return -1;
  return 0;
}
