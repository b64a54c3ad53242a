/* The child's side of the engine: runs between clone(2) and execve(2) in a copy of a
 * multi-threaded process, so it only makes system calls and uses its own stack: no malloc, no
 * stdio, no locks. Every failure is sent to the parent as a berth_msg (step, errno, path). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/mount.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "engine.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

static int g_sync = -1;
/* Detached idmapped mounts made by the parent, in plan order (static: the child never allocates). */
static int g_idmap_fds[BERTH_MAX_IDMAPS];
static size_t g_next_idmap;

static size_t slen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

static void scopy(char *dst, size_t cap, const char *src) {
  size_t i = 0;
  for (; src && src[i] && i + 1 < cap; i++) dst[i] = src[i];
  dst[i] = 0;
}

static __attribute__((noreturn)) void child_fail(uint32_t step, int err, const char *path) {
  berth_msg msg;
  memset(&msg, 0, sizeof msg);
  msg.kind = BERTH_MSG_ERROR;
  msg.step = step;
  msg.err = err;
  scopy(msg.path, sizeof msg.path, path);
  send(g_sync, &msg, sizeof msg, MSG_NOSIGNAL);
  _exit(1);
}

static int write_all(const char *path, const char *data) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t len = slen(data);
  ssize_t n = write(fd, data, len);
  int err = errno;
  close(fd);
  if (n < 0) return errno = err, -1;
  return 0;
}

/* mkdir -p for dirs; for a file target (bind mount of a file) the last component is created as an
 * empty file. */
static int make_target(const char *target, int as_file) {
  char buf[4096];
  scopy(buf, sizeof buf, target);
  size_t n = slen(buf);
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] != '/' && buf[i] != 0) continue;
    char c = buf[i];
    buf[i] = 0;
    if (c == 0 && as_file) {
      int fd = open(buf, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
      if (fd < 0 && errno != EEXIST && errno != EISDIR) return -1;
      if (fd >= 0) close(fd);
    } else if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
      return -1;
    }
    buf[i] = c;
  }
  return 0;
}

/* Flags a bind remount must keep (the kernel refuses to clear locked ones in a user namespace). */
/* statfs(2), not statvfs(3): glibc's statvfs may fall back to reading /proc/mounts with stdio. */
static unsigned long kept_flags(const char *path) {
  struct statfs s;
  if (statfs(path, &s) < 0) return 0;
  unsigned long f = 0;
  if (s.f_flags & ST_NOSUID) f |= MS_NOSUID;
  if (s.f_flags & ST_NODEV) f |= MS_NODEV;
  if (s.f_flags & ST_NOEXEC) f |= MS_NOEXEC;
  if (s.f_flags & ST_RDONLY) f |= MS_RDONLY;
  return f;
}

static void do_mount(const berth_mount *m) {
  const unsigned long flags = (unsigned long)m->flags;
  if (make_target(m->target, m->mflags & BERTH_MOUNT_F_FILE) < 0) child_fail(BERTH_STEP_MOUNT, errno, m->target);
  const char *fstype = m->fstype[0] ? m->fstype : NULL;
  const char *data = m->data[0] ? m->data : NULL;
  if (m->idmap) {
    int fd = g_idmap_fds[g_next_idmap++];
    if (syscall(SYS_move_mount, fd, "", AT_FDCWD, m->target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
      child_fail(BERTH_STEP_MOUNT, errno, m->target);
    close(fd);
    const unsigned long extra = flags & ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT);
    if (extra && mount(NULL, m->target, NULL, MS_REMOUNT | MS_BIND | extra | kept_flags(m->target), NULL) < 0)
      child_fail(BERTH_STEP_MOUNT, errno, m->target);
  } else if (flags & MS_BIND) {
    if (mount(m->source, m->target, NULL, MS_BIND | (flags & MS_REC), NULL) < 0)
      child_fail(BERTH_STEP_MOUNT, errno, m->target);
    const unsigned long extra = flags & ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT);
    if (extra && mount(NULL, m->target, NULL, MS_REMOUNT | MS_BIND | extra | kept_flags(m->target), NULL) < 0)
      child_fail(BERTH_STEP_MOUNT, errno, m->target);
  } else if (mount(m->source[0] ? m->source : NULL, m->target, fstype, flags, data) < 0) {
    child_fail(BERTH_STEP_MOUNT, errno, m->target);
  }
  if (m->attr_set || m->attr_clr) {
    /* recursive attributes (rro, rnosuid, ...): only mount_setattr can apply them to a whole tree */
    struct mount_attr attr = {.attr_set = m->attr_set, .attr_clr = m->attr_clr};
    if (syscall(SYS_mount_setattr, AT_FDCWD, m->target, AT_RECURSIVE, &attr, sizeof attr) < 0)
      child_fail(BERTH_STEP_MOUNT, errno, m->target);
  }
  if (m->propagation && mount(NULL, m->target, NULL, (unsigned long)m->propagation, NULL) < 0)
    child_fail(BERTH_STEP_MOUNT_PROPAGATION, errno, m->target);
}

