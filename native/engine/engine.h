/* The container init engine: clone(2) a child from a decoded plan, let the parent write its id maps
 * and cgroup membership, then the child carries out the plan and waits for start.
 *
 * Protocol over the sync socket (SOCK_SEQPACKET, CLOEXEC on both ends):
 *   parent -> child  'G'  after uid/gid maps and cgroup.procs are written and the plan's prestart
 *                         and createRuntime hooks have run (BERTH_OP_RUNTIME_HOOK; with BERTH_OP_HOLD
 *                         the caller sends it through berth_engine_release, after its own work)
 *   child  -> parent berth_msg{READY} when everything but exec is done (OCI "created")
 *   parent -> child  'S'  start (OCI "start")
 *   child  -> parent berth_msg{ERROR, step, errno, path} on any failure, then _exit(1)
 *   child  -> parent berth_msg{LISTENER} + SCM_RIGHTS fd right after loading a seccomp filter with
 *                    a listener (before READY, or after 'S' when no_new_privs delays the filter)
 *   EOF after start means execve succeeded (the child's end is CLOEXEC). */
#ifndef BERTH_ENGINE_H
#define BERTH_ENGINE_H

#include <stdint.h>
#include <sys/types.h>

#include "plan.h"

#define BERTH_MSG_READY 1u
#define BERTH_MSG_ERROR 2u
#define BERTH_MSG_LISTENER 3u /* carries the seccomp notify listener fd (SCM_RIGHTS) */

typedef struct {
  uint32_t kind;
  uint32_t step;
  int32_t err;
  uint32_t reserved;
  char path[1024];
} berth_msg;

typedef struct {
  pid_t pid;
  int pidfd;
  int sync_fd; /* the parent's end */
} berth_spawn_result;

/* A failure on the parent's side (before the child runs its plan). */
typedef struct {
  const char *syscall;
  int err;
  char path[1024];
  /* nonzero: a prestart/createRuntime hook failed; `path` is the whole message
   * ("prestart hook 0 (/x) failed (exit 3): ...") and `syscall` is "hook" */
  int hook;
} berth_parent_error;

int berth_engine_spawn(berth_plan *plan, berth_spawn_result *out, berth_parent_error *error);
int berth_engine_release(int sync_fd);
int berth_engine_start(int sync_fd);

/* The child's side; never returns. */
int berth_child_main(void *arg);

typedef struct {
  const berth_plan *plan;
  int sync_fd;
} berth_child_args;

#endif
