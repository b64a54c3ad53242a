/* Decoder of the init plan wire format (see plan.h). Runs before clone(2), in the caller. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

typedef struct {
  const uint8_t *p, *end;
  bool bad;
} reader;

static uint64_t rd_u64(reader *r) {
  if (r->end - r->p < 8) {
    r->bad = true;
    return 0;
  }
  uint64_t v;
  memcpy(&v, r->p, 8);
  r->p += 8;
  return v;
}

static const char *rd_str(reader *r) {
  const uint8_t *nul = r->p < r->end ? memchr(r->p, 0, (size_t)(r->end - r->p)) : NULL;
  if (!nul) {
    r->bad = true;
    return "";
  }
  const char *s = (const char *)r->p;
  r->p = nul + 1;
  return s;
}

static uint32_t rd_u32_at(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* Walks the records, calling visit for each; returns -1 on a malformed buffer. */
typedef int (*visit_fn)(berth_plan *plan, uint32_t op, reader *r, size_t *counts);

static int walk(const uint8_t *buf, size_t len, berth_plan *plan, visit_fn visit, size_t *counts,
                const char **why) {
  if (len < 16 || rd_u32_at(buf) != BERTH_PLAN_MAGIC) return *why = "bad plan magic", -1;
  if (rd_u32_at(buf + 4) != BERTH_PLAN_VERSION) return *why = "unsupported plan version", -1;
  if (rd_u32_at(buf + 8) != len) return *why = "plan length mismatch", -1;
  size_t off = 16;
  while (off < len) {
    if (len - off < 8) return *why = "truncated record header", -1;
    uint32_t op = rd_u32_at(buf + off), plen = rd_u32_at(buf + off + 4);
    off += 8;
    if (plen > len - off) return *why = "truncated record", -1;
    reader r = {buf + off, buf + off + plen, false};
    if (visit(plan, op, &r, counts) < 0 || r.bad) return *why = "malformed record", -1;
    off += (plen + 7u) & ~7u;
  }
  return 0;
}

enum { C_JOIN, C_CGROUP, C_MOUNT, C_DEVICE, C_SYMLINK, C_MASK, C_RO, C_SYSCTL, C_RLIMIT, C_ENV, C_ARGV, C_HOOK, C_RHOOK, C_N };

static int count(berth_plan *plan, uint32_t op, reader *r, size_t *c) {
  switch (op) {
    case BERTH_OP_JOIN_NS: c[C_JOIN]++; break;
    case BERTH_OP_CGROUP_PROCS: c[C_CGROUP]++; break;
    case BERTH_OP_MOUNT: c[C_MOUNT]++; break;
    case BERTH_OP_DEVICE: c[C_DEVICE]++; break;
    case BERTH_OP_SYMLINK: c[C_SYMLINK]++; break;
    case BERTH_OP_MASK: c[C_MASK]++; break;
    case BERTH_OP_READONLY_PATH: c[C_RO]++; break;
    case BERTH_OP_SYSCTL: c[C_SYSCTL]++; break;
    case BERTH_OP_RLIMIT: c[C_RLIMIT]++; break;
    case BERTH_OP_ENV: c[C_ENV]++; break;
    case BERTH_OP_ARGV: c[C_ARGV]++; break;
    case BERTH_OP_HOOK: c[C_HOOK]++; break;
    case BERTH_OP_RUNTIME_HOOK: c[C_RHOOK]++; break;
    default: break;
  }
  return 0;
}