/* The parent's 'F' message: one fd per idmapped mount, in plan order. */
static void receive_idmapped_mounts(const berth_plan *p) {
  char tag = 0;
  char cbuf[CMSG_SPACE(sizeof(int) * BERTH_MAX_IDMAPS)];
  struct iovec iov = {.iov_base = &tag, .iov_len = 1};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
  ssize_t n;
  do n = recvmsg(g_sync, &mh, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n == 0) _exit(0);
  if (n < 0) child_fail(BERTH_STEP_SYNC, errno, "idmapped mounts");
  struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
  if (tag != 'F' || !cm || cm->cmsg_type != SCM_RIGHTS ||
      cm->cmsg_len != CMSG_LEN(sizeof(int) * p->nidmaps))
    child_fail(BERTH_STEP_SYNC, EPROTO, "idmapped mounts");
  memcpy(g_idmap_fds, CMSG_DATA(cm), sizeof(int) * p->nidmaps);
}

static void do_device(const berth_device *d) {
  if (d->bind) {
    if (make_target(d->path, 1) < 0) child_fail(BERTH_STEP_DEVICE, errno, d->path);
    if (mount(d->source, d->path, NULL, MS_BIND, NULL) < 0) child_fail(BERTH_STEP_DEVICE, errno, d->path);
    return;
  }
  dev_t dev = makedev((unsigned)d->major, (unsigned)d->minor);
  if (mknod(d->path, (mode_t)d->mode, dev) < 0) {
    if (errno != EEXIST || unlink(d->path) < 0 || mknod(d->path, (mode_t)d->mode, dev) < 0)
      child_fail(BERTH_STEP_DEVICE, errno, d->path);
  }
  if (chown(d->path, (uid_t)d->uid, (gid_t)d->gid) < 0) child_fail(BERTH_STEP_DEVICE, errno, d->path);
}

/* Appends a decimal number to buf at *n (no stdio here). */
static void put_num(char *buf, size_t cap, size_t *n, long v) {
  char tmp[24];
  size_t k = 0;
  unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;
  do tmp[k++] = (char)('0' + u % 10);
  while ((u /= 10) && k < sizeof tmp);
  if (v < 0 && *n + 1 < cap) buf[(*n)++] = '-';
  while (k && *n + 1 < cap) buf[(*n)++] = tmp[--k];
  buf[*n] = 0;
}

static void put_str(char *buf, size_t cap, size_t *n, const char *s) {
  while (*s && *n + 1 < cap) buf[(*n)++] = *s++;
  buf[*n] = 0;
}

static void write_str(int fd, const char *s) {
  size_t len = slen(s);
  while (len > 0) {
    ssize_t w = write(fd, s, len);
    if (w <= 0) return; /* the hook does not read its stdin (or it is full): that is its business */
    s += w;
    len -= (size_t)w;
  }
}

