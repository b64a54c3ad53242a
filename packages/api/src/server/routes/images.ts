import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { BuildPruneQuery, BuildQuery } from '../../types/build.js';
import { ImageCreateQuery, ImageListQuery } from '../../types/image.js';
import { QueryFilters, QueryList } from '../../types/query.js';
import type { Route } from '../context.js';
import { decodeAuthHeader, decodeRegistryConfig, parseQuery, sendJson } from '../http.js';
import { pattern, qbool, qint, qstr } from '../router.js';
import { sendProgress } from '../streams.js';
import { pipeOut } from './containers.js';

export const imageRoutes: Route[] = [
  {
    method: 'GET',
    pattern: pattern('/images/json'),
    async handle(ctx) {
      sendJson(ctx.res, 200, await ctx.backend.imageList(parseQuery(ImageListQuery, ctx.query)));
    },
  },
  {
    method: 'POST',
    pattern: pattern('/images/create'),
    async handle(ctx) {
      const q = parseQuery(ImageCreateQuery, ctx.query);
      if (q.fromImage) {
        await sendProgress(
          ctx,
          ctx.backend.imagePull({
            fromImage: q.fromImage,
            tag: q.tag || undefined,
            platform: q.platform || undefined,
            auth: decodeAuthHeader(ctx.req.headers['x-registry-auth']),
            signal: ctx.signal,
          }),
        );
        return;
      }
      if (q.fromSrc) {
        await sendProgress(
          ctx,
          ctx.backend.imageImport({ ...q, fromSrc: q.fromSrc, body: ctx.req, signal: ctx.signal }),
        );
        return;
      }
      throw new ApiError(400, 'fromImage or fromSrc is required');
    },
  },
  {
    method: 'GET',
    pattern: pattern('/images/search'),
    async handle(ctx) {
      const q = parseQuery(z.object({ term: qstr, limit: qint, filters: QueryFilters }), ctx.query);
      if (!ctx.backend.imageSearch) throw new ApiError(501, 'image search is not supported by berth');
      if (!q.term) throw new ApiError(400, 'term is required');
      sendJson(
        ctx.res,
        200,
        await ctx.backend.imageSearch({ term: q.term, limit: q.limit, filters: q.filters }),
      );
    },
  },
  {
    method: 'POST',
    pattern: pattern('/images/prune'),
    async handle(ctx) {
      const q = parseQuery(z.object({ filters: QueryFilters }), ctx.query);
      sendJson(ctx.res, 200, await ctx.backend.imagePrune(q));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/images/get'),
    async handle(ctx) {
      const q = parseQuery(z.object({ names: QueryList, platform: qstr }), ctx.query);
      if (q.names.length === 0) throw new ApiError(400, 'names is required');
      const stream = await ctx.backend.imageSave({ names: q.names, platform: q.platform || undefined });
      ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
      await pipeOut(ctx, stream);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/images/load'),
    async handle(ctx) {
      const q = parseQuery(z.object({ quiet: qbool(false), platform: qstr }), ctx.query);
      await sendProgress(
        ctx,
        ctx.backend.imageLoad({
          body: ctx.req,
          quiet: q.quiet,
          platform: q.platform || undefined,
          signal: ctx.signal,
        }),
      );
    },
  },
  {
    method: 'GET',
    pattern: pattern('/images/{name*}/json'),
    async handle(ctx) {
      const q = parseQuery(z.object({ manifests: qbool(false) }), ctx.query);
      sendJson(ctx.res, 200, await ctx.backend.imageInspect(ctx.params[0]!, q));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/images/{name*}/history'),
    async handle(ctx) {
      const q = parseQuery(z.object({ platform: qstr }), ctx.query);
      sendJson(
        ctx.res,
        200,
        await ctx.backend.imageHistory(ctx.params[0]!, { platform: q.platform || undefined }),
      );
    },
  },
  {
    method: 'GET',
    pattern: pattern('/images/{name*}/get'),
    async handle(ctx) {
      const q = parseQuery(z.object({ platform: qstr }), ctx.query);
      const stream = await ctx.backend.imageSave({
        names: [ctx.params[0]!],
        platform: q.platform || undefined,
      });
      ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
      await pipeOut(ctx, stream);
    },
  },
  {
    method: 'POST',
    pattern: pattern('/images/{name*}/push'),
    async handle(ctx) {
      const q = parseQuery(z.object({ tag: qstr, platform: qstr }), ctx.query);
      const auth = decodeAuthHeader(ctx.req.headers['x-registry-auth']);
      await sendProgress(
        ctx,
        ctx.backend.imagePush(ctx.params[0]!, {
          tag: q.tag || undefined,
          platform: q.platform || undefined,
          auth,
          signal: ctx.signal,
        }),
      );
    },
  },
  {
    method: 'POST',
    pattern: pattern('/images/{name*}/tag'),
    async handle(ctx) {
      const q = parseQuery(z.object({ repo: qstr, tag: qstr }), ctx.query);
      if (!q.repo) throw new ApiError(400, 'repository name (repo) is required');
      await ctx.backend.imageTag(ctx.params[0]!, { repo: q.repo, tag: q.tag || undefined });
      ctx.res.writeHead(201, { 'Content-Length': 0 });
      ctx.res.end();
    },
  },
  {
    method: 'DELETE',
    pattern: pattern('/images/{name*}'),
    async handle(ctx) {
      const q = parseQuery(
        z.object({ force: qbool(false), noprune: qbool(false), platforms: QueryList }),
        ctx.query,
      );
      const opts = {
        force: q.force,
        noPrune: q.noprune,
        ...(q.platforms.length > 0 ? { platforms: q.platforms } : {}),
      };
      sendJson(ctx.res, 200, await ctx.backend.imageRemove(ctx.params[0]!, opts));
    },
  },
  {
    method: 'GET',
    pattern: pattern('/distribution/{name*}/json'),
    async handle(ctx) {
      if (!ctx.backend.distributionInspect)
        throw new ApiError(501, 'distribution inspect is not supported by this daemon');
      const auth = decodeAuthHeader(ctx.req.headers['x-registry-auth']);
      sendJson(ctx.res, 200, await ctx.backend.distributionInspect(ctx.params[0]!, { auth }));
    },
  },
  {
    method: 'POST',
    pattern: pattern('/build'),
    async handle(ctx) {
      const query = parseQuery(BuildQuery, ctx.query);
      if (query.version === '2')
        throw new ApiError(400, 'BuildKit (version=2) is not supported by berth; use the classic builder');
      await sendProgress(
        ctx,
        ctx.backend.build({
          query,
          context: ctx.req,
          auth: decodeRegistryConfig(ctx.req.headers['x-registry-config']),
          signal: ctx.signal,
        }),
      );
    },
  },
  {
    method: 'POST',
    pattern: pattern('/build/prune'),
    async handle(ctx) {
      const q = parseQuery(BuildPruneQuery.extend({ filters: QueryFilters }), ctx.query);
      // Without a build cache there is nothing to prune (docker system prune asks anyway).
      if (!ctx.backend.buildPrune) return sendJson(ctx.res, 200, { CachesDeleted: [], SpaceReclaimed: 0 });
      sendJson(ctx.res, 200, await ctx.backend.buildPrune(q));
    },
  },
];
