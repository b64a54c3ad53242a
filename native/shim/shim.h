/* berth-shim: one small process per container. It is the parent (and child subreaper) of the
 * container's init, owns its stdio (pipes or a pty), writes its logs, serves a unix socket
 * (protocol: packages/shim/PROTOCOL.md) and writes the exit status to a file that outlives it.
 *
 * Single-threaded: one poll(2) loop in main.c; no allocation on the hot path beyond a few growing
 * buffers, so the idle RSS stays around a megabyte. */
#ifndef BERTH_SHIM_H
#define BERTH_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../engine/engine.h"

#define SHIM_MAX_CLIENTS 64
#define SHIM_MAX_PROCS 33 /* slot 0 is the init, the rest execs */
#define SHIM_MAX_WAITS 128
#define SHIM_ID_MAX 128
#define SHIM_MAX_FRAME (16u << 20)
#define SHIM_CLIENT_HIGH (1u << 20)    /* a client this far behind pauses its process's output */
#define SHIM_CLIENT_OUT_MAX (8u << 20) /* a client that falls this far behind is dropped (safety net) */
#define SHIM_STDIN_MAX (1u << 20)
#define SHIM_LINE_MAX 16384 /* json-file: longer lines are split (as Docker does) */

/* ---- wire protocol (see PROTOCOL.md) ---- */
enum {
  MSG_START = 1,
  MSG_KILL = 2,
  MSG_RESIZE = 3,
  MSG_STATE = 4,
  MSG_WAIT = 5,
  MSG_ATTACH = 6,
  MSG_EXEC = 7,
  MSG_SHUTDOWN = 8,
  MSG_DATA = 20,
  MSG_CLOSE_STDIN = 21,
  MSG_EOF = 22,
  MSG_OK = 100,
  MSG_ERROR = 101,
  MSG_STATE_R = 102,
  MSG_EXIT = 103,
  MSG_EXEC_R = 104,
};
#define FRAME_HEADER 12 /* u32 payload length, u16 type, u16 flags, u32 tag */

enum { ST_CREATED = 0, ST_RUNNING = 1, ST_STOPPED = 2 };
enum { STREAM_STDIN = 1, STREAM_STDOUT = 2, STREAM_STDERR = 4 };

typedef struct {
  uint8_t *data;
  size_t len, cap;
} buf_t;

typedef struct {
  bool used;
  char id[SHIM_ID_MAX]; /* "" for the init */
  pid_t pid;
  int sync_fd; /* engine sync socket until start */
  int status;
  bool terminal;
  bool want_stdin;
  int in_fd;   /* write end of the process's stdin (or the pty master), -1 */
  int out_fd;  /* read end of stdout, or the pty master */
  int err_fd;  /* read end of stderr */
  buf_t pending_in;
  bool close_in_after_flush;
  bool exited, finished;
  int exit_code, exit_signal;
  char exited_at[48];
  long long exited_ms;
  bool logged; /* the init: output goes to the log */
} proc_t;

typedef struct {
  int fd;
  buf_t in, out;
  int attach; /* index of the proc it is attached to, or -1 */
  unsigned streams;
  bool closing; /* close once `out` is flushed */
} client_t;

typedef struct {
  int client;
  int proc;
  uint32_t tag;
} waiter_t;

typedef struct {
  const char *path;
  bool json;
  long long max_size; /* 0 = no rotation */
  int max_files;
  int fd;
  long long size;
  char line[2][SHIM_LINE_MAX]; /* partial lines of stdout, stderr */
  size_t line_len[2];
} shim_log;

typedef struct {
  const char *id;
  const char *dir;
  const char *plan_path;
  bool terminal, stdin_open;
  shim_log log;
  bool has_log;
  const char *debug_log;
  /* OCI runtime CLI mode (runc, berth-runtime): instead of --plan */
  const char *runtime, *bundle, *runtime_root;
} shim_args;

/* global state (main.c) */
extern proc_t g_procs[SHIM_MAX_PROCS];
extern client_t g_clients[SHIM_MAX_CLIENTS];
extern waiter_t g_waiters[SHIM_MAX_WAITS];
extern shim_args g_args;
extern berth_plan g_init_plan;
extern bool g_shutdown;

/* args.c */
int shim_parse_args(int argc, char **argv, shim_args *out, const char **why);

/* util.c */
int buf_append(buf_t *b, const void *data, size_t len);
void buf_consume(buf_t *b, size_t n);
void buf_free(buf_t *b);
void now_rfc3339(char *out, size_t cap, long long *ms);
int read_file(const char *path, uint8_t **data, size_t *len);
int write_atomic(const char *dir, const char *name, const char *data, size_t len);
void set_nonblock(int fd);
void proc_take_stdio(proc_t *p, int master, int in[2], int out[2], int err[2]);
void debugf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* daemon.c: returns the signalfd, or -1 with errno and *what set */
int shim_daemonize(const char **what);

/* exitfile.c */
void exit_file_write(const proc_t *p);
void exit_file_remove(void);

/* log.c */
int log_open(shim_log *l);
void log_write(shim_log *l, int stream /*1 stdout 2 stderr*/, const uint8_t *data, size_t len);
void log_flush(shim_log *l);

/* proc.c */
typedef struct {
  int err;
  uint32_t step;
  bool hook; /* a prestart/createRuntime hook failed: `what` is the whole message */
  char what[1100];
} spawn_error;
/* the decoded plan must stay valid only during the call (the child has its own copy after clone) */
int proc_spawn(int slot, berth_plan *decoded, bool start_now, spawn_error *e);
int proc_start(proc_t *p, spawn_error *e);
void proc_reap_all(void);
void proc_check_finished(long long now_ms);
int proc_find(const char *id);
int proc_free_slot(void);
void proc_kill_all(int signal);
void proc_read_output(proc_t *p, int fd);
void proc_close_outputs(proc_t *p);
void proc_flush_stdin(proc_t *p);

int recv_fd(int sock);

/* runtime.c: the OCI runtime CLI mode */
int rt_create_init(spawn_error *e);
int rt_start(proc_t *p, spawn_error *e);
int rt_exec(int slot, const uint8_t *process_json, size_t len, spawn_error *e);
int rt_kill(int signal, bool all);
void rt_delete(void);

/* server.c */
int server_listen(const char *name);
void server_accept(int lfd);
void client_readable(int ci);
void client_writable(int ci);
void client_close(int ci);
void client_send(int ci, uint16_t type, uint16_t flags, uint32_t tag, const void *payload, size_t len);
void client_send_error(int ci, uint32_t tag, int err, uint32_t step, const char *msg);
void server_proc_output(int pi, int stream, const uint8_t *data, size_t len);
void server_proc_finished(int pi);
bool server_output_blocked(int pi);
void send_exit(int ci, uint32_t tag, const proc_t *p);

#endif