static __attribute__((noreturn)) void hook_fail(const berth_hook *h, const char *what, long num) {
  char msg[1024];
  size_t n = 0;
  put_str(msg, sizeof msg, &n, h->path);
  put_str(msg, sizeof msg, &n, what);
  if (num >= 0) put_num(msg, sizeof msg, &n, num);
  child_fail(BERTH_STEP_HOOK, 0, msg);
}

/* A createContainer hook: runs in the container's namespaces with its mounts in place, before
 * pivot_root, so its path resolves on the host as the spec asks; the state goes to its stdin with
 * this process's pid (as runc reports it from its init). Raw clone: glibc's fork would run
 * atfork handlers that take locks the Node threads may have held when we were cloned. */
static void run_hook(const berth_hook *h) {
  const char *argv[BERTH_HOOK_MAX_STRS + 1];
  const char *envp[BERTH_HOOK_MAX_STRS + 1];
  const char *s = h->strs;
  for (uint64_t i = 0; i < h->nargs; i++, s += slen(s) + 1) argv[i] = s;
  argv[h->nargs] = NULL;
  for (uint64_t i = 0; i < h->nenv; i++, s += slen(s) + 1) envp[i] = s;
  envp[h->nenv] = NULL;

  int in[2];
  if (pipe2(in, O_CLOEXEC) < 0) child_fail(BERTH_STEP_HOOK, errno, h->path);
  long pid = syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0) child_fail(BERTH_STEP_HOOK, errno, h->path);
  if (pid == 0) {
    if (dup2(in[0], 0) < 0) _exit(126);
    sigset_t none;
    sigemptyset(&none);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, _NSIG / 8);
    execve(h->path, (char *const *)argv, (char *const *)envp);
    _exit(127);
  }
  close(in[0]);
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  char pidbuf[24];
  size_t n = 0;
  put_num(pidbuf, sizeof pidbuf, &n, (long)getpid());
  write_str(in[1], h->state_head);
  write_str(in[1], pidbuf);
  write_str(in[1], h->state_tail);
  close(in[1]);

  int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
  if (pidfd < 0) child_fail(BERTH_STEP_HOOK, errno, h->path);
  struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
  int timeout_ms = h->timeout ? (int)(h->timeout > 2000000 ? 2000000000 : h->timeout * 1000) : -1;
  int r;
  do r = poll(&pfd, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  close(pidfd);
  if (r == 0) {
    kill((pid_t)pid, SIGKILL);
    while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR) {
    }
    hook_fail(h, ": timed out after ", (long)h->timeout);
  }
  int status = 0;
  while (waitpid((pid_t)pid, &status, 0) < 0)
    if (errno != EINTR) child_fail(BERTH_STEP_HOOK, errno, h->path);
  if (WIFSIGNALED(status)) hook_fail(h, ": killed by signal ", WTERMSIG(status));
  if (WEXITSTATUS(status) == 127) hook_fail(h, ": could not be executed (exit status 127)", -1);
  if (WEXITSTATUS(status) != 0) hook_fail(h, ": exit status ", WEXITSTATUS(status));
}

static void do_pivot(const berth_plan *p) {
  if (chdir(p->rootfs) < 0) child_fail(BERTH_STEP_PIVOT_ROOT, errno, p->rootfs);
  if (p->no_pivot) {
    if (mount(p->rootfs, "/", NULL, MS_MOVE, NULL) < 0) child_fail(BERTH_STEP_PIVOT_ROOT, errno, p->rootfs);
    if (chroot(".") < 0) child_fail(BERTH_STEP_PIVOT_ROOT, errno, p->rootfs);
  } else {
    /* pivot_root(".", ".") stacks the old root on top of the new one; detach it right away. */
    if (syscall(SYS_pivot_root, ".", ".") < 0) child_fail(BERTH_STEP_PIVOT_ROOT, errno, p->rootfs);
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) child_fail(BERTH_STEP_PIVOT_ROOT, errno, "/");
    if (umount2(".", MNT_DETACH) < 0) child_fail(BERTH_STEP_PIVOT_ROOT, errno, "/");
  }
  if (chdir("/") < 0) child_fail(BERTH_STEP_PIVOT_ROOT, errno, "/");
}

