import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { AuthConfig } from '../../types/common.js';
import { QueryFilters, QueryList } from '../../types/query.js';
import type { RequestContext, Route } from '../context.js';
import { parseJsonBody, parseQuery, sendJson } from '../http.js';
import { pattern, qtime } from '../router.js';
import { sendJsonLines } from '../streams.js';
import { API_VERSION, MIN_API_VERSION } from '../version.js';

async function ping(ctx: RequestContext): Promise<void> {
  if (ctx.backend.ping) await ctx.backend.ping();
  const headers = {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    Pragma: 'no-cache',
    'Content-Length': ctx.req.method === 'HEAD' ? 0 : 2,
  };
  ctx.res.writeHead(200, headers);
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : 'OK');
}

const SWARM_MESSAGE =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';

export const systemRoutes: Route[] = [
  { method: 'GET', pattern: pattern('/_ping'), handle: ping },
  { method: 'HEAD', pattern: pattern('/_ping'), handle: ping },
  {
    method: 'GET',
    pattern: pattern('/version'),
    async handle(ctx) {
      const v = await ctx.backend.version();
      sendJson(ctx.res, 200, {
        ...v,
        ApiVersion: v.ApiVersion ?? API_VERSION,
        MinAPIVersion: v.MinAPIVersion ?? MIN_API_VERSION,
      });
    },
  },
  {
    method: 'GET',
    pattern: pattern('/info'),
    async handle(ctx) {
      sendJson(ctx.res, 200, await ctx.backend.info());
    },
  },
  {
    method: 'GET',
    pattern: pattern('/system/df'),
    async handle(ctx) {
      const q = parseQuery(z.object({ type: QueryList }), ctx.query);
      sendJson(ctx.res, 200, await ctx.backend.df(q));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/events'),
    async handle(ctx) {
      const q = parseQuery(z.object({ since: qtime, until: qtime, filters: QueryFilters }), ctx.query);
      const events = await ctx.backend.events({ ...q, signal: ctx.signal });
      await sendJsonLines(ctx, events);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/auth'),
    async handle(ctx) {
      const body = await parseJsonBody(AuthConfig, ctx.req);
      if (!ctx.backend.auth) throw new ApiError(501, 'registry login is not supported by this daemon');
      sendJson(ctx.res, 200, await ctx.backend.auth(body));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/plugins'),
    async handle(ctx) {
      sendJson(ctx.res, 200, []);
    },
  },
  ...['/swarm', '/nodes', '/services', '/tasks', '/secrets', '/configs'].flatMap((base): Route[] =>
    ['GET', 'POST', 'DELETE'].map((method) => ({
      method,
      pattern: new RegExp(`^${base}(/.*)?$`),
      async handle() {
        throw new ApiError(503, SWARM_MESSAGE);
      },
    })),
  ),
];
