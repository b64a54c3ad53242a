import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { ContainerCreate, ContainerUpdate, WaitCondition } from '../../types/container.js';
import { CommitConfig } from '../../types/image.js';
import { QueryFilters, QueryList } from '../../types/query.js';
import type { HijackContext, RequestContext, Route } from '../context.js';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../escape.js';
import { runSession } from '../hijack.js';
import { parseJsonBody, parseJsonBuffer, parseQuery, readAll, sendEmpty, sendJson } from '../http.js';
import { pattern, qbool, qint, qstr, qtime } from '../router.js';
import { sendFirst, sendJsonLines, sendLogs } from '../streams.js';

const ListQuery = z.object({ all: qbool(false), limit: qint, size: qbool(false), filters: QueryFilters });
const CreateQuery = z.object({ name: qstr, platform: qstr });
const StopQuery = z.object({ signal: qstr, t: qint });
const LogsQuery = z.object({
  follow: qbool(false),
  stdout: qbool(false),
  stderr: qbool(false),
  since: qtime,
  until: qtime,
  timestamps: qbool(false),
  tail: qstr,
});
const AttachQuery = z.object({
  detachKeys: qstr,
  logs: qbool(false),
  stream: qbool(false),
  stdin: qbool(false),
  stdout: qbool(false),
  stderr: qbool(false),
});
const ResizeQuery = z.object({ h: qint, w: qint });
const WaitQuery = z.object({
  condition: z
    .union([z.literal(''), WaitCondition])
    .optional()
    .transform((c) => (c === undefined || c === '' ? 'not-running' : c)),
});
const RemoveQuery = z.object({ v: qbool(false), force: qbool(false), link: qbool(false) });
const ArchiveQuery = z.object({
  path: z.string({ error: 'path is required' }).min(1, 'path is required'),
  noOverwriteDirNonDir: qbool(false),
  copyUIDGID: qbool(false),
});
const CommitQuery = z.object({
  container: z.string({ error: 'container is required' }).min(1, 'container is required'),
  repo: qstr,
  tag: qstr,
  comment: qstr,
  author: qstr,
  pause: qbool(true),
  changes: QueryList,
});

function resizeOpts(ctx: RequestContext) {
  const q = parseQuery(ResizeQuery, ctx.query);
  if (q.h === undefined || q.w === undefined) throw new ApiError(400, 'invalid resize: h and w are required');
  if (q.h < 0 || q.w < 0) throw new ApiError(400, 'invalid resize: h and w must be non-negative');
  return { height: q.h, width: q.w };
}

