import { z } from 'zod';
import { NetworkConnect, NetworkCreate, NetworkDisconnect } from '../../types/network.js';
import { QueryFilters } from '../../types/query.js';
import type { Route } from '../context.js';
import { parseJsonBody, parseQuery, sendEmpty, sendJson } from '../http.js';
import { pattern, qbool, qstr } from '../router.js';

const FiltersQuery = z.object({ filters: QueryFilters });

export const networkRoutes: Route[] = [
  {
    method: 'GET',
    pattern: pattern('/networks'),
    async handle(ctx) {
      sendJson(ctx.res, 200, await ctx.backend.networkList(parseQuery(FiltersQuery, ctx.query)));
    },
  },
  {
    method: 'POST',
    pattern: pattern('/networks/create'),
    async handle(ctx) {
      sendJson(ctx.res, 201, await ctx.backend.networkCreate(await parseJsonBody(NetworkCreate, ctx.req)));
    },
  },
  {
    method: 'POST',
    pattern: pattern('/networks/prune'),
    async handle(ctx) {
      sendJson(ctx.res, 200, await ctx.backend.networkPrune(parseQuery(FiltersQuery, ctx.query)));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/networks/{id}'),
    async handle(ctx) {
      const q = parseQuery(z.object({ verbose: qbool(false), scope: qstr }), ctx.query);
      sendJson(
        ctx.res,
        200,
        await ctx.backend.networkInspect(ctx.params[0]!, { verbose: q.verbose, scope: q.scope || undefined }),
      );
    },
  },
  {
    method: 'DELETE',
    pattern: pattern('/networks/{id}'),
    async handle(ctx) {
      await ctx.backend.networkRemove(ctx.params[0]!);
      sendEmpty(ctx.res, 204);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/networks/{id}/connect'),
    async handle(ctx) {
      await ctx.backend.networkConnect(ctx.params[0]!, await parseJsonBody(NetworkConnect, ctx.req));
      sendEmpty(ctx.res, 200);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/networks/{id}/disconnect'),
    async handle(ctx) {
      await ctx.backend.networkDisconnect(ctx.params[0]!, await parseJsonBody(NetworkDisconnect, ctx.req));
      sendEmpty(ctx.res, 200);
    },
  },
];
