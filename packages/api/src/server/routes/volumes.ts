import { z } from 'zod';
import { QueryFilters } from '../../types/query.js';
import { VolumeCreate } from '../../types/volume.js';
import type { Route } from '../context.js';
import { parseJsonBody, parseQuery, sendEmpty, sendJson } from '../http.js';
import { pattern, qbool } from '../router.js';

const FiltersQuery = z.object({ filters: QueryFilters });

export const volumeRoutes: Route[] = [
  {
    method: 'GET',
    pattern: pattern('/volumes'),
    async handle(ctx) {
      sendJson(ctx.res, 200, await ctx.backend.volumeList(parseQuery(FiltersQuery, ctx.query)));
    },
  },
  {
    method: 'POST',
    pattern: pattern('/volumes/create'),
    async handle(ctx) {
      const body = await parseJsonBody(VolumeCreate, ctx.req, { optional: true });
      sendJson(ctx.res, 201, await ctx.backend.volumeCreate(body));
    },
  },
  {
    method: 'POST',
    pattern: pattern('/volumes/prune'),
    async handle(ctx) {
      sendJson(ctx.res, 200, await ctx.backend.volumePrune(parseQuery(FiltersQuery, ctx.query)));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/volumes/{name}'),
    async handle(ctx) {
      sendJson(ctx.res, 200, await ctx.backend.volumeInspect(ctx.params[0]!));
    },
  },
  {
    method: 'DELETE',
    pattern: pattern('/volumes/{name}'),
    async handle(ctx) {
      const q = parseQuery(z.object({ force: qbool(false) }), ctx.query);
      await ctx.backend.volumeRemove(ctx.params[0]!, q);
      sendEmpty(ctx.res, 204);
    },
  },
];
