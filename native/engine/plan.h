/* The init plan: a flat, fully resolved description of one container process, computed by
 * TypeScript (@berth/native encodePlan) and carried out here.
 *
 * Wire format (little-endian, so the shim can read the very same bytes from a pipe or a file):
 *   header: u32 magic "BTHP", u32 version, u32 total length, u32 reserved
 *   records: u32 op, u32 payload length, payload, zero padding to an 8-byte boundary
 *   payload: the op's u64 fields first, then its NUL-terminated strings (or raw bytes for seccomp)
 * Decoding is a bounds-checked walk that only stores pointers into the buffer plus a few small
 * arrays, all allocated BEFORE clone(2): the child never allocates. */
#ifndef BERTH_PLAN_H
#define BERTH_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BERTH_PLAN_MAGIC 0x50485442u /* "BTHP" */
#define BERTH_PLAN_VERSION 1u

enum berth_op {
  BERTH_OP_CLONE_FLAGS = 1,   /* u64 flags */
  BERTH_OP_JOIN_NS = 2,       /* u64 nstype; str path */
  BERTH_OP_UID_MAP = 3,       /* str map ("0 100000 65536\n...") */
  BERTH_OP_GID_MAP = 4,       /* str map */
  BERTH_OP_SETGROUPS_DENY = 5,
  BERTH_OP_CGROUP_PROCS = 6,  /* str path of a cgroup.procs file */
  BERTH_OP_ROOTFS = 7,        /* str host path */
  BERTH_OP_ROOTFS_PROPAGATION = 8, /* u64 MS_* flags applied to / first (default MS_REC|MS_SLAVE) */
  BERTH_OP_ROOT_READONLY = 9,
  BERTH_OP_NO_PIVOT = 10,     /* MS_MOVE + chroot instead of pivot_root (rootfs on ramfs) */
  BERTH_OP_MOUNT = 11,        /* u64 flags, u64 propagation, u64 mflags; str source, target, fstype, data */
  BERTH_OP_DEVICE = 12,       /* u64 mode, major, minor, uid, gid, bind; str path, str host source */
  BERTH_OP_SYMLINK = 13,      /* str target, str linkpath */
  BERTH_OP_MASK = 14,         /* str path inside the container */
  BERTH_OP_READONLY_PATH = 15,/* str path inside the container */
  BERTH_OP_HOSTNAME = 16,     /* str */
  BERTH_OP_DOMAINNAME = 17,   /* str */
  BERTH_OP_SYSCTL = 18,       /* str /proc/sys path, str value */
  BERTH_OP_RLIMIT = 19,       /* u64 resource, soft, hard */
  BERTH_OP_OOM_SCORE_ADJ = 20,/* str */
  BERTH_OP_CAPS = 21,         /* u64 bounding, effective, permitted, inheritable, ambient */
  BERTH_OP_NO_NEW_PRIVS = 22,
  BERTH_OP_SECCOMP = 23,      /* u64 flags; bytes: struct sock_filter[] */
  BERTH_OP_USER = 24,         /* u64 uid, gid, n; u64 gids[n] */
  BERTH_OP_CWD = 25,          /* str */
  BERTH_OP_ENV = 26,          /* str KEY=VALUE (repeated, in order) */
  BERTH_OP_ARGV = 27,         /* str (repeated, in order) */
  BERTH_OP_STDIO = 28,        /* u64 fd0, fd1, fd2 (as i64; -1 = inherit) */
  BERTH_OP_PERSONALITY = 29,  /* u64 */
  BERTH_OP_PDEATHSIG = 30,    /* u64 */
  BERTH_OP_SETSID = 31,
  BERTH_OP_PRESERVE_FDS = 32, /* u64 n: fds 3..3+n-1 stay open across exec */
  BERTH_OP_CONSOLE_SOCKET = 33, /* u64 fd: a pty master is sent over it (SCM_RIGHTS) */
  BERTH_OP_HOLD = 35,         /* the caller releases the child itself (berth_engine_release) */
  BERTH_OP_TIME_OFFSETS = 34, /* str written to /proc/self/timens_offsets ("monotonic 86400 0\n...") */
  BERTH_OP_UMASK = 36,        /* u64 mode bits */
  BERTH_OP_LOOPBACK_UP = 37,  /* bring lo up in the child's network namespace (a new one: Docker's none) */
  /* Modifiers of the MOUNT record just before them (ops 40+ so other additions do not collide): */
  BERTH_OP_MOUNT_ATTR = 40,   /* u64 attr_set, attr_clr: mount_setattr(AT_RECURSIVE) after mounting (rro, rnosuid...) */
  BERTH_OP_MOUNT_IDMAP = 41,  /* u64 recursive; str uid_map, gid_map (both "": the container's user namespace) */
  /* A createContainer hook, run by the child after the mounts and before pivot_root (as runc does):
   * u64 timeout seconds (0: none), nargs, nenv; str state JSON before and after the pid, str path,
   * nargs str args, nenv str env. */
  BERTH_OP_HOOK = 42,
  /* the SECCOMP filter is loaded with SECCOMP_FILTER_FLAG_NEW_LISTENER; the child sends the
   * listener fd to the parent in a berth_msg{LISTENER} with SCM_RIGHTS */
  BERTH_OP_SECCOMP_LISTENER = 43,
  BERTH_OP_CONSOLE_SIZE = 44, /* u64 rows, cols: the console pty's window size before exec */
  /* An OCI prestart or createRuntime hook, run by the PARENT (berth_engine_spawn) in the caller's
   * namespaces once the child exists with its id maps and cgroup written, before the child sets
   * anything up (the shim's way; the addon's callers run them in afterClone instead):
   * u64 kind (BERTH_HOOK_*), index within its kind, timeout seconds (0: none), nargs, nenv;
   * str state JSON before and after the pid, str path, nargs str args, nenv str env. */
  BERTH_OP_RUNTIME_HOOK = 45,
};