static void do_mask(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) {
    if (errno == ENOENT) return;
    child_fail(BERTH_STEP_MASK, errno, path);
  }
  int r = S_ISDIR(st.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0k")
                              : mount("/dev/null", path, NULL, MS_BIND, NULL);
  if (r < 0) child_fail(BERTH_STEP_MASK, errno, path);
}

static void do_readonly(const char *path) {
  if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
    if (errno == ENOENT) return;
    child_fail(BERTH_STEP_READONLY_PATH, errno, path);
  }
  if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | kept_flags(path), NULL) < 0)
    child_fail(BERTH_STEP_READONLY_PATH, errno, path);
}

static void do_console(const berth_plan *p) {
  int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) child_fail(BERTH_STEP_CONSOLE, errno, "/dev/ptmx");
  int unlock = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) < 0) child_fail(BERTH_STEP_CONSOLE, errno, "/dev/ptmx");
  int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  if (slave < 0) child_fail(BERTH_STEP_CONSOLE, errno, "/dev/pts");
  /* process.consoleSize: the size is there before exec, not after a resize that races the program */
  if (p->console_rows && p->console_cols) {
    struct winsize ws = {.ws_row = p->console_rows, .ws_col = p->console_cols};
    if (ioctl(slave, TIOCSWINSZ, &ws) < 0) child_fail(BERTH_STEP_CONSOLE, errno, "/dev/pts");
  }
  char cbuf[CMSG_SPACE(sizeof(int))];
  memset(cbuf, 0, sizeof cbuf);
  char tag[] = "berth-console";
  struct iovec iov = {.iov_base = tag, .iov_len = sizeof tag - 1};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
  struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cm), &master, sizeof(int));
  if (sendmsg(p->console_socket, &mh, MSG_NOSIGNAL) < 0) child_fail(BERTH_STEP_CONSOLE, errno, "console socket");
  close(master);
  close(p->console_socket);
  for (int i = 0; i < 3; i++)
    if (dup2(slave, i) < 0) child_fail(BERTH_STEP_CONSOLE, errno, "/dev/pts");
  if (slave > 2) close(slave);
  if (ioctl(0, TIOCSCTTY, 0) < 0) child_fail(BERTH_STEP_CONSOLE, errno, "/dev/pts");
}

