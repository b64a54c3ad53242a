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
#include <linux/mount.h>
#include <sys/mman.h>
#include <sys/syscall.h>
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