static int fill(berth_plan *p, uint32_t op, reader *r, size_t *c) {
  switch (op) {
    case BERTH_OP_CLONE_FLAGS: p->clone_flags = rd_u64(r); break;
    case BERTH_OP_JOIN_NS: {
      berth_join *j = &p->joins[p->njoins++];
      j->nstype = rd_u64(r);
      j->path = rd_str(r);
      j->fd = -1;
      break;
    }
    case BERTH_OP_UID_MAP: p->uid_map = rd_str(r); break;
    case BERTH_OP_GID_MAP: p->gid_map = rd_str(r); break;
    case BERTH_OP_SETGROUPS_DENY: p->setgroups_deny = true; break;
    case BERTH_OP_CGROUP_PROCS: p->cgroup_procs[p->ncgroup_procs++] = rd_str(r); break;
    case BERTH_OP_ROOTFS: p->rootfs = rd_str(r); break;
    case BERTH_OP_ROOTFS_PROPAGATION: p->rootfs_propagation = rd_u64(r); break;
    case BERTH_OP_ROOT_READONLY: p->root_readonly = true; break;
    case BERTH_OP_NO_PIVOT: p->no_pivot = true; break;
    case BERTH_OP_MOUNT: {
      berth_mount *m = &p->mounts[p->nmounts++];
      m->flags = rd_u64(r);
      m->propagation = rd_u64(r);
      m->mflags = rd_u64(r);
      m->source = rd_str(r);
      m->target = rd_str(r);
      m->fstype = rd_str(r);
      m->data = rd_str(r);
      break;
    }
    case BERTH_OP_MOUNT_ATTR: {
      if (p->nmounts == 0) return -1;
      berth_mount *m = &p->mounts[p->nmounts - 1];
      m->attr_set = rd_u64(r);
      m->attr_clr = rd_u64(r);
      break;
    }
    case BERTH_OP_MOUNT_IDMAP: {
      if (p->nmounts == 0 || p->nidmaps >= BERTH_MAX_IDMAPS) return -1;
      berth_mount *m = &p->mounts[p->nmounts - 1];
      if (m->idmap || !(m->flags & MS_BIND)) return -1;
      m->idmap = true;
      m->idmap_recursive = rd_u64(r) != 0;
      m->idmap_uid = rd_str(r);
      m->idmap_gid = rd_str(r);
      p->nidmaps++;
      break;
    }
    case BERTH_OP_DEVICE: {
      berth_device *d = &p->devices[p->ndevices++];
      d->mode = rd_u64(r);
      d->major = rd_u64(r);
      d->minor = rd_u64(r);
      d->uid = rd_u64(r);
      d->gid = rd_u64(r);
      d->bind = rd_u64(r);
      d->path = rd_str(r);
      d->source = rd_str(r);
      break;
    }
    case BERTH_OP_SYMLINK: {
      berth_pair *s = &p->symlinks[p->nsymlinks++];
      s->a = rd_str(r);
      s->b = rd_str(r);
      break;
    }
    case BERTH_OP_MASK: p->masked[p->nmasked++] = rd_str(r); break;
    case BERTH_OP_READONLY_PATH: p->readonly[p->nreadonly++] = rd_str(r); break;
    case BERTH_OP_HOSTNAME: p->hostname = rd_str(r); break;
    case BERTH_OP_DOMAINNAME: p->domainname = rd_str(r); break;
    case BERTH_OP_SYSCTL: {
      berth_pair *s = &p->sysctls[p->nsysctls++];
      s->a = rd_str(r);
      s->b = rd_str(r);
      break;
    }
    case BERTH_OP_RLIMIT: {
      berth_rlimit *l = &p->rlimits[p->nrlimits++];
      l->resource = rd_u64(r);
      l->soft = rd_u64(r);
      l->hard = rd_u64(r);
      break;
    }
    case BERTH_OP_OOM_SCORE_ADJ: p->oom_score_adj = rd_str(r); break;
    case BERTH_OP_CAPS:
      p->has_caps = true;
      p->cap_bounding = rd_u64(r);
      p->cap_effective = rd_u64(r);
      p->cap_permitted = rd_u64(r);
      p->cap_inheritable = rd_u64(r);
      p->cap_ambient = rd_u64(r);
      break;
    case BERTH_OP_NO_NEW_PRIVS: p->no_new_privs = true; break;
    case BERTH_OP_SECCOMP:
      p->seccomp_flags = rd_u64(r);
      p->seccomp = r->p;
      p->seccomp_len = (size_t)(r->end - r->p);
      r->p = r->end;
      if (p->seccomp_len == 0 || p->seccomp_len % 8 != 0) return -1;
      break;
    case BERTH_OP_USER: {
      p->has_user = true;
      p->uid = (uint32_t)rd_u64(r);
      p->gid = (uint32_t)rd_u64(r);
      uint64_t n = rd_u64(r);
      if (n > 65536 || (uint64_t)(r->end - r->p) < n * 8) return -1;
      free(p->gids);
      p->gids = calloc(n ? n : 1, sizeof(uint32_t));
      if (!p->gids) return -1;
      p->ngids = n;
      for (uint64_t i = 0; i < n; i++) p->gids[i] = (uint32_t)rd_u64(r);
      break;
    }
    case BERTH_OP_CWD: p->cwd = rd_str(r); break;
    case BERTH_OP_ENV: p->env[p->nenv++] = rd_str(r); break;
    case BERTH_OP_ARGV: p->argv[p->nargv++] = rd_str(r); break;
    case BERTH_OP_STDIO:
      for (int i = 0; i < 3; i++) p->stdio[i] = (int)(int64_t)rd_u64(r);
      break;
    case BERTH_OP_PERSONALITY:
      p->has_personality = true;
      p->personality = rd_u64(r);
      break;
    case BERTH_OP_UMASK:
      p->has_umask = true;
      p->umask = (unsigned)(rd_u64(r) & 0777);
      break;
    case BERTH_OP_PDEATHSIG: p->pdeathsig = (int)rd_u64(r); break;
    case BERTH_OP_SETSID: p->setsid = true; break;
    case BERTH_OP_PRESERVE_FDS: p->preserve_fds = (int)rd_u64(r); break;
    case BERTH_OP_CONSOLE_SOCKET: p->console_socket = (int)(int64_t)rd_u64(r); break;
    case BERTH_OP_TIME_OFFSETS: p->time_offsets = rd_str(r); break;
    case BERTH_OP_HOLD: p->hold = true; break;
    case BERTH_OP_LOOPBACK_UP: p->loopback_up = true; break;
    case BERTH_OP_SECCOMP_LISTENER: p->seccomp_listener = true; break;
    case BERTH_OP_CONSOLE_SIZE:
      p->console_rows = (unsigned short)rd_u64(r);
      p->console_cols = (unsigned short)rd_u64(r);
      break;
    case BERTH_OP_HOOK:
    case BERTH_OP_RUNTIME_HOOK: {
      berth_hook *h = op == BERTH_OP_HOOK ? &p->hooks[p->nhooks++] : &p->runtime_hooks[p->nruntime_hooks++];
      if (op == BERTH_OP_RUNTIME_HOOK) {
        h->kind = rd_u64(r);
        h->index = rd_u64(r);
        if (h->kind > BERTH_HOOK_CREATE_RUNTIME) return -1;
      }
      h->timeout = rd_u64(r);
      h->nargs = rd_u64(r);
      h->nenv = rd_u64(r);
      if (h->nargs < 1 || h->nargs > BERTH_HOOK_MAX_STRS || h->nenv > BERTH_HOOK_MAX_STRS) return -1;
      h->state_head = rd_str(r);
      h->state_tail = rd_str(r);
      h->path = rd_str(r);
      h->strs = (const char *)r->p;
      /* walk them now so the child can trust the count */
      for (uint64_t i = 0; i < h->nargs + h->nenv; i++) rd_str(r);
      break;
    }
    default: return -1; /* an op this engine does not know: refuse rather than skip a security step */
  }
  (void)c;
  return 0;
}