/* kinds of BERTH_OP_RUNTIME_HOOK, in the order the runtime spec runs them */
#define BERTH_HOOK_PRESTART 0u
#define BERTH_HOOK_CREATE_RUNTIME 1u

/* At most this many args (and env entries) per hook: the child builds its argv on its stack. */
#define BERTH_HOOK_MAX_STRS 256

/* At most this many idmapped mounts per plan: their fds travel in one SCM_RIGHTS message. */
#define BERTH_MAX_IDMAPS 32

/* mflags of BERTH_OP_MOUNT */
#define BERTH_MOUNT_F_FILE 1u /* the target is created as a file (bind mount of a file) */

/* Steps of the child, reported with errors. Keep in sync with src/engine.ts INIT_STEPS. */
enum berth_step {
  BERTH_STEP_SYNC = 1,
  BERTH_STEP_JOIN_NS,
  BERTH_STEP_UNSHARE,
  BERTH_STEP_SETSID,
  BERTH_STEP_STDIO,
  BERTH_STEP_OOM_SCORE_ADJ,
  BERTH_STEP_ROOTFS_PROPAGATION,
  BERTH_STEP_ROOTFS_BIND,
  BERTH_STEP_MOUNT,
  BERTH_STEP_MOUNT_PROPAGATION,
  BERTH_STEP_DEVICE,
  BERTH_STEP_SYMLINK,
  BERTH_STEP_PIVOT_ROOT,
  BERTH_STEP_CONSOLE,
  BERTH_STEP_MASK,
  BERTH_STEP_READONLY_PATH,
  BERTH_STEP_ROOT_READONLY,
  BERTH_STEP_HOSTNAME,
  BERTH_STEP_DOMAINNAME,
  BERTH_STEP_SYSCTL,
  BERTH_STEP_RLIMIT,
  BERTH_STEP_PERSONALITY,
  BERTH_STEP_PDEATHSIG,
  BERTH_STEP_CAPS_BOUNDING,
  BERTH_STEP_USER,
  BERTH_STEP_CAPS,
  BERTH_STEP_NO_NEW_PRIVS,
  BERTH_STEP_SECCOMP,
  BERTH_STEP_CWD,
  BERTH_STEP_CLOSE_FDS,
  BERTH_STEP_EXEC,
  BERTH_STEP_HOOK,
  BERTH_STEP_LOOPBACK,
};