static void do_caps(const berth_plan *p) {
  for (int cap = 0; cap <= 63; cap++) {
    int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (r < 0) break; /* past the kernel's last capability */
    if (r == 1 && !(p->cap_bounding & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
      child_fail(BERTH_STEP_CAPS_BOUNDING, errno, NULL);
  }
}

static void set_caps(const berth_plan *p) {
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2] = {
      {.effective = (uint32_t)p->cap_effective,
       .permitted = (uint32_t)p->cap_permitted,
       .inheritable = (uint32_t)p->cap_inheritable},
      {.effective = (uint32_t)(p->cap_effective >> 32),
       .permitted = (uint32_t)(p->cap_permitted >> 32),
       .inheritable = (uint32_t)(p->cap_inheritable >> 32)},
  };
  if (syscall(SYS_capset, &hdr, data) < 0) child_fail(BERTH_STEP_CAPS, errno, NULL);
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    child_fail(BERTH_STEP_CAPS, errno, NULL);
  for (int cap = 0; cap <= 63; cap++)
    if ((p->cap_ambient & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
      child_fail(BERTH_STEP_CAPS, errno, NULL);
}

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif

/* Hands the seccomp notify listener to the parent, which passes it on to the spec's listenerPath.
 * Runs under the new filter already: a profile that sends sendmsg(2) to the listener itself would
 * wait forever, as it would with runc. */
static void send_listener(int fd) {
  berth_msg msg;
  memset(&msg, 0, sizeof msg);
  msg.kind = BERTH_MSG_LISTENER;
  char cbuf[CMSG_SPACE(sizeof(int))];
  memset(cbuf, 0, sizeof cbuf);
  struct iovec iov = {.iov_base = &msg, .iov_len = sizeof msg};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
  struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cm), &fd, sizeof(int));
  if (sendmsg(g_sync, &mh, MSG_NOSIGNAL) < 0) child_fail(BERTH_STEP_SECCOMP, errno, "seccomp listener");
  close(fd);
}

static void load_seccomp(const berth_plan *p) {
  struct sock_fprog prog = {.len = (unsigned short)(p->seccomp_len / sizeof(struct sock_filter)),
                            .filter = (struct sock_filter *)p->seccomp};
  unsigned flags = (unsigned)p->seccomp_flags | (p->seccomp_listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
  long r = flags ? syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog)
                 : prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
  if (r < 0) child_fail(BERTH_STEP_SECCOMP, errno, NULL);
  if (p->seccomp_listener) send_listener((int)r);
}

static const char *env_path(const berth_plan *p) {
  for (size_t i = 0; i < p->nenv; i++) {
    const char *e = p->env[i];
    if (e[0] == 'P' && e[1] == 'A' && e[2] == 'T' && e[3] == 'H' && e[4] == '=') return e + 5;
  }
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

/* execve with a $PATH search in the plan's environment (execvpe would read the parent's). */
static void do_exec(const berth_plan *p) {
  char *const *argv = (char *const *)p->argv;
  char *const *envp = (char *const *)p->env;
  const char *file = p->argv[0];
  for (const char *c = file; *c; c++)
    if (*c == '/') {
      execve(file, argv, envp);
      child_fail(BERTH_STEP_EXEC, errno, file);
    }
  char buf[4096];
  int last = ENOENT;
  const char *dir = env_path(p);
  size_t flen = slen(file);
  while (*dir) {
    const char *end = dir;
    while (*end && *end != ':') end++;
    size_t dlen = (size_t)(end - dir);
    if (dlen + flen + 2 <= sizeof buf) {
      size_t k = 0;
      if (dlen == 0) buf[k++] = '.';
      for (size_t i = 0; i < dlen; i++) buf[k++] = dir[i];
      buf[k++] = '/';
      for (size_t i = 0; i <= flen; i++) buf[k++] = file[i];
      execve(buf, argv, envp);
      if (errno == EACCES) last = EACCES;
      else if (errno != ENOENT && errno != ENOTDIR) child_fail(BERTH_STEP_EXEC, errno, buf);
    }
    dir = *end ? end + 1 : end;
  }
  child_fail(BERTH_STEP_EXEC, last, file);
}

/* Docker's none network: the new network namespace has only lo, and lo must be up. One ioctl on a
 * socket made here (in the child's network namespace) instead of a pinned netns and the CNI
 * loopback plugin. The report's path names the syscall that failed. */
static void loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) child_fail(BERTH_STEP_LOOPBACK, errno, "socket(AF_INET, SOCK_DGRAM)");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  scopy(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) child_fail(BERTH_STEP_LOOPBACK, errno, "ioctl(SIOCGIFFLAGS) lo");
  if (!(ifr.ifr_flags & IFF_UP)) {
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) child_fail(BERTH_STEP_LOOPBACK, errno, "ioctl(SIOCSIFFLAGS) lo");
  }
  close(s);
}

static int joined_user(const berth_plan *p) {
  for (size_t i = 0; i < p->njoins; i++)
    if (p->joins[i].nstype == (uint64_t)CLONE_NEWUSER) return 1;
  return 0;
}

static void wait_byte(char want) {
  char c;
  ssize_t n;
  do n = recv(g_sync, &c, 1, 0);
  while (n < 0 && errno == EINTR);
  if (n == 0) _exit(0); /* the parent went away: nothing to report to */
  if (n < 0 || c != want) child_fail(BERTH_STEP_SYNC, n < 0 ? errno : EPROTO, NULL);
}