int berth_plan_decode(const void *buf, size_t len, berth_plan *plan, const char **why) {
  memset(plan, 0, sizeof *plan);
  plan->stdio[0] = plan->stdio[1] = plan->stdio[2] = -1;
  plan->console_socket = -1;
  size_t c[C_N] = {0};
  if (walk(buf, len, plan, count, c, why) < 0) return -1;
  plan->joins = calloc(c[C_JOIN] + 1, sizeof *plan->joins);
  plan->cgroup_procs = calloc(c[C_CGROUP] + 1, sizeof(char *));
  plan->mounts = calloc(c[C_MOUNT] + 1, sizeof *plan->mounts);
  plan->devices = calloc(c[C_DEVICE] + 1, sizeof *plan->devices);
  plan->symlinks = calloc(c[C_SYMLINK] + 1, sizeof *plan->symlinks);
  plan->masked = calloc(c[C_MASK] + 1, sizeof(char *));
  plan->readonly = calloc(c[C_RO] + 1, sizeof(char *));
  plan->sysctls = calloc(c[C_SYSCTL] + 1, sizeof *plan->sysctls);
  plan->rlimits = calloc(c[C_RLIMIT] + 1, sizeof *plan->rlimits);
  plan->env = calloc(c[C_ENV] + 1, sizeof(char *));
  plan->argv = calloc(c[C_ARGV] + 1, sizeof(char *));
  plan->hooks = calloc(c[C_HOOK] + 1, sizeof *plan->hooks);
  plan->runtime_hooks = calloc(c[C_RHOOK] + 1, sizeof *plan->runtime_hooks);
  if (!plan->joins || !plan->cgroup_procs || !plan->mounts || !plan->devices || !plan->symlinks ||
      !plan->masked || !plan->readonly || !plan->sysctls || !plan->rlimits || !plan->env || !plan->argv || !plan->hooks ||
      !plan->runtime_hooks) {
    berth_plan_free(plan);
    return *why = "out of memory", -1;
  }
  if (walk(buf, len, plan, fill, c, why) < 0) {
    berth_plan_free(plan);
    return -1;
  }
  if (plan->nargv == 0) {
    berth_plan_free(plan);
    return *why = "plan has no argv", -1;
  }
  return 0;
}

void berth_plan_free(berth_plan *p) {
  free(p->joins);
  free(p->cgroup_procs);
  free(p->mounts);
  free(p->devices);
  free(p->symlinks);
  free(p->masked);
  free(p->readonly);
  free(p->sysctls);
  free(p->rlimits);
  free(p->env);
  free(p->argv);
  free(p->gids);
  free(p->hooks);
  free(p->runtime_hooks);
  memset(p, 0, sizeof *p);
}