typedef struct {
  uint64_t nstype;
  const char *path;
  int fd; /* opened by the parent before clone */
} berth_join;

typedef struct {
  uint64_t flags, propagation, mflags;
  const char *source, *target, *fstype, *data;
  uint64_t attr_set, attr_clr; /* MOUNT_ATTR_* applied recursively after the mount (0, 0: none) */
  bool idmap;                  /* a bind mount the parent makes idmapped (open_tree + mount_setattr) */
  bool idmap_recursive;
  const char *idmap_uid, *idmap_gid; /* maps for the mount's own user namespace; "" = the container's */
} berth_mount;

typedef struct {
  uint64_t mode, major, minor, uid, gid, bind;
  const char *path, *source;
} berth_device;

typedef struct {
  const char *a, *b;
} berth_pair;

typedef struct {
  uint64_t resource, soft, hard;
} berth_rlimit;

typedef struct {
  uint64_t timeout, nargs, nenv;
  uint64_t kind, index; /* runtime hooks only: BERTH_HOOK_*, position within that kind */
  const char *state_head, *state_tail, *path;
  const char *strs; /* nargs args then nenv env entries, NUL-terminated one after the other */
} berth_hook;

typedef struct berth_plan {
  uint64_t clone_flags;
  berth_join *joins;
  size_t njoins;
  const char *uid_map, *gid_map;
  bool setgroups_deny;
  const char **cgroup_procs;
  size_t ncgroup_procs;
  const char *rootfs;
  uint64_t rootfs_propagation;
  bool root_readonly, no_pivot;
  berth_mount *mounts;
  size_t nmounts;
  size_t nidmaps;
  berth_hook *hooks; /* createContainer hooks, in order */
  size_t nhooks;
  berth_hook *runtime_hooks; /* prestart then createRuntime hooks, in order (run by the parent) */
  size_t nruntime_hooks;
  berth_device *devices;
  size_t ndevices;
  berth_pair *symlinks;
  size_t nsymlinks;
  const char **masked;
  size_t nmasked;
  const char **readonly;
  size_t nreadonly;
  const char *hostname, *domainname;
  berth_pair *sysctls;
  size_t nsysctls;
  berth_rlimit *rlimits;
  size_t nrlimits;
  const char *oom_score_adj;
  bool has_caps;
  uint64_t cap_bounding, cap_effective, cap_permitted, cap_inheritable, cap_ambient;
  bool no_new_privs;
  const void *seccomp;
  size_t seccomp_len;
  uint64_t seccomp_flags;
  bool seccomp_listener;
  bool has_user;
  uint32_t uid, gid;
  uint32_t *gids;
  size_t ngids;
  const char *cwd;
  const char **env; /* NULL-terminated */
  size_t nenv;
  const char **argv; /* NULL-terminated */
  size_t nargv;
  int stdio[3];
  bool has_personality;
  uint64_t personality;
  bool has_umask;
  unsigned umask;
  int pdeathsig;
  bool setsid;
  int preserve_fds;
  int console_socket;
  unsigned short console_rows, console_cols;
  const char *time_offsets;
  bool hold;
  bool loopback_up;
} berth_plan;

/* Decodes buf (which must outlive the plan). Returns 0, or -1 with *why set to a static message. */
int berth_plan_decode(const void *buf, size_t len, berth_plan *plan, const char **why);
void berth_plan_free(berth_plan *plan);

#endif