int berth_child_main(void *arg) {
  const berth_child_args *a = arg;
  const berth_plan *p = a->plan;
  g_sync = a->sync_fd;

  /* Node's handlers must not run here, and what Node ignores (SIGPIPE) must not stay ignored in
   * the container: everything back to SIG_DFL. Signals stay blocked until just before execve. The
   * raw syscall takes the kernel's struct sigaction; all zeros = SIG_DFL, no flags, empty mask. */
  struct {
    void *handler;
    unsigned long flags;
    void *restorer;
    uint64_t mask;
  } dfl;
  memset(&dfl, 0, sizeof dfl);
  for (int sig = 1; sig < _NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask);
  }

  if (p->nidmaps > 0) receive_idmapped_mounts(p);
  wait_byte('G');

  if (p->pdeathsig && prctl(PR_SET_PDEATHSIG, p->pdeathsig, 0, 0, 0) < 0)
    child_fail(BERTH_STEP_PDEATHSIG, errno, NULL);
  /* Before any join: the clone made the network namespace, owned by the user namespace this
   * process is still root in (the host's, or the new one it was cloned into). */
  if (p->loopback_up) loopback_up();
  /* Joins the parent thread could not do: user first (it owns the others), then mount. */
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < p->njoins; i++) {
      const berth_join *j = &p->joins[i];
      if (j->nstype != (pass == 0 ? (uint64_t)CLONE_NEWUSER : (uint64_t)CLONE_NEWNS)) continue;
      if (setns(j->fd, (int)j->nstype) < 0) child_fail(BERTH_STEP_JOIN_NS, errno, j->path);
    }
  /* In a new (or joined) user namespace become its root, so files and mounts made below are owned
   * by a mapped id (an unmapped fsuid makes them fail with EOVERFLOW). */
  if ((p->clone_flags & CLONE_NEWUSER) || joined_user(p)) {
    if (syscall(SYS_setresgid, 0, 0, 0) < 0) child_fail(BERTH_STEP_USER, errno, NULL);
    if (syscall(SYS_setresuid, 0, 0, 0) < 0) child_fail(BERTH_STEP_USER, errno, NULL);
  }
  /* After the parent joined us to our cgroups: the cgroup namespace is rooted there. A new time
   * namespace applies to this process from its execve on, and takes offsets only until then. */
  if (p->clone_flags & CLONE_NEWCGROUP) {
    if (unshare(CLONE_NEWCGROUP) < 0) child_fail(BERTH_STEP_UNSHARE, errno, "cgroup");
  }
  if (p->clone_flags & CLONE_NEWTIME) {
    if (unshare(CLONE_NEWTIME) < 0) child_fail(BERTH_STEP_UNSHARE, errno, "time");
    if (p->time_offsets && write_all("/proc/self/timens_offsets", p->time_offsets) < 0)
      child_fail(BERTH_STEP_UNSHARE, errno, "/proc/self/timens_offsets");
  }
  if (p->setsid && setsid() < 0) child_fail(BERTH_STEP_SETSID, errno, NULL);
  for (int i = 0; i < 3; i++)
    if (p->stdio[i] >= 0 && p->stdio[i] != i && dup2(p->stdio[i], i) < 0)
      child_fail(BERTH_STEP_STDIO, errno, NULL);
  if (p->oom_score_adj && write_all("/proc/self/oom_score_adj", p->oom_score_adj) < 0)
    child_fail(BERTH_STEP_OOM_SCORE_ADJ, errno, "/proc/self/oom_score_adj");

  /* In a new mount namespace nothing done here may propagate back to the host. */
  if (p->rootfs || (p->clone_flags & CLONE_NEWNS)) {
    unsigned long prop = p->rootfs_propagation ? (unsigned long)p->rootfs_propagation : MS_SLAVE | MS_REC;
    if (mount(NULL, "/", NULL, prop, NULL) < 0) child_fail(BERTH_STEP_ROOTFS_PROPAGATION, errno, "/");
  }
  if (p->rootfs) {
    if (mount(p->rootfs, p->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
      child_fail(BERTH_STEP_ROOTFS_BIND, errno, p->rootfs);
    for (size_t i = 0; i < p->nmounts; i++) do_mount(&p->mounts[i]);
    for (size_t i = 0; i < p->ndevices; i++) do_device(&p->devices[i]);
    for (size_t i = 0; i < p->nsymlinks; i++)
      if (symlink(p->symlinks[i].a, p->symlinks[i].b) < 0 && errno != EEXIST)
        child_fail(BERTH_STEP_SYMLINK, errno, p->symlinks[i].b);
    for (size_t i = 0; i < p->nhooks; i++) run_hook(&p->hooks[i]);
    do_pivot(p);
  }
  if (p->console_socket >= 0) do_console(p);
  if (p->hostname && sethostname(p->hostname, slen(p->hostname)) < 0)
    child_fail(BERTH_STEP_HOSTNAME, errno, p->hostname);
  if (p->domainname && setdomainname(p->domainname, slen(p->domainname)) < 0)
    child_fail(BERTH_STEP_DOMAINNAME, errno, p->domainname);
  /* sysctls before /proc/sys becomes read-only below */
  for (size_t i = 0; i < p->nsysctls; i++)
    if (write_all(p->sysctls[i].a, p->sysctls[i].b) < 0) child_fail(BERTH_STEP_SYSCTL, errno, p->sysctls[i].a);
  if (p->rootfs) {
    for (size_t i = 0; i < p->nmasked; i++) do_mask(p->masked[i]);
    for (size_t i = 0; i < p->nreadonly; i++) do_readonly(p->readonly[i]);
    if (p->root_readonly && mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags("/"), NULL) < 0)
      child_fail(BERTH_STEP_ROOT_READONLY, errno, "/");
  }
  for (size_t i = 0; i < p->nrlimits; i++) {
    struct rlimit rl = {.rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard};
    if (setrlimit((int)p->rlimits[i].resource, &rl) < 0) child_fail(BERTH_STEP_RLIMIT, errno, NULL);
  }
  if (p->has_personality && personality((unsigned long)p->personality) < 0)
    child_fail(BERTH_STEP_PERSONALITY, errno, NULL);

  if (p->has_caps) do_caps(p);
  /* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it before dropping caps. */
  if (p->seccomp && !p->no_new_privs) load_seccomp(p);
  /* Raw syscalls: glibc's set*id wrappers would signal the parent's threads, which glibc still
   * lists in this copy of the process. */
  if (p->has_user) {
    if (p->has_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) child_fail(BERTH_STEP_USER, errno, NULL);
    if (!p->setgroups_deny && syscall(SYS_setgroups, p->ngids, p->gids) < 0)
      child_fail(BERTH_STEP_USER, errno, NULL);
    if (syscall(SYS_setresgid, p->gid, p->gid, p->gid) < 0) child_fail(BERTH_STEP_USER, errno, NULL);
    if (syscall(SYS_setresuid, p->uid, p->uid, p->uid) < 0) child_fail(BERTH_STEP_USER, errno, NULL);
  }
  if (p->has_caps) set_caps(p);
  if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) child_fail(BERTH_STEP_NO_NEW_PRIVS, errno, NULL);
  if (p->cwd && chdir(p->cwd) < 0) child_fail(BERTH_STEP_CWD, errno, p->cwd);
  if (p->has_umask) umask((mode_t)p->umask); /* cannot fail */

  /* stdio and preserved fds survive exec even when the parent had them CLOEXEC (Node's own 0-2 can
   * be); every other inherited fd closes at exec. */
  for (int fd = 0; fd < 3 + p->preserve_fds; fd++) fcntl(fd, F_SETFD, 0);
  if (syscall(SYS_close_range, 3 + p->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
    child_fail(BERTH_STEP_CLOSE_FDS, errno, NULL);
  fcntl(g_sync, F_SETFD, FD_CLOEXEC);

  berth_msg ready;
  memset(&ready, 0, sizeof ready);
  ready.kind = BERTH_MSG_READY;
  if (send(g_sync, &ready, sizeof ready, MSG_NOSIGNAL) < 0) _exit(1);
  wait_byte('S');

  if (p->seccomp && p->no_new_privs) load_seccomp(p);
  sigset_t none;
  sigemptyset(&none);
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, _NSIG / 8);
  do_exec(p);
  return 127;
}
