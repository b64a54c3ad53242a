/* The parent's side of the engine: prepares everything, clones, writes id maps and cgroup
 * membership for the child, and releases it. Runs on the caller's thread in a multi-threaded
 * process, so namespace joins that the kernel tracks per thread (pid, net, ipc, uts, cgroup, time)
 * are done on this thread around clone() and undone right after; user and mount namespaces (which
 * a multi-threaded process cannot join) are joined by the child itself. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
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