function tailOf(tail: string | undefined): number | undefined {
  if (tail === undefined || tail === '' || tail === 'all') return undefined;
  const n = Number.parseInt(tail, 10);
  // dockerd reads a tail it cannot parse as "all".
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** POST /containers/{id}/attach and its WebSocket twin: one session, two kinds of connection. */
async function attach(ctx: HijackContext): Promise<void> {
  const q = parseQuery(AttachQuery, ctx.query);
  const detachKeys = q.detachKeys ? parseDetachKeys(q.detachKeys) : DEFAULT_DETACH_KEYS;
  const session = await ctx.backend.containerAttach(ctx.params[0]!, {
    stream: q.stream,
    logs: q.logs,
    stdin: q.stdin,
    stdout: q.stdout,
    stderr: q.stderr,
    detachKeys: q.detachKeys,
  });
  await runSession(ctx.conn, session, { apiVersion: ctx.apiVersion, detachKeys, logger: ctx.logger });
}

const statStat = (stat: unknown) => Buffer.from(JSON.stringify(stat)).toString('base64');

export const containerRoutes: Route[] = [
  {
    method: 'GET',
    pattern: pattern('/containers/json'),
    async handle(ctx) {
      const q = parseQuery(ListQuery, ctx.query);
      sendJson(ctx.res, 200, await ctx.backend.containerList(q));
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/create'),
    async handle(ctx) {
      const q = parseQuery(CreateQuery, ctx.query);
      if (q.name !== undefined && q.name !== '' && !/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(q.name))
        throw new ApiError(
          400,
          `Invalid container name (${q.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
        );
      const body = await parseJsonBody(ContainerCreate, ctx.req);
      const out = await ctx.backend.containerCreate({
        name: q.name === '' ? undefined : q.name,
        platform: q.platform === '' ? undefined : q.platform,
        body,
      });
      sendJson(ctx.res, 201, out);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/prune'),
    async handle(ctx) {
      const q = parseQuery(z.object({ filters: QueryFilters }), ctx.query);
      sendJson(ctx.res, 200, await ctx.backend.containerPrune(q));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/containers/{id}/json'),
    async handle(ctx) {
      const q = parseQuery(z.object({ size: qbool(false) }), ctx.query);
      sendJson(ctx.res, 200, await ctx.backend.containerInspect(ctx.params[0]!, q));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/containers/{id}/top'),
    async handle(ctx) {
      const q = parseQuery(z.object({ ps_args: qstr }), ctx.query);
      sendJson(ctx.res, 200, await ctx.backend.containerTop(ctx.params[0]!, { psArgs: q.ps_args }));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/containers/{id}/logs'),
    async handle(ctx) {
      const q = parseQuery(LogsQuery, ctx.query);
      if (!q.stdout && !q.stderr)
        throw new ApiError(400, 'Bad parameters: you must choose at least one stream');
      const logs = await ctx.backend.containerLogs(ctx.params[0]!, {
        follow: q.follow,
        stdout: q.stdout,
        stderr: q.stderr,
        since: q.since,
        until: q.until,
        timestamps: q.timestamps,
        tail: tailOf(q.tail),
        signal: ctx.signal,
      });
      await sendLogs(ctx, logs, q.timestamps);
    },
  },
  {
    method: 'GET',
    pattern: pattern('/containers/{id}/changes'),
    async handle(ctx) {
      sendJson(ctx.res, 200, await ctx.backend.containerChanges(ctx.params[0]!));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/containers/{id}/export'),
    async handle(ctx) {
      const stream = await ctx.backend.containerExport(ctx.params[0]!);
      ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
      await pipeOut(ctx, stream);
    },
  },
  {
    method: 'GET',
    pattern: pattern('/containers/{id}/stats'),
    async handle(ctx) {
      const q = parseQuery(z.object({ stream: qbool(true), 'one-shot': qbool(false) }), ctx.query);
      if (q['one-shot'] && q.stream) throw new ApiError(400, 'cannot have stream=true and one-shot=true');
      const stats = await ctx.backend.containerStats(ctx.params[0]!, {
        stream: q.stream,
        oneShot: q['one-shot'],
        signal: ctx.signal,
      });
      if (q.stream) await sendJsonLines(ctx, stats);
      else await sendFirst(ctx, stats);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/resize'),
    async handle(ctx) {
      await ctx.backend.containerResize(ctx.params[0]!, resizeOpts(ctx));
      sendEmpty(ctx.res, 200);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/start'),
    async handle(ctx) {
      const q = parseQuery(z.object({ detachKeys: qstr }), ctx.query);
      // Since API 1.24 start takes no HostConfig; dockerd rejects a non-empty one. Any body is ignored here
      // unless it is not JSON at all.
      const raw = await readAll(ctx.req);
      if (raw.length > 0) parseJsonBuffer(z.unknown(), raw, ctx.req.headers['content-type'], true);
      if (q.detachKeys) parseDetachKeys(q.detachKeys);
      await ctx.backend.containerStart(ctx.params[0]!, { detachKeys: q.detachKeys });
      sendEmpty(ctx.res, 204);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/stop'),
    async handle(ctx) {
      const q = parseQuery(StopQuery, ctx.query);
      await ctx.backend.containerStop(ctx.params[0]!, { signal: q.signal || undefined, timeout: q.t });
      sendEmpty(ctx.res, 204);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/restart'),
    async handle(ctx) {
      const q = parseQuery(StopQuery, ctx.query);
      await ctx.backend.containerRestart(ctx.params[0]!, { signal: q.signal || undefined, timeout: q.t });
      sendEmpty(ctx.res, 204);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/kill'),
    async handle(ctx) {
      const q = parseQuery(z.object({ signal: qstr }), ctx.query);
      await ctx.backend.containerKill(ctx.params[0]!, { signal: q.signal || undefined });
      sendEmpty(ctx.res, 204);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/update'),
    async handle(ctx) {
      const body = await parseJsonBody(ContainerUpdate, ctx.req);
      sendJson(ctx.res, 200, await ctx.backend.containerUpdate(ctx.params[0]!, body));
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/rename'),
    async handle(ctx) {
      const q = parseQuery(z.object({ name: qstr }), ctx.query);
      if (!q.name) throw new ApiError(400, 'Neither old nor new names may be empty');
      await ctx.backend.containerRename(ctx.params[0]!, { name: q.name });
      sendEmpty(ctx.res, 204);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/pause'),
    async handle(ctx) {
      await ctx.backend.containerPause(ctx.params[0]!);
      sendEmpty(ctx.res, 204);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/unpause'),
    async handle(ctx) {
      await ctx.backend.containerUnpause(ctx.params[0]!);
      sendEmpty(ctx.res, 204);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/attach'),
    async hijack(ctx) {
      await attach(ctx);
    },
  },
  {
    method: 'GET',
    pattern: pattern('/containers/{id}/attach/ws'),
    async hijack(ctx) {
      if (!ctx.conn.websocket)
        throw new ApiError(400, 'attach/ws needs a WebSocket upgrade (Upgrade: websocket)');
      await attach(ctx);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/wait'),
    async handle(ctx) {
      const q = parseQuery(WaitQuery, ctx.query);
      const waiting = await ctx.backend.containerWait(ctx.params[0]!, {
        condition: q.condition,
        signal: ctx.signal,
      });
      // The CLI waits for this header before it starts the container (dockerd flushes it too).
      ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
      ctx.res.flushHeaders();
      let body: unknown;
      try {
        body = await waiting.result;
      } catch (err) {
        body = { StatusCode: -1, Error: { Message: err instanceof Error ? err.message : String(err) } };
      }
      ctx.res.end(`${JSON.stringify(body)}\n`);
    },
  },
  {
    method: 'DELETE',
    pattern: pattern('/containers/{id}'),
    async handle(ctx) {
      const q = parseQuery(RemoveQuery, ctx.query);
      await ctx.backend.containerRemove(ctx.params[0]!, { force: q.force, removeVolumes: q.v, link: q.link });
      sendEmpty(ctx.res, 204);
    },
  },
  {
    method: 'HEAD',
    pattern: pattern('/containers/{id}/archive'),
    async handle(ctx) {
      const q = parseQuery(ArchiveQuery, ctx.query);
      const stat = await ctx.backend.containerArchiveStat(ctx.params[0]!, { path: q.path });
      ctx.res.writeHead(200, {
        'X-Docker-Container-Path-Stat': statStat(stat),
        'Content-Type': 'application/x-tar',
      });
      ctx.res.end();
    },
  },
  {
    method: 'GET',
    pattern: pattern('/containers/{id}/archive'),
    async handle(ctx) {
      const q = parseQuery(ArchiveQuery, ctx.query);
      const { stat, stream } = await ctx.backend.containerArchiveGet(ctx.params[0]!, { path: q.path });
      ctx.res.writeHead(200, {
        'X-Docker-Container-Path-Stat': statStat(stat),
        'Content-Type': 'application/x-tar',
      });
      await pipeOut(ctx, stream);
    },
  },
  {
    method: 'PUT',
    pattern: pattern('/containers/{id}/archive'),
    async handle(ctx) {
      const q = parseQuery(ArchiveQuery, ctx.query);
      await ctx.backend.containerArchivePut(ctx.params[0]!, {
        path: q.path,
        noOverwriteDirNonDir: q.noOverwriteDirNonDir,
        copyUIDGID: q.copyUIDGID,
        body: ctx.req,
      });
      sendEmpty(ctx.res, 200);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/commit'),
    async handle(ctx) {
      const q = parseQuery(CommitQuery, ctx.query);
      const config = await parseJsonBody(CommitConfig, ctx.req, { optional: true });
      const out = await ctx.backend.containerCommit({ ...q, config });
      sendJson(ctx.res, 201, out);
    },
  },
];

/** Stream a tar (export, archive, save) to the client; a failure mid-way can only cut the connection. */
export async function pipeOut(ctx: RequestContext, stream: NodeJS.ReadableStream): Promise<void> {
  const { res } = ctx;
  try {
    for await (const chunk of stream) {
      if (res.destroyed) break;
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
    }
    res.end();
  } catch (err) {
    ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'tar stream failed');
    res.destroy();
  } finally {
    if (res.destroyed && 'destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
  }
}
